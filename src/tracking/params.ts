/** Params: write-once inputs of a run. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkKey } from './_checks.js';
import { chunks } from './_chunks.js';
import { requireActiveRun } from './runs.js';

/**
 * Logs params. A key logged again with the same value is fine; with a different value it is a
 * CONFLICT naming the key, and nothing of this call is written.
 */
export async function logParams(db: Db, runId: string, params: Record<string, string>): Promise<void> {
  const entries = Object.entries(params);
  for (const [key, value] of entries) {
    checkKey('param', key);
    if (typeof value !== 'string') {
      throw new SluiceError('USAGE', `Param '${key}' must be a string, got ${typeof value}`, { hint: 'Convert values with String() before logging.' });
    }
  }
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    // Insert first, then compare with what is stored: checking first would let two writers
    // racing with different values both think they won.
    for (const batch of chunks(entries)) {
      await trx
        .insertInto('params')
        .values(batch.map(([key, value]) => ({ run_id: runId, key, value })))
        .onConflict((oc) => oc.columns(['run_id', 'key']).doNothing())
        .execute();
      const stored = await trx
        .selectFrom('params')
        .select(['key', 'value'])
        .where('run_id', '=', runId)
        .where('key', 'in', batch.map(([key]) => key))
        .execute();
      const conflicts = stored.filter((row) => row.value !== params[row.key]);
      if (conflicts.length > 0) {
        const [first] = conflicts;
        throw new SluiceError(
          'CONFLICT',
          `Param '${first.key}' of run '${runId}' is already '${first.value}'; cannot change it to '${params[first.key]}'`,
          {
            hint: 'Params are write-once: log the new value in a new run, or under another key.',
            details: { keys: conflicts.map((c) => c.key) },
          },
        );
      }
    }
  });
}
