/** Run inputs: the dataset versions a run read, and in which role. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { chunks } from './_chunks.js';
import { requireActiveRun } from './runs.js';
import type { RunInput } from './types.js';

/** Records dataset inputs; recording the same (dataset, context) again is a no-op. */
export async function logInputs(db: Db, runId: string, inputs: RunInput[]): Promise<void> {
  for (const input of inputs) {
    if (!input.datasetId || !input.context) {
      throw new SluiceError('USAGE', `Run input needs a datasetId and a context, got ${JSON.stringify(input)}`, {
        hint: 'Pass e.g. {datasetId: "ds-…", context: "training"}.',
      });
    }
  }
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    for (const batch of chunks(inputs)) {
      await trx
        .insertInto('run_inputs')
        .values(batch.map((i) => ({ run_id: runId, dataset_id: i.datasetId, context: i.context })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}
