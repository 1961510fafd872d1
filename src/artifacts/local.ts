import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { SluiceError } from '../errors.js';
import {
  assertDigest,
  corruptError,
  decodeManifest,
  encodeManifest,
  missingError,
  type ArtifactRef,
  type ArtifactSource,
  type ArtifactStore,
  type Digest,
  type Manifest,
  type ManifestEntry,
} from './artifact-store.js';

/** Read and write unit: large enough that per-call overhead vanishes next to hashing. */
const CHUNK = 4 << 20;
/** Small stream chunks are gathered up to this size before one write. */
const MIN_WRITE = 1 << 20;
const OBJECT_MODE = 0o444;
const PARALLEL_FILES = 4;

/** Temp names carry the writer's host and pid, so cleanupTemp can tell a live writer from a dead one. */
const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
const TEMP_RE = /^([0-9a-f]{8})\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Artifact store in a local folder: `<root>/objects/<2 hex>/<62 hex>`, temp files in `<root>/tmp/`.
 * A write goes to a temp file, is fsynced, then renamed into place, so a killed writer
 * never leaves a partial object behind.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  readonly location: string;
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private ready?: Promise<void>;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.location = this.root;
    this.objectsDir = path.join(this.root, 'objects');
    this.tmpDir = path.join(this.root, 'tmp');
  }

  async putBytes(data: Uint8Array | string): Promise<ArtifactRef> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const digest = createHash('sha256').update(buf).digest('hex');
    const existing = await this.stat(digest);
    if (existing?.size === buf.length) return { digest, size: buf.length };
    return this.writeObject(async (fh) => {
      await writeAll(fh, buf);
      return { digest, size: buf.length };
    });
  }

  async putStream(source: ArtifactSource): Promise<ArtifactRef> {
    return this.writeObject((fh) => copyHashing(source, fh));
  }

  async putFile(file: string): Promise<ArtifactRef> {
    const src = await fs.open(file, 'r');
    try {
      return await this.putStream(src.createReadStream({ highWaterMark: CHUNK, autoClose: false }));
    } finally {
      await src.close();
    }
  }

  async putDirectory(dir: string): Promise<ArtifactRef> {
    const root = path.resolve(dir);
    const files = await listFiles(root);
    const entries = await mapLimit(files, PARALLEL_FILES, async (f): Promise<ManifestEntry> => {
      const ref = await this.putFile(f.abs);
      return { path: f.rel, digest: ref.digest, size: ref.size, mode: f.executable ? 0o755 : 0o644 };
    });
    return this.putBytes(encodeManifest(entries));
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.stat(digest)) !== null;
  }

  async stat(digest: Digest): Promise<{ size: number } | null> {
    assertDigest(digest);
    try {
      return { size: (await fs.stat(this.objectPath(digest))).size };
    } catch (e) {
      if (isCode(e, 'ENOENT')) return null;
      throw e;
    }
  }

  async readBytes(digest: Digest): Promise<Buffer> {
    assertDigest(digest);
    let buf: Buffer;
    try {
      buf = await fs.readFile(this.objectPath(digest));
    } catch (e) {
      throw isCode(e, 'ENOENT') ? missingError(digest, this.location) : e;
    }
    const actual = createHash('sha256').update(buf).digest('hex');
    if (actual !== digest) throw corruptError(digest, actual, this.location);
    return buf;
  }

  async createReadStream(digest: Digest): Promise<Readable> {
    const fh = await this.openObject(digest);
    const location = this.location;
    async function* verified() {
      const hash = createHash('sha256');
      // The inner stream closes the handle when it ends or when the consumer stops early.
      for await (const chunk of fh.createReadStream({ highWaterMark: CHUNK })) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
      const actual = hash.digest('hex');
      if (actual !== digest) throw corruptError(digest, actual, location);
    }
    return Readable.from(verified(), { objectMode: false, highWaterMark: CHUNK });
  }

  async materialize(digest: Digest, destPath: string): Promise<void> {
    assertDigest(digest);
    const dest = path.resolve(destPath);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    const tmp = siblingTemp(dest);
    try {
      await this.copyVerified(digest, tmp, 0o644);
      await fs.rename(tmp, dest);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    await fsyncDir(path.dirname(dest));
  }

  async materializeDirectory(manifestDigest: Digest, destDir: string): Promise<void> {
    const manifest = await this.readManifest(manifestDigest);
    const dest = path.resolve(destDir);
    const existing = await fs.readdir(dest).catch((e) => (isCode(e, 'ENOENT') ? null : Promise.reject(e)));
    if (existing && existing.length > 0) {
      throw new SluiceError('CONFLICT', `Cannot materialize artifact ${manifestDigest} into '${dest}': the folder is not empty`, {
        hint: 'Choose a new folder, or remove this one first.',
      });
    }
    // Build beside the destination, then rename: readers see all of the folder or none of it.
    await fs.mkdir(path.dirname(dest), { recursive: true });
    const staging = siblingTemp(dest);
    try {
      await fs.mkdir(staging);
      await mapLimit(manifest.files, PARALLEL_FILES, async (f) => {
        const target = path.join(staging, ...f.path.split('/'));
        await fs.mkdir(path.dirname(target), { recursive: true });
        await this.copyVerified(f.digest, target, f.mode);
      });
      await fs.rename(staging, dest);
    } catch (e) {
      await fs.rm(staging, { recursive: true, force: true });
      throw e;
    }
    await fsyncDir(path.dirname(dest));
  }

  async readManifest(digest: Digest): Promise<Manifest> {
    return decodeManifest(digest, await this.readBytes(digest), this.location);
  }

  async cleanupTemp(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.tmpDir);
    } catch (e) {
      if (isCode(e, 'ENOENT')) return 0;
      throw e;
    }
    let removed = 0;
    const now = Date.now();
    for (const name of names) {
      const m = TEMP_RE.exec(name);
      if (!m) continue;
      if (m[1] === HOST_TAG && processAlive(Number(m[2]))) continue;
      const file = path.join(this.tmpDir, name);
      const st = await fs.stat(file).catch(() => null);
      if (!st || now - st.mtimeMs < olderThanMs) continue;
      await fs.rm(file, { force: true });
      removed++;
    }
    return removed;
  }

  private objectPath(digest: Digest): string {
    return path.join(this.objectsDir, digest.slice(0, 2), digest.slice(2));
  }

  private async openObject(digest: Digest): Promise<FileHandle> {
    assertDigest(digest);
    try {
      return await fs.open(this.objectPath(digest), 'r');
    } catch (e) {
      throw isCode(e, 'ENOENT') ? missingError(digest, this.location) : e;
    }
  }

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(this.objectsDir, { recursive: true });
      await fs.mkdir(this.tmpDir, { recursive: true });
    })();
    return this.ready;
  }

  /** Runs `write` into a fresh temp file, then fsyncs it and moves it into place unless the object exists. */
  private async writeObject(write: (fh: FileHandle) => Promise<ArtifactRef>): Promise<ArtifactRef> {
    await this.init();
    const tmp = path.join(this.tmpDir, `${HOST_TAG}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
    const fh = await fs.open(tmp, 'wx', 0o600);
    let closed = false;
    try {
      const ref = await write(fh);
      // An object of the wrong size was damaged outside Sluice: this good copy replaces it.
      const exists = (await this.stat(ref.digest))?.size === ref.size;
      if (!exists) {
        await fh.sync();
        await fh.chmod(OBJECT_MODE);
      }
      closed = true;
      await fh.close();
      if (exists) {
        await fs.rm(tmp, { force: true });
        return ref;
      }
      const shard = path.dirname(this.objectPath(ref.digest));
      if (await fs.mkdir(shard, { recursive: true })) await fsyncDir(this.objectsDir);
      await fs.rename(tmp, this.objectPath(ref.digest));
      await fsyncDir(shard);
      return ref;
    } catch (e) {
      if (!closed) await fh.close().catch(() => {});
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  /** Copies an object to `target` (a new file), verifying the bytes that were written, fsynced. */
  private async copyVerified(digest: Digest, target: string, mode: number): Promise<void> {
    const src = await this.openObject(digest);
    try {
      const out = await fs.open(target, 'wx', 0o600);
      try {
        const { digest: actual } = await copyHashing(src.createReadStream({ highWaterMark: CHUNK, autoClose: false }), out);
        if (actual !== digest) throw corruptError(digest, actual, this.location);
        await out.chmod(mode);
        await out.sync();
      } finally {
        await out.close();
      }
    } catch (e) {
      await fs.rm(target, { force: true });
      throw e;
    } finally {
      await src.close();
    }
  }
}

/** One pass over the source: each buffer is hashed while the same buffer is being written. */
async function copyHashing(source: ArtifactSource, fh: FileHandle): Promise<ArtifactRef> {
  const hash = createHash('sha256');
  let size = 0;
  let parts: Uint8Array[] = [];
  let pending = 0;
  const flush = async () => {
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    const written = writeAll(fh, buf);
    hash.update(buf);
    size += buf.length;
    await written;
  };
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (buf.length === 0) continue;
    parts.push(buf);
    pending += buf.length;
    if (pending >= MIN_WRITE) await flush();
  }
  if (pending > 0) await flush();
  return { digest: hash.digest('hex'), size };
}

async function writeAll(fh: FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function siblingTemp(p: string): string {
  return `${p}.sluice-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isCode(e, 'EPERM');
  }
}

function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

interface FoundFile {
  abs: string;
  rel: string;
  executable: boolean;
}

/** Regular files under `root`, following symlinks to files; other kinds of entry are refused. */
async function listFiles(root: string, rel = ''): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  for (const ent of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    const abs = path.join(root, r);
    if (ent.isDirectory()) {
      out.push(...(await listFiles(root, r)));
      continue;
    }
    const st = ent.isFile() || ent.isSymbolicLink() ? await fs.stat(abs) : null;
    if (!st?.isFile()) {
      throw new SluiceError('USAGE', `Cannot store folder '${root}': '${r}' is not a regular file`, {
        hint: 'Artifact folders hold regular files and subfolders only; symbolic links to files are followed.',
      });
    }
    out.push({ abs, rel: r, executable: (st.mode & 0o111) !== 0 });
  }
  return out;
}

/** Runs `fn` on up to `limit` items at a time; on a failure, waits for the running ones before throwing. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}
