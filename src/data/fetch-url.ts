/**
 * URL sources: fetched into the artifact store, and asked again with a conditional request
 * (If-None-Match / If-Modified-Since) so an unchanged remote is not downloaded twice. What was
 * fetched last is kept in the metadata store, shared by everyone using the project.
 */
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/index.js';
import { SluiceError } from '../errors.js';
import type { Db } from '../store/store.js';

export interface FetchResult {
  digest: string;
  size: number;
  /** False when the server said 304 Not Modified and the stored copy was used. */
  downloaded: boolean;
  etag: string | null;
  lastModified: string | null;
}

const TIMEOUT_MS = 5 * 60_000;

export async function fetchUrlSource(db: Db, artifacts: ArtifactStore, source: { name: string; url: string }): Promise<FetchResult> {
  const previous = await db.selectFrom('source_states').selectAll().where('uri', '=', source.url).executeTakeFirst();
  const usable = previous && (await artifacts.has(previous.digest)) ? previous : undefined;
  const headers: Record<string, string> = { 'user-agent': 'sluice' };
  if (usable?.etag) headers['if-none-match'] = usable.etag;
  if (usable?.last_modified) headers['if-modified-since'] = usable.last_modified;

  let response: Response;
  try {
    response = await fetch(source.url, { headers, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new SluiceError('SOURCE_NOT_FOUND', `Source '${source.name}': cannot reach ${source.url} (${why})`, {
      where: `sources.${source.name}.url`,
      hint: 'Check the URL and that the server is up and reachable from this machine.',
      cause: e,
    });
  }
  const now = Date.now();
  if (response.status === 304 && usable) {
    await db.updateTable('source_states').set({ checked_at: now }).where('uri', '=', source.url).execute();
    return { digest: usable.digest, size: usable.size, downloaded: false, etag: usable.etag, lastModified: usable.last_modified };
  }
  if (!response.ok || !response.body) {
    throw new SluiceError('SOURCE_NOT_FOUND', `Source '${source.name}': ${source.url} answered ${response.status} ${response.statusText}`, {
      where: `sources.${source.name}.url`,
      hint: response.status === 404 ? 'The URL does not exist; check it in sluice.yaml.' : 'The server refused the request; check the URL and its access rights.',
    });
  }
  let ref;
  try {
    ref = await artifacts.putStream(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream));
  } catch (e) {
    throw new SluiceError('SOURCE_NOT_FOUND', `Source '${source.name}': the download of ${source.url} broke off: ${(e as Error).message}`, {
      where: `sources.${source.name}.url`,
      hint: 'Try again; nothing partial was kept.',
      cause: e,
    });
  }
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  const row = { etag, last_modified: lastModified, digest: ref.digest, size: ref.size, fetched_at: now, checked_at: now };
  await db
    .insertInto('source_states')
    .values({ uri: source.url, ...row })
    .onConflict((oc) => oc.column('uri').doUpdateSet(row))
    .execute();
  return { digest: ref.digest, size: ref.size, downloaded: true, etag, lastModified };
}
