import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactStoreContract } from './artifact-store.contract.js';
import { openArtifactStore, LocalArtifactStore } from './index.js';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const here = path.dirname(fileURLToPath(import.meta.url));

let scratch: string;
let n = 0;
const freshRoot = () => path.join(scratch, `store-${n++}`);

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-artifacts-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

artifactStoreContract('LocalArtifactStore', () => new LocalArtifactStore(freshRoot()));

/** Every file under `dir`, relative, sorted. */
async function listAll(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function flipByte(file: string, offset: number): Promise<void> {
  await fs.chmod(file, 0o644);
  const fh = await fs.open(file, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, offset);
  b[0] ^= 0xff;
  await fh.write(b, 0, 1, offset);
  await fh.close();
}

describe('LocalArtifactStore', () => {
  it('stores an object read-only at objects/<2 hex>/<62 hex>, once per content', async () => {
    const root = freshRoot();
    const store = new LocalArtifactStore(root);
    const data = randomBytes(2 * 1024 * 1024);
    const d = sha256(data);
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? store.putBytes(data) : store.putStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)])))));
    await store.putBytes(data);
    expect(await listAll(path.join(root, 'objects'))).toEqual([path.join(d.slice(0, 2), d.slice(2))]);
    expect((await fs.stat(path.join(root, 'objects', d.slice(0, 2), d.slice(2)))).mode & 0o777).toBe(0o444);
    expect(await listAll(path.join(root, 'tmp'))).toEqual([]);
  });

  it('replaces an object whose size was damaged when the same content is stored again', async () => {
    const root = freshRoot();
    const store = new LocalArtifactStore(root);
    const ref = await store.putBytes('complete content');
    const file = path.join(root, 'objects', ref.digest.slice(0, 2), ref.digest.slice(2));
    await fs.chmod(file, 0o644);
    await fs.truncate(file, 3);
    await expect(store.readBytes(ref.digest)).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
    await store.putBytes('complete content');
    expect((await store.readBytes(ref.digest)).toString()).toBe('complete content');
  });

  describe('detects a flipped byte in a stored object', () => {
    let store: LocalArtifactStore;
    let digest: string;
    let manifestDigest: string;
    let root: string;

    beforeAll(async () => {
      root = freshRoot();
      store = new LocalArtifactStore(root);
      const dir = path.join(scratch, 'corrupt-src');
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'weights.bin'), randomBytes(6 * 1024 * 1024));
      const manifest = await store.putDirectory(dir);
      manifestDigest = manifest.digest;
      digest = (await store.readManifest(manifest.digest)).files[0].digest;
      await flipByte(path.join(root, 'objects', digest.slice(0, 2), digest.slice(2)), 5 * 1024 * 1024 + 17);
    });

    it('readBytes() throws ARTIFACT_CORRUPT naming the digest', async () => {
      await expect(store.readBytes(digest)).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT', message: expect.stringContaining(digest) });
    });

    it('createReadStream() errors at the end of the stream', async () => {
      const stream = await store.createReadStream(digest);
      let bytes = 0;
      const consume = async () => {
        for await (const chunk of stream) bytes += (chunk as Buffer).length;
      };
      await expect(consume()).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT', message: expect.stringContaining(digest) });
      expect(bytes).toBe(6 * 1024 * 1024);
    });

    it('materialize() and materializeDirectory() throw and leave nothing behind', async () => {
      const out = path.join(scratch, 'corrupt-out');
      await fs.mkdir(out, { recursive: true });
      await expect(store.materialize(digest, path.join(out, 'w.bin'))).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
      await expect(store.materializeDirectory(manifestDigest, path.join(out, 'dir'))).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
      expect(await fs.readdir(out)).toEqual([]);
    });
  });

  it('a writer killed with SIGKILL mid-putStream leaves no object, and cleanupTemp() removes its temp file', async () => {
    const root = freshRoot();
    const child = spawn(process.execPath, [await buildChildScript(), root], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      child.on('exit', () => reject(new Error('child exited before writing')));
    });
    const temps = await listAll(path.join(root, 'tmp'));
    expect(temps).toHaveLength(1);
    expect((await fs.stat(path.join(root, 'tmp', temps[0]))).size).toBeGreaterThan(0);

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(await listAll(path.join(root, 'objects'))).toEqual([]);
    const store = new LocalArtifactStore(root);
    expect(await store.cleanupTemp(60_000)).toBe(0); // too recent
    expect(await store.cleanupTemp(0)).toBe(1);
    expect(await listAll(path.join(root, 'tmp'))).toEqual([]);
  });

  it('cleanupTemp() leaves the temp file of a live writer alone', async () => {
    const store = new LocalArtifactStore(freshRoot());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const writing = new Promise<void>((r) => (started = r));
    const put = store.putStream(
      (async function* () {
        yield Buffer.alloc(2 * 1024 * 1024, 1);
        started();
        await gate;
        yield Buffer.from('end');
      })(),
    );
    await writing;
    expect(await store.cleanupTemp(0)).toBe(0);
    release();
    const ref = await put;
    expect((await store.readBytes(ref.digest)).length).toBe(2 * 1024 * 1024 + 3);
  });

  it('putDirectory() refuses special files such as a symbolic link to a folder', async () => {
    const dir = path.join(scratch, 'with-link');
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
    await fs.writeFile(path.join(dir, 'sub', 'a.txt'), 'a');
    await fs.symlink(path.join(dir, 'sub'), path.join(dir, 'link'));
    const store = new LocalArtifactStore(freshRoot());
    await expect(store.putDirectory(dir)).rejects.toMatchObject({ message: expect.stringContaining("'link'") });
    await fs.rm(path.join(dir, 'link'));
    await fs.symlink(path.join(dir, 'sub', 'a.txt'), path.join(dir, 'file-link'));
    const manifest = await store.readManifest((await store.putDirectory(dir)).digest);
    expect(manifest.files.map((f) => f.path)).toEqual(['file-link', 'sub/a.txt']);
  });
});

