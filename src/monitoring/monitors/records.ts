/** Monitor runs and their metrics in the store: written in one transaction, read back for history and charts. */
import { SluiceError } from '../../errors.js';
import type { Db, Store } from '../../store/index.js';
import type { MonitorMetric } from './analyze.js';

export type MonitorRunStatus = 'ok' | 'drift' | 'insufficient_data';

export interface MonitorRunSummary {
  driftedColumns: string[];
  datasetDrift: boolean | null;
  predictionDrift: boolean | null;
  qualityFailures: string[];
  metrics: Record<string, number | null>;
  /** Why there is no verdict (insufficient data). */
  note?: string;
}

export interface MonitorRun {
  id: number;
  project: string;
  monitor: string;
  model: string;
  version: number;
  windowStart: number;
  windowEnd: number;
  rows: number;
  labeledRows: number;
  referenceDataset: string | null;
  status: MonitorRunStatus;
  driftShare: number | null;
  accuracy: number | null;
  reportDigest: string | null;
  htmlDigest: string | null;
  summary: MonitorRunSummary;
  createdAt: number;
}

export type NewMonitorRun = Omit<MonitorRun, 'id'>;

export interface MetricPoint extends MonitorMetric {
  runId: number;
  at: number;
}

export async function insertMonitorRun(store: Store, run: NewMonitorRun, metrics: readonly MonitorMetric[]): Promise<MonitorRun> {
  return store.transaction(async (trx) => {
    const row = await trx
      .insertInto('monitor_runs')
      .values({
        project: run.project, monitor: run.monitor, model: run.model, version: run.version,
        window_start: run.windowStart, window_end: run.windowEnd, rows: run.rows, labeled_rows: run.labeledRows,
        reference_dataset: run.referenceDataset, status: run.status, drift_share: run.driftShare, accuracy: run.accuracy,
        report_digest: run.reportDigest, html_digest: run.htmlDigest, summary: JSON.stringify(run.summary), created_at: run.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const values = metrics.map((m) => ({
      run_id: id, project: run.project, monitor: run.monitor, at: run.windowEnd, metric: m.metric, column_name: m.column,
      value: m.value, threshold: m.threshold, verdict: m.verdict, detail: m.detail,
    }));
    for (let i = 0; i < values.length; i += 200) await trx.insertInto('monitor_metrics').values(values.slice(i, i + 200)).execute();
    return { ...run, id };
  });
}

type Row = {
  id: number; project: string; monitor: string; model: string; version: number; window_start: number; window_end: number;
  rows: number; labeled_rows: number; reference_dataset: string | null; status: string; drift_share: number | null; accuracy: number | null;
  report_digest: string | null; html_digest: string | null; summary: string; created_at: number;
};

function fromRow(r: Row): MonitorRun {
  return {
    id: Number(r.id), project: r.project, monitor: r.monitor, model: r.model, version: r.version,
    windowStart: r.window_start, windowEnd: r.window_end, rows: r.rows, labeledRows: r.labeled_rows,
    referenceDataset: r.reference_dataset, status: r.status as MonitorRunStatus, driftShare: r.drift_share, accuracy: r.accuracy,
    reportDigest: r.report_digest, htmlDigest: r.html_digest, summary: JSON.parse(r.summary) as MonitorRunSummary, createdAt: r.created_at,
  };
}

/** Runs newest first (by window end), of one monitor or all. */
export async function listMonitorRuns(db: Db, project: string, options: { monitor?: string; limit?: number; since?: number } = {}): Promise<MonitorRun[]> {
  let q = db.selectFrom('monitor_runs').selectAll().where('project', '=', project);
  if (options.monitor !== undefined) q = q.where('monitor', '=', options.monitor);
  if (options.since !== undefined) q = q.where('window_end', '>=', options.since);
  const rows = await q.orderBy('window_end', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100).execute();
  return rows.map(fromRow);
}

export async function getMonitorRun(db: Db, project: string, id: number): Promise<MonitorRun> {
  const row = Number.isSafeInteger(id) ? await db.selectFrom('monitor_runs').selectAll().where('project', '=', project).where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new SluiceError('NOT_FOUND', `No monitor run ${id}`, { hint: 'List them with `sluice monitor history`.' });
  return fromRow(row);
}

export async function listRunMetrics(db: Db, runId: number): Promise<MetricPoint[]> {
  const rows = await db.selectFrom('monitor_metrics').selectAll().where('run_id', '=', runId).orderBy('id').execute();
  return rows.map(point);
}

/** A metric over time, oldest first: one point per run (and column, for per-column metrics). */
export async function metricSeries(db: Db, project: string, options: { monitor: string; metric: string; column?: string; since?: number; limit?: number }): Promise<MetricPoint[]> {
  let q = db.selectFrom('monitor_metrics').selectAll().where('project', '=', project).where('monitor', '=', options.monitor).where('metric', '=', options.metric);
  if (options.column !== undefined) q = q.where('column_name', '=', options.column);
  if (options.since !== undefined) q = q.where('at', '>=', options.since);
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 10_000).execute();
  return rows.reverse().map(point);
}

function point(r: { run_id: number; at: number; metric: string; column_name: string | null; value: number | null; threshold: number | null; verdict: string | null; detail: string | null }): MetricPoint {
  return { runId: Number(r.run_id), at: r.at, metric: r.metric, column: r.column_name, value: r.value, threshold: r.threshold, verdict: r.verdict, detail: r.detail };
}
