/** Run tags: mutable labels, last write wins. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkKey } from './_checks.js';
import { chunks } from './_chunks.js';
import { requireActiveRun } from './runs.js';

export async function setTags(db: Db, runId: string, tags: Record<string, string>): Promise<void> {
  const entries = Object.entries(tags);
  for (const [key, value] of entries) {
    checkKey('tag', key);
    if (typeof value !== 'string') {
      throw new SluiceError('USAGE', `Tag '${key}' must be a string, got ${typeof value}`, { hint: 'Convert values with String() before tagging.' });
    }
  }
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    for (const batch of chunks(entries)) {
      await trx
        .insertInto('run_tags')
        .values(batch.map(([key, value]) => ({ run_id: runId, key, value })))
        .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    }
  });
}