describe('openArtifactStore()', () => {
  it('defaults to <workspace>/artifacts and accepts a path or a file:// URL', () => {
    expect(openArtifactStore({ workspace: '/w' }).location).toBe('/w/artifacts');
    expect(openArtifactStore({ workspace: '/w', url: 'store' }).location).toBe('/w/store');
    expect(openArtifactStore({ workspace: '/w', url: '/elsewhere/a' }).location).toBe('/elsewhere/a');
    expect(openArtifactStore({ workspace: '/w', url: 'file:///srv/art%20ifacts' }).location).toBe('/srv/art ifacts');
  });

  it('explains that S3 is not available yet', () => {
    expect(() => openArtifactStore({ workspace: '/w', url: 's3://bucket/prefix' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('S3'), hint: expect.stringContaining('local folder') }),
    );
    expect(() => openArtifactStore({ workspace: '/w', url: 'gs://bucket' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

/**
 * Node 20 cannot run TypeScript, so the child gets this folder transpiled to JavaScript.
 * It then writes 256 KiB every 20 ms, forever, until it is killed.
 */
async function buildChildScript(): Promise<string> {
  const out = path.join(scratch, 'child');
  const sources: Record<string, string> = {
    'errors.js': path.join(here, '..', 'errors.ts'),
    'artifacts/artifact-store.js': path.join(here, 'artifact-store.ts'),
    'artifacts/local.js': path.join(here, 'local.ts'),
  };
  for (const [rel, src] of Object.entries(sources)) {
    const { outputText } = ts.transpileModule(await fs.readFile(src, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    await fs.mkdir(path.dirname(path.join(out, rel)), { recursive: true });
    await fs.writeFile(path.join(out, rel), outputText);
  }
  await fs.writeFile(path.join(out, 'package.json'), '{"type":"module"}');
  const script = path.join(out, 'slow-writer.js');
  await fs.writeFile(
    script,
    `import { LocalArtifactStore } from './artifacts/local.js';
const store = new LocalArtifactStore(process.argv[2]);
async function* slow() {
  for (let i = 0; ; i++) {
    yield Buffer.alloc(256 * 1024, i);
    if (i === 8) setTimeout(() => process.stdout.write('writing\\n'), 50);
    await new Promise((r) => setTimeout(r, 20));
  }
}
await store.putStream(slow());
`,
  );
  return script;
}
