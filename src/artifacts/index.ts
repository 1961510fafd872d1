import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SluiceError } from '../errors.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local.js';

export * from './artifact-store.js';
export { LocalArtifactStore } from './local.js';

export interface OpenArtifactStoreOptions {
  /** `file:///path`, a path (relative to the workspace), or `s3://bucket/prefix`. Default: `<workspace>/artifacts`. */
  url?: string;
  /** The project's working folder. */
  workspace: string;
}

export function openArtifactStore(options: OpenArtifactStoreOptions): ArtifactStore {
  const { url, workspace } = options;
  if (!url) return new LocalArtifactStore(path.resolve(workspace, 'artifacts'));
  if (url.startsWith('file:')) return new LocalArtifactStore(fileURLToPath(url));
  if (/^s3:\/\//i.test(url)) {
    throw new SluiceError('CONFIG_INVALID', `Cannot open artifact store '${url}': S3-compatible stores are not available yet`, {
      hint: 'Use a local folder for now: leave the artifact store URL unset, or give a path or a file:// URL.',
    });
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(url)) {
    throw new SluiceError('CONFIG_INVALID', `Cannot open artifact store '${url}': unsupported URL scheme`, {
      hint: 'Give a folder path or a file:// URL.',
    });
  }
  return new LocalArtifactStore(path.resolve(workspace, url));
}
