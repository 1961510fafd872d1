/**
 * Every schema migration, in order. Static and in code (no directory scan), so a bundled or
 * compiled Sluice migrates exactly as the source does. Never edit a shipped migration: add one.
 */
import type { Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { initial } from './0001_initial.js';
import { trackingServer } from './0002_tracking_server.js';
import { sourceStates } from './0002_source_states.js';
import { searchIndexes } from './0003_search_indexes.js';
import { datasetNames } from './0003_dataset_names.js';
import { predictionLog } from './0004_prediction_log.js';
import { deployments } from './0005_deployments.js';
import { monitoring } from './0006_monitoring.js';
import { triggers } from './0006_triggers.js';
import { ciRecords } from './0007_ci.js';

export function migrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_tracking_server': trackingServer(dialect),
    '0002_source_states': sourceStates,
    '0003_search_indexes': searchIndexes,
    '0003_dataset_names': datasetNames,
    '0004_prediction_log': predictionLog(dialect),
    '0005_deployments': deployments(dialect),
    '0006_triggers': triggers(dialect),
    '0006_monitoring': monitoring(dialect),
    '0007_ci': ciRecords(dialect),
  };
}
