/** Run artifacts: which content-addressed blobs a run produced, under which paths. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkArtifactPath } from './_checks.js';
import { requireActiveRun } from './runs.js';
import type { RunArtifact } from './types.js';

/** Records an artifact of the run; logging the same path again replaces it. */
export async function logArtifact(db: Db, runId: string, artifact: RunArtifact): Promise<void> {
  checkArtifactPath(artifact.path);
  if (!Number.isSafeInteger(artifact.size) || artifact.size < 0) {
    throw new SluiceError('USAGE', `Invalid size ${artifact.size} for artifact '${artifact.path}'`, { hint: 'The size is a byte count: an integer >= 0.' });
  }
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    await trx
      .insertInto('run_artifacts')
      .values({ run_id: runId, path: artifact.path, digest: artifact.digest, size: artifact.size })
      .onConflict((oc) =>
        oc.columns(['run_id', 'path']).doUpdateSet((eb) => ({ digest: eb.ref('excluded.digest'), size: eb.ref('excluded.size') })),
      )
      .execute();
  });
}
