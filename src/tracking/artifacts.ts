/** Run artifacts: which content-addressed blobs a run produced, under which paths. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkArtifactPath } from './_checks.js';
import { chunks } from './_chunks.js';
import { getRunInfo, requireActiveRun } from './runs.js';
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

export interface ArtifactEntry {
  /** Relative to the run's artifact root. */
  path: string;
  isDir: boolean;
  /** Files only. */
  fileSize?: number;
}

/** The files and folders directly inside `dir` ('' for the root), by path. A file's path lists nothing. */
export async function listArtifacts(db: Db, runId: string, dir = ''): Promise<ArtifactEntry[]> {
  await getRunInfo(db, runId);
  const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  // Filtered here rather than in SQL: LIKE would read % and _ in paths, and a range would
  // follow PostgreSQL's locale order.
  const rows = await db.selectFrom('run_artifacts').select(['path', 'size']).where('run_id', '=', runId).execute();
  const entries = new Map<string, ArtifactEntry>();
  for (const row of rows) {
    if (!row.path.startsWith(prefix)) continue;
    const rest = row.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const path = prefix + (slash < 0 ? rest : rest.slice(0, slash));
    if (!entries.has(path)) entries.set(path, slash < 0 ? { path, isDir: false, fileSize: row.size } : { path, isDir: true });
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The blob stored at a path of the run; NOT_FOUND if there is none. */
export async function getArtifact(db: Db, runId: string, path: string): Promise<{ digest: string; size: number }> {
  const row = await db.selectFrom('run_artifacts').select(['digest', 'size']).where('run_id', '=', runId).where('path', '=', path).executeTakeFirst();
  if (!row) {
    throw new SluiceError('NOT_FOUND', `Run '${runId}' has no artifact '${path}'`, { hint: 'List the run\'s artifacts to see the paths it has.' });
  }
  return row;
}

/** Forgets the file at `path`, or every file under it; the blobs stay in the store. */
export async function deleteArtifacts(db: Db, runId: string, path: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    const under = `${path.replace(/\/+$/, '')}/`;
    const rows = await trx.selectFrom('run_artifacts').select('path').where('run_id', '=', runId).execute();
    const doomed = rows.map((r) => r.path).filter((p) => path === '' || p === path || p.startsWith(under));
    for (const paths of chunks(doomed)) await trx.deleteFrom('run_artifacts').where('run_id', '=', runId).where('path', 'in', paths).execute();
  });
}
