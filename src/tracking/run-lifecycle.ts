/** Changing a run after it started: status, end time and name; soft delete and restore. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { getRunInfo, requireActiveRun } from './runs.js';
import type { RunInfo, RunStatus } from './types.js';

export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
/** The tag MLflow keeps equal to the run's name. */
export const RUN_NAME_TAG = 'mlflow.runName';

export interface RunUpdate {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

/** Updates an active run; a new name is also written to the mlflow.runName tag. */
export async function updateRun(db: Db, runId: string, update: RunUpdate): Promise<RunInfo> {
  if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) {
    throw new SluiceError('USAGE', `Invalid run status '${update.status}'`, { hint: `Use one of ${RUN_STATUSES.join(', ')}.` });
  }
  return inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    const set: { status?: RunStatus; end_time?: number; run_name?: string } = {};
    if (update.status !== undefined) set.status = update.status;
    if (update.endTime !== undefined) set.end_time = update.endTime;
    if (update.runName) set.run_name = update.runName;
    if (Object.keys(set).length > 0) await trx.updateTable('tracking_runs').set(set).where('run_id', '=', runId).execute();
    if (update.runName) {
      await trx
        .insertInto('run_tags')
        .values({ run_id: runId, key: RUN_NAME_TAG, value: update.runName })
        .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value: update.runName }))
        .execute();
    }
    return getRunInfo(trx, runId);
  });
}

/** Marks a run deleted (kept, and restorable); deleted runs refuse writes. */
export async function deleteRun(db: Db, runId: string): Promise<void> {
  await setLifecycle(db, runId, 'deleted');
}

export async function restoreRun(db: Db, runId: string): Promise<void> {
  await setLifecycle(db, runId, 'active');
}

async function setLifecycle(db: Db, runId: string, stage: 'active' | 'deleted'): Promise<void> {
  await getRunInfo(db, runId);
  await db.updateTable('tracking_runs').set({ lifecycle_stage: stage }).where('run_id', '=', runId).execute();
}
