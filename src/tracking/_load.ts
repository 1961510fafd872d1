/** Loads the params, latest metrics, tags and inputs of many runs in a few queries. */
import { sql } from 'kysely';
import type { Db, TrackingRunRow } from '../store/index.js';
import { chunks } from './_chunks.js';
import { dialectOf } from './search/sql.js';
import type { MetricPoint, Run, RunInfo, RunStatus } from './types.js';

export async function loadRuns(db: Db, rows: readonly TrackingRunRow[]): Promise<Run[]> {
  const runs = rows.map((row): Run => ({ info: toRunInfo(row), params: {}, metrics: {}, tags: {}, inputs: [], artifacts: [] }));
  const byId = new Map(runs.map((r) => [r.info.runId, r]));
  const postgres = dialectOf(db) === 'postgres';
  for (const ids of chunks([...byId.keys()])) {
    // PostgreSQL plans `= any(<one array>)` much faster than `in (<a thousand parameters>)`.
    const among = postgres ? sql<boolean>`run_id = any(${ids}::text[])` : sql<boolean>`run_id in (${sql.join(ids)})`;
    const [params, metrics, tags, inputs] = await Promise.all([
      db.selectFrom('params').select(['run_id', 'key', 'value']).where(among).orderBy('key').execute(),
      db.selectFrom('latest_metrics').selectAll().where(among).orderBy('key').execute(),
      db.selectFrom('run_tags').select(['run_id', 'key', 'value']).where(among).orderBy('key').execute(),
      db.selectFrom('run_inputs').select(['run_id', 'dataset_id', 'context']).where(among).orderBy('dataset_id').orderBy('context').execute(),
    ]);
    for (const p of params) byId.get(p.run_id)!.params[p.key] = p.value;
    for (const m of metrics) byId.get(m.run_id)!.metrics[m.key] = toMetricPoint(m);
    for (const t of tags) byId.get(t.run_id)!.tags[t.key] = t.value;
    for (const i of inputs) byId.get(i.run_id)!.inputs.push({ datasetId: i.dataset_id, context: i.context });
  }
  return runs;
}

/** A stored metric row as a point; NaN is stored as 0 with is_nan = 1. */
export function toMetricPoint(row: { key: string; value: number; step: number; timestamp: number; is_nan: number }): MetricPoint {
  return { key: row.key, value: row.is_nan ? Number.NaN : row.value, step: row.step, timestamp: row.timestamp };
}

export function toRunInfo(row: TrackingRunRow): RunInfo {
  return {
    runId: row.run_id,
    experimentId: row.experiment_id,
    runName: row.run_name,
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: row.start_time,
    endTime: row.end_time,
    lifecycleStage: row.lifecycle_stage,
    artifactUri: row.artifact_uri,
    pipelineRunId: row.pipeline_run_id,
    stepName: row.step_name,
  };
}
