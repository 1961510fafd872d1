/** Runs: create, end, read and list tracking runs. */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { SluiceError } from '../errors.js';
import type { Db, TrackingRunRow } from '../store/index.js';
import { loadRuns, toMetricPoint, toRunInfo } from './_load.js';
import type { Run, RunInfo, RunStatus } from './types.js';

export interface CreateRunOptions {
  experimentId: string;
  runName: string;
  pipelineRunId?: string;
  stepName?: string;
  /** Default: the OS user running Sluice. */
  userId?: string;
  /** Epoch ms; default now. */
  startTime?: number;
  /** Default: a new uuid4 hex. */
  runId?: string;
  /** Default `sluice-artifacts:/<run_id>`. */
  artifactUri?: string;
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
  const runId = options.runId ?? randomUUID().replaceAll('-', '');
  const row: TrackingRunRow = {
    run_id: runId,
    experiment_id: options.experimentId,
    run_name: options.runName,
    user_id: options.userId ?? currentUser(),
    status: 'RUNNING',
    start_time: options.startTime ?? Date.now(),
    end_time: null,
    lifecycle_stage: 'active',
    artifact_uri: options.artifactUri ?? `sluice-artifacts:/${runId}`,
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
  const row = await db.selectFrom('tracking_runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
  if (!row) throw runNotFound(runId);
  const [[run], artifacts] = await Promise.all([
    loadRuns(db, [row]),
    db.selectFrom('run_artifacts').select(['path', 'digest', 'size']).where('run_id', '=', runId).orderBy('path').execute(),
  ]);
  return { ...run, artifacts };
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

export { toMetricPoint };

export function runNotFound(runId: string): SluiceError {
  return new SluiceError('NOT_FOUND', `Run '${runId}' not found`, { hint: 'Check the run id (32 hex characters); listRuns() shows the runs there are.' });
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // no passwd entry, e.g. an arbitrary uid in a container
  }
}
