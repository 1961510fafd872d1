import type { Readable } from 'node:stream';
import { SluiceError } from '../errors.js';

/** Lowercase hex SHA-256 of an artifact's bytes: 64 characters. */
export type Digest = string;

export interface ArtifactRef {
  digest: Digest;
  size: number;
}

export interface ManifestEntry {
  /** Relative POSIX path inside the directory, `/`-separated. */
  path: string;
  digest: Digest;
  size: number;
  /** 0o644 or 0o755, normalised like git so that umask does not change the digest. */
  mode: number;
}

export const MANIFEST_TYPE = 'sluice.manifest/v1';

export interface Manifest {
  type: typeof MANIFEST_TYPE;
  /** Sorted by path (code-unit order). Empty folders are not recorded. */
  files: ManifestEntry[];
}

/** Bytes or text (UTF-8) streamed into the store: a Node Readable, a web ReadableStream, a generator. */
export type ArtifactSource = AsyncIterable<Uint8Array | string>;

/**
 * Content-addressed storage of blobs and directory manifests. Every read is verified
 * against the digest. Implemented by the local folder store and, later, an S3-compatible store;
 * both must pass `artifactStoreContract`.
 */
export interface ArtifactStore {
  /** Where the store lives, for messages: a path or a URL. */
  readonly location: string;

  putFile(path: string): Promise<ArtifactRef>;
  putBytes(data: Uint8Array | string): Promise<ArtifactRef>;
  putStream(source: ArtifactSource): Promise<ArtifactRef>;
  /** Stores every file under `dir`, then the canonical manifest; returns the manifest's ref. */
  putDirectory(dir: string): Promise<ArtifactRef>;

  has(digest: Digest): Promise<boolean>;
  stat(digest: Digest): Promise<{ size: number } | null>;
  /** Whole blob in memory, verified. Use `createReadStream` for big blobs. */
  readBytes(digest: Digest): Promise<Buffer>;
  /** Verifies as it streams; the stream errors with ARTIFACT_CORRUPT at its end if the hash differs. */
  createReadStream(digest: Digest): Promise<Readable>;
  /** Writes the verified blob to `destPath` atomically (replacing a file there). */
  materialize(digest: Digest, destPath: string): Promise<void>;
  /** Recreates the directory described by a manifest at `destDir`, which must not exist or be empty. */
  materializeDirectory(manifestDigest: Digest, destDir: string): Promise<void>;
  readManifest(digest: Digest): Promise<Manifest>;
  /** Removes temp files older than `olderThanMs` left by writers that are gone; returns how many. */
  cleanupTemp(olderThanMs: number): Promise<number>;
}

const DIGEST_RE = /^[0-9a-f]{64}$/;

/** Rejects anything that is not a digest, so a digest can never name a path outside the store. */
export function assertDigest(digest: unknown): asserts digest is Digest {
  if (typeof digest !== 'string' || !DIGEST_RE.test(digest)) {
    const shown = typeof digest === 'string' ? digest.slice(0, 80) : String(digest);
    throw new SluiceError('ARTIFACT_MISSING', `Invalid artifact digest '${shown}': expected 64 lowercase hex characters`, {
      hint: 'Use the digest printed when the artifact was stored (a SHA-256 in lowercase hex).',
      details: { digest: shown },
    });
  }
}

export function corruptError(digest: Digest, actual: string, location: string): SluiceError {
  return new SluiceError('ARTIFACT_CORRUPT', `Artifact ${digest} is corrupt: its content hashes to ${actual}`, {
    where: location,
    hint: 'Store the artifact again from its source, or restore the artifact store from a backup.',
    details: { digest, actual },
  });
}

export function missingError(digest: Digest, location: string): SluiceError {
  return new SluiceError('ARTIFACT_MISSING', `Artifact ${digest} is not in the artifact store`, {
    where: location,
    hint: 'Check that the artifact store URL is the one the artifact was written to.',
    details: { digest },
  });
}

/** Canonical bytes of a manifest: fixed key order, entries sorted by path, no whitespace. */
export function encodeManifest(files: ManifestEntry[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: Manifest = {
    type: MANIFEST_TYPE,
    files: sorted.map((f) => ({ path: f.path, digest: f.digest, size: f.size, mode: f.mode })),
  };
  return JSON.stringify(manifest);
}

function isSafeRelativePath(p: unknown): p is string {
  if (typeof p !== 'string' || p === '' || p.includes('\0') || p.startsWith('/')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Parses and checks a manifest blob; paths that could escape the target folder are refused. */
export function decodeManifest(digest: Digest, bytes: Uint8Array, location: string): Manifest {
  const bad = (why: string) =>
    new SluiceError('ARTIFACT_CORRUPT', `Artifact ${digest} is not a valid ${MANIFEST_TYPE} manifest: ${why}`, {
      where: location,
      hint: 'Pass the digest returned by putDirectory.',
      details: { digest },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw bad('it is not JSON');
  }
  const m = parsed as Partial<Manifest> | null;
  if (!m || m.type !== MANIFEST_TYPE || !Array.isArray(m.files)) throw bad(`its type is not '${MANIFEST_TYPE}'`);
  const seen = new Set<string>();
  for (const f of m.files as unknown[]) {
    const e = f as Partial<ManifestEntry> | null;
    if (!e || !isSafeRelativePath(e.path)) throw bad(`unsafe path '${String(e?.path)}'`);
    if (typeof e.digest !== 'string' || !DIGEST_RE.test(e.digest)) throw bad(`bad digest for '${e.path}'`);
    if (!Number.isSafeInteger(e.size) || (e.size as number) < 0) throw bad(`bad size for '${e.path}'`);
    if (e.mode !== 0o644 && e.mode !== 0o755) throw bad(`bad mode for '${e.path}'`);
    if (seen.has(e.path)) throw bad(`duplicate path '${e.path}'`);
    seen.add(e.path);
  }
  return m as Manifest;
}
