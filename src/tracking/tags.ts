/** Run tags: mutable labels, last write wins. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkKey } from './_checks.js';
import { chunks } from './_chunks.js';
import { RUN_NAME_TAG } from './run-lifecycle.js';
import { requireActiveRun } from './runs.js';

/** Sets tags; setting mlflow.runName renames the run, as in MLflow. */
export async function setTags(db: Db, runId: string, tags: Record<string, string>): Promise<void> {
  const entries = Object.entries(tags);
  for (const [key, value] of entries) {
    checkKey('tag', key);
    if (typeof value !== 'string') {
      throw new SluiceError('USAGE', `Tag '${key}' must be a string, got ${typeof value}`, { hint: 'Convert values with String() before tagging.' });
    }
  }
  // Sorted, so that two writers upserting the same keys lock them in the same order.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    for (const batch of chunks(entries)) {
      await trx
        .insertInto('run_tags')
        .values(batch.map(([key, value]) => ({ run_id: runId, key, value })))
        .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    }
    const name = tags[RUN_NAME_TAG];
    if (name) await trx.updateTable('tracking_runs').set({ run_name: name }).where('run_id', '=', runId).execute();
  });
}

/** Removes a tag; NOT_FOUND if the run has no such tag. */
export async function deleteTag(db: Db, runId: string, key: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    const result = await trx.deleteFrom('run_tags').where('run_id', '=', runId).where('key', '=', key).executeTakeFirst();
    if (result.numDeletedRows === 0n) {
      throw new SluiceError('NOT_FOUND', `No tag with name: ${key} in run with id ${runId}`, { hint: 'getRun() shows the tags the run has.' });
    }
  });
}
