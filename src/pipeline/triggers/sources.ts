/**
 * What a source holds now, for change detection: the SHA-256 of its file (or of every file of
 * its glob, names and contents), or for a URL the digest of its content, asked with the same
 * conditional request the acquire step uses (If-None-Match / If-Modified-Since, remembered in
 * `source_states`): an unchanged remote answers 304 and is not downloaded again, and a changed
 * one is downloaded once — the run that follows finds it stored.
 */
import { resolve } from 'node:path';
import { fetchUrlSource } from '../../data/fetch-url.js';
import { SluiceError } from '../../errors.js';
import type { Project } from '../../project.js';
import { hashSourceFiles } from '../runner.js';

export interface SourceFingerprint {
  source: string;
  digest: string;
  etag?: string | null;
  lastModified?: string | null;
}

/** The sources watched: those named, or every file and URL source. */
export function watchedSources(project: Project): string[] {
  const config = project.config.triggers.on_source_change;
  if (!config) return [];
  return config.sources ?? Object.entries(project.config.sources).filter(([, s]) => s.kind !== 'query').map(([name]) => name);
}

export async function sourceFingerprint(project: Project, name: string): Promise<SourceFingerprint> {
  const source = project.config.sources[name];
  if (!source) throw new SluiceError('NOT_FOUND', `No source '${name}' in ${project.file}`, { where: 'triggers.on_source_change.sources' });
  if (source.kind === 'url' && source.url) {
    const f = await fetchUrlSource(project.store.db, project.artifacts, { name, url: source.url });
    return { source: name, digest: f.digest, etag: f.etag, lastModified: f.lastModified };
  }
  if (source.kind === 'query') throw new SluiceError('USAGE', `Source '${name}' is a SQL query; its content cannot be watched`, { where: `triggers.on_source_change` });
  const path = resolve(project.dir, source.path as string);
  try {
    return { source: name, digest: await hashSourceFiles(path) };
  } catch (e) {
    throw new SluiceError('SOURCE_NOT_FOUND', `Source '${name}': cannot read ${source.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { where: `sources.${name}.path`, cause: e });
  }
}
