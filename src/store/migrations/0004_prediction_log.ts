/**
 * The prediction log and feedback: what a model server predicted (one row per predicted record,
 * with the request id, model version, inputs, outputs and latency) and the ground truth that
 * arrives later for a request id. Joined on (request_id, row_index).
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { idColumn } from './_id-column.js';

export function predictionLog(dialect: StoreDialect): Migration {
  const withId = idColumn(dialect);

  return {
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;
      await withId(s.createTable('prediction_log'))
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('row_index', 'integer', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('outputs', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('prediction_log_request').on('prediction_log').columns(['request_id', 'row_index']).execute();
      await s.createIndex('prediction_log_model_at').on('prediction_log').columns(['model', 'version', 'at']).execute();

      await withId(s.createTable('feedback'))
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('row_index', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('feedback_request').on('feedback').columns(['request_id', 'row_index']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('feedback').execute();
      await db.schema.dropTable('prediction_log').execute();
    },
  };
}
