/** Reading the prediction log back, with the feedback joined: what monitors and reports need. */
import type { Db } from '../store/index.js';
import type { PredictionRecord } from './outputs.js';

export interface LoggedPrediction {
  requestId: string;
  row: number;
  model: string;
  version: number;
  route: string;
  at: number;
  latencyMs: number;
  inputs: Record<string, unknown>;
  outputs: PredictionRecord;
  /** The latest label sent to /feedback for this request and row; undefined when none came. */
  feedback?: string | number | boolean;
}

export interface ListPredictionsOptions {
  model: string;
  version?: number;
  /** Epoch milliseconds, inclusive. */
  since?: number;
  /** Epoch milliseconds, exclusive. */
  until?: number;
  requestId?: string;
  /** Default 10,000, oldest first. */
  limit?: number;
}

export async function listPredictions(db: Db, options: ListPredictionsOptions): Promise<LoggedPrediction[]> {
  let q = db
    .selectFrom('prediction_log as p')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('feedback')
          .select(['request_id', 'row_index', (e) => e.fn.max('id').as('last')])
          .groupBy(['request_id', 'row_index'])
          .as('lf'),
      (join) => join.onRef('lf.request_id', '=', 'p.request_id').onRef('lf.row_index', '=', 'p.row_index'),
    )
    .leftJoin('feedback as f', 'f.id', 'lf.last')
    .select(['p.request_id', 'p.row_index', 'p.model', 'p.version', 'p.route', 'p.at', 'p.latency_ms', 'p.inputs', 'p.outputs', 'f.label'])
    .where('p.model', '=', options.model);
  if (options.version !== undefined) q = q.where('p.version', '=', options.version);
  if (options.since !== undefined) q = q.where('p.at', '>=', options.since);
  if (options.until !== undefined) q = q.where('p.at', '<', options.until);
  if (options.requestId !== undefined) q = q.where('p.request_id', '=', options.requestId);
  const rows = await q.orderBy('p.id').limit(options.limit ?? 10_000).execute();
  return rows.map((r) => ({
    requestId: r.request_id,
    row: r.row_index,
    model: r.model,
    version: r.version,
    route: r.route,
    at: r.at,
    latencyMs: r.latency_ms,
    inputs: JSON.parse(r.inputs) as Record<string, unknown>,
    outputs: JSON.parse(r.outputs) as PredictionRecord,
    ...(r.label === null ? {} : { feedback: JSON.parse(r.label) as string | number | boolean }),
  }));
}
