import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeManifest, MANIFEST_TYPE, type ArtifactStore } from './artifact-store.js';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function* chunked(data: Buffer, sizes: number[]) {
  let off = 0;
  for (let i = 0; off < data.length; i++) {
    const n = sizes[i % sizes.length];
    yield data.subarray(off, off + n);
    off += n;
  }
}

async function writeTree(root: string, files: Record<string, string | Buffer>, order: string[] = Object.keys(files)) {
  for (const rel of order) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, files[rel]);
  }
}

/**
 * Behaviour every ArtifactStore must have. `makeStore` returns a fresh, empty store for each call.
 * Backend-specific checks (on-disk layout, corruption of stored bytes, crashed writers) live in the backend's own tests.
 */
export function artifactStoreContract(name: string, makeStore: () => ArtifactStore | Promise<ArtifactStore>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let store: ArtifactStore;
    let work: string;

    beforeAll(async () => {
      store = await makeStore();
      work = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-contract-'));
    });
    afterAll(async () => {
      await fs.rm(work, { recursive: true, force: true });
    });

    it('putBytes() returns the SHA-256 and size, and readBytes() returns the same bytes', async () => {
      const data = randomBytes(100_000);
      const ref = await store.putBytes(data);
      expect(ref).toEqual({ digest: sha256(data), size: data.length });
      expect((await store.readBytes(ref.digest)).equals(data)).toBe(true);
      expect(await store.has(ref.digest)).toBe(true);
      expect(await store.stat(ref.digest)).toEqual({ size: data.length });
    });

    it('stores text as UTF-8 and the empty blob', async () => {
      const text = 'naïve café ✓';
      const ref = await store.putBytes(text);
      expect(ref.digest).toBe(sha256(Buffer.from(text, 'utf8')));
      expect((await store.readBytes(ref.digest)).toString('utf8')).toBe(text);
      const empty = await store.putBytes(new Uint8Array(0));
      expect(empty).toEqual({ digest: sha256(''), size: 0 });
      expect((await store.readBytes(empty.digest)).length).toBe(0);
    });

    it('gives the same digest for the same content via putBytes, putStream and putFile', async () => {
      const data = randomBytes(9 * 1024 * 1024 + 123);
      const file = path.join(work, 'same.bin');
      await fs.writeFile(file, data);
      const a = await store.putBytes(data);
      const b = await store.putStream(chunked(data, [1, 70_000, 5 * 1024 * 1024, 3]));
      const c = await store.putFile(file);
      const d = await store.putStream(Readable.from(chunked(data, [64 * 1024])));
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(d).toEqual(a);
    });

    it('createReadStream() streams the stored bytes', async () => {
      const data = randomBytes(10 * 1024 * 1024 + 7);
      const ref = await store.putBytes(data);
      expect((await collect(await store.createReadStream(ref.digest))).equals(data)).toBe(true);
    });

    it('putStream() fails when its source fails, storing nothing', async () => {
      async function* failing() {
        yield Buffer.from('partial');
        throw new Error('source broke');
      }
      await expect(store.putStream(failing())).rejects.toThrow('source broke');
      expect(await store.has(sha256('partial'))).toBe(false);
    });

    it('putStream() accepts strings and web streams', async () => {
      const ref = await store.putStream(Readable.from(['ab', 'c']));
      expect(ref.digest).toBe(sha256('abc'));
      const web = new Blob(['hello ', 'web']).stream() as unknown as AsyncIterable<Uint8Array>;
      expect((await store.putStream(web)).digest).toBe(sha256('hello web'));
    });

    it('concurrent puts of the same content all succeed with one digest', async () => {
      const data = randomBytes(3 * 1024 * 1024);
      const refs = await Promise.all([
        ...Array.from({ length: 4 }, () => store.putBytes(data)),
        ...Array.from({ length: 4 }, () => store.putStream(chunked(data, [100_000]))),
      ]);
      for (const ref of refs) expect(ref).toEqual({ digest: sha256(data), size: data.length });
      expect((await store.readBytes(sha256(data))).equals(data)).toBe(true);
    });

    it('reports a missing digest as ARTIFACT_MISSING', async () => {
      const absent = sha256('never stored ' + randomBytes(8).toString('hex'));
      expect(await store.has(absent)).toBe(false);
      expect(await store.stat(absent)).toBeNull();
      for (const attempt of [
        () => store.readBytes(absent),
        () => store.createReadStream(absent),
        () => store.materialize(absent, path.join(work, 'absent.bin')),
        () => store.readManifest(absent),
        () => store.materializeDirectory(absent, path.join(work, 'absent-dir')),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ code: 'ARTIFACT_MISSING', message: expect.stringContaining(absent) });
      }
      await expect(fs.access(path.join(work, 'absent.bin'))).rejects.toThrow();
      await expect(fs.access(path.join(work, 'absent-dir'))).rejects.toThrow();
    });

    it('rejects strings that are not digests, so none can name a path', async () => {
      const good = sha256('x');
      const bad = ['', '../../../etc/passwd', good.toUpperCase(), good.slice(1), good + '0', `../${good.slice(3)}`, `${good.slice(0, 63)}/`];
      for (const digest of bad) {
        for (const attempt of [
          () => store.has(digest),
          () => store.stat(digest),
          () => store.readBytes(digest),
          () => store.createReadStream(digest),
          () => store.materialize(digest, path.join(work, 'bad.bin')),
          () => store.readManifest(digest),
        ]) {
          await expect(attempt()).rejects.toMatchObject({ code: 'ARTIFACT_MISSING', message: expect.stringContaining('Invalid artifact digest') });
        }
      }
    });

    it('materialize() writes the blob, replacing an existing file', async () => {
      const data = randomBytes(5 * 1024 * 1024);
      const ref = await store.putBytes(data);
      const dest = path.join(work, 'out', 'deep', 'model.bin');
      await store.materialize(ref.digest, dest);
      expect((await fs.readFile(dest)).equals(data)).toBe(true);
      const other = await store.putBytes('other');
      await store.materialize(other.digest, dest);
      expect(await fs.readFile(dest, 'utf8')).toBe('other');
      expect((await fs.readdir(path.dirname(dest))).sort()).toEqual(['model.bin']);
    });

    it('putDirectory() and materializeDirectory() round-trip files, folders and the executable bit', async () => {
      const src = path.join(work, 'dir-src');
      const files = { 'model.onnx': randomBytes(2 * 1024 * 1024), 'meta/card.md': '# Card\n', 'meta/empty.txt': '', 'bin/run.sh': '#!/bin/sh\necho hi\n' };
      await writeTree(src, files);
      await fs.chmod(path.join(src, 'bin/run.sh'), 0o755);
      const ref = await store.putDirectory(src);

      const manifest = await store.readManifest(ref.digest);
      expect(manifest.type).toBe(MANIFEST_TYPE);
      expect(manifest.files.map((f) => f.path)).toEqual(['bin/run.sh', 'meta/card.md', 'meta/empty.txt', 'model.onnx']);
      expect(manifest.files.map((f) => f.mode)).toEqual([0o755, 0o644, 0o644, 0o644]);
      for (const f of manifest.files) {
        expect(f.digest).toBe(sha256(files[f.path as keyof typeof files]));
        expect(await store.has(f.digest)).toBe(true);
      }
      expect((await store.readBytes(ref.digest)).toString('utf8')).toBe(encodeManifest(manifest.files));

      const dest = path.join(work, 'dir-out');
      await store.materializeDirectory(ref.digest, dest);
      for (const [rel, content] of Object.entries(files)) {
        expect((await fs.readFile(path.join(dest, rel))).equals(Buffer.from(content))).toBe(true);
      }
      expect((await fs.stat(path.join(dest, 'bin/run.sh'))).mode & 0o777).toBe(0o755);
      expect((await fs.stat(path.join(dest, 'model.onnx'))).mode & 0o777).toBe(0o644);
      expect((await fs.readdir(work)).filter((n) => n.includes('.sluice-'))).toEqual([]);
    });

    it('gives the same manifest digest for the same folder, whatever the creation order', async () => {
      const files = { 'b.txt': 'b', 'a/z.txt': 'z', 'a/a.txt': 'a', 'a-b.txt': 'ab', 'A.txt': 'A' };
      const one = path.join(work, 'same-1');
      const two = path.join(work, 'same-2');
      await writeTree(one, files);
      await writeTree(two, files, Object.keys(files).reverse());
      const r1 = await store.putDirectory(one);
      const r2 = await store.putDirectory(two);
      expect(r2).toEqual(r1);
      expect((await store.readManifest(r1.digest)).files.map((f) => f.path)).toEqual(['A.txt', 'a-b.txt', 'a/a.txt', 'a/z.txt', 'b.txt']);
      await fs.writeFile(path.join(two, 'b.txt'), 'changed');
      expect((await store.putDirectory(two)).digest).not.toBe(r1.digest);
    });

    it('materializeDirectory() refuses a folder that is not empty, and accepts an empty one', async () => {
      const src = path.join(work, 'refuse-src');
      await writeTree(src, { 'x.txt': 'x' });
      const ref = await store.putDirectory(src);
      const full = path.join(work, 'refuse-full');
      await writeTree(full, { 'keep.txt': 'keep' });
      await expect(store.materializeDirectory(ref.digest, full)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await fs.readdir(full)).toEqual(['keep.txt']);
      const empty = path.join(work, 'refuse-empty');
      await fs.mkdir(empty);
      await store.materializeDirectory(ref.digest, empty);
      expect(await fs.readFile(path.join(empty, 'x.txt'), 'utf8')).toBe('x');
    });

    it('readManifest() rejects a blob that is not a manifest, or whose paths would escape', async () => {
      const notJson = await store.putBytes('not a manifest');
      await expect(store.readManifest(notJson.digest)).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
      const file = { digest: sha256('x'), size: 1, mode: 0o644 };
      for (const p of ['../evil', '/etc/passwd', 'a/../../b', 'a//b', '']) {
        const evil = await store.putBytes(JSON.stringify({ type: MANIFEST_TYPE, files: [{ path: p, ...file }] }));
        await expect(store.readManifest(evil.digest)).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
        await expect(store.materializeDirectory(evil.digest, path.join(work, 'evil'))).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT' });
      }
      await expect(fs.access(path.join(work, 'evil'))).rejects.toThrow();
    });

    it('cleanupTemp() on a quiet store removes nothing', async () => {
      expect(await store.cleanupTemp(0)).toBe(0);
    });

    it('has a location for messages', () => {
      expect(typeof store.location).toBe('string');
      expect(store.location.length).toBeGreaterThan(0);
    });
  });
}
