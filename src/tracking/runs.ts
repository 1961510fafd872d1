/** Runs: create, end, read and list tracking runs. */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { SluiceError } from '../errors.js';
import type { Db, TrackingRunRow } from '../store/index.js';
import type { MetricPoint, Run, RunInfo, RunStatus } from './types.js';

export interface CreateRunOptions {
  experimentId: string;
  runName: string;
  pipelineRunId?: string;
  stepName?: string;
  /** Default: the OS user running Sluice. */
  userId?: string;
  /** Epoch ms; default now. */
  startTime?: number;
}

export async function createRun(db: Db, options: CreateRunOptions): Promise<RunInfo> {
  const experiment = await db
    .selectFrom('experiments')
    .select(['lifecycle_stage'])
    .where('experiment_id', '=', options.experimentId)
    .executeTakeFirst();
  if (!experiment) {
    throw new SluiceError('NOT_FOUND', `Experiment '${options.experimentId}' not found`, {
      hint: 'Create it with getOrCreateExperiment() and pass its experimentId.',
    });
  }
  if (experiment.lifecycle_stage !== 'active') {
    throw new SluiceError('CONFLICT', `Experiment '${options.experimentId}' is deleted`, { hint: 'Restore it or log to another experiment.' });
  }
  const runId = randomUUID().replaceAll('-', '');
  const row: TrackingRunRow = {
    run_id: runId,
    experiment_id: options.experimentId,
    run_name: options.runName,
    user_id: options.userId ?? currentUser(),
    status: 'RUNNING',
    start_time: options.startTime ?? Date.now(),
    end_time: null,
    lifecycle_stage: 'active',
    artifact_uri: `sluice-artifacts:/${runId}`,
    pipeline_run_id: options.pipelineRunId ?? null,
    step_name: options.stepName ?? null,
  };
  await db.insertInto('tracking_runs').values(row).execute();
  return toRunInfo(row);
}

const END_STATUSES: readonly RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

export async function endRun(db: Db, runId: string, status: RunStatus, endTime: number = Date.now()): Promise<void> {
  if (!END_STATUSES.includes(status)) {
    throw new SluiceError('USAGE', `Cannot end run '${runId}' with status '${status}'`, { hint: `Use one of ${END_STATUSES.join(', ')}.` });
  }
  const result = await db
    .updateTable('tracking_runs')
    .set({ status, end_time: endTime })
    .where('run_id', '=', runId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw runNotFound(runId);
}

/** The run's info; NOT_FOUND if there is no such run. */
export async function getRunInfo(db: Db, runId: string): Promise<RunInfo> {
  const row = await db.selectFrom('tracking_runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
  if (!row) throw runNotFound(runId);
  return toRunInfo(row);
}

/** Like getRunInfo, for writers: also refuses deleted runs (MLflow). */
export async function requireActiveRun(db: Db, runId: string): Promise<RunInfo> {
  const info = await getRunInfo(db, runId);
  if (info.lifecycleStage !== 'active') {
    throw new SluiceError('CONFLICT', `Run '${runId}' is deleted`, { hint: 'Restore the run before logging to it.' });
  }
  return info;
}

export async function getRun(db: Db, runId: string): Promise<Run> {
  const info = await getRunInfo(db, runId);
  const [params, metrics, tags, inputs, artifacts] = await Promise.all([
    db.selectFrom('params').select(['key', 'value']).where('run_id', '=', runId).orderBy('key').execute(),
    db.selectFrom('latest_metrics').selectAll().where('run_id', '=', runId).orderBy('key').execute(),
    db.selectFrom('run_tags').select(['key', 'value']).where('run_id', '=', runId).orderBy('key').execute(),
    db.selectFrom('run_inputs').select(['dataset_id', 'context']).where('run_id', '=', runId).orderBy('dataset_id').orderBy('context').execute(),
    db.selectFrom('run_artifacts').select(['path', 'digest', 'size']).where('run_id', '=', runId).orderBy('path').execute(),
  ]);
  return {
    info,
    params: Object.fromEntries(params.map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(metrics.map((m) => [m.key, toMetricPoint(m)])),
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
    inputs: inputs.map((i) => ({ datasetId: i.dataset_id, context: i.context })),
    artifacts,
  };
}

export interface ListRunsOptions {
  experimentId?: string;
  pipelineRunId?: string;
  /** Default 1000 (MLflow's default page). */
  limit?: number;
}

/** Runs, newest first (start time descending, then run id). */
export async function listRuns(db: Db, options: ListRunsOptions = {}): Promise<RunInfo[]> {
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50_000) {
    throw new SluiceError('USAGE', `Invalid run list limit ${limit}`, { hint: 'Use an integer from 1 to 50000.' });
  }
  let query = db.selectFrom('tracking_runs').selectAll();
  if (options.experimentId !== undefined) query = query.where('experiment_id', '=', options.experimentId);
  if (options.pipelineRunId !== undefined) query = query.where('pipeline_run_id', '=', options.pipelineRunId);
  const rows = await query.orderBy('start_time', 'desc').orderBy('run_id').limit(limit).execute();
  return rows.map(toRunInfo);
}

/** A stored metric row as a point; NaN is stored as 0 with is_nan = 1. */
export function toMetricPoint(row: { key: string; value: number; step: number; timestamp: number; is_nan: number }): MetricPoint {
  return { key: row.key, value: row.is_nan ? Number.NaN : row.value, step: row.step, timestamp: row.timestamp };
}

function toRunInfo(row: TrackingRunRow): RunInfo {
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

function runNotFound(runId: string): SluiceError {
  return new SluiceError('NOT_FOUND', `Run '${runId}' not found`, { hint: 'Check the run id (32 hex characters); listRuns() shows the runs there are.' });
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // no passwd entry, e.g. an arbitrary uid in a container
  }
}
