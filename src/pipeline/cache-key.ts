/**
 * A step's cache key: SHA-256 over its kind, its settings, the code it runs and the content of
 * its inputs. Same key, same outputs — so an unchanged step is never run twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { distPath } from '../dist-path.js';
import { SluiceError } from '../errors.js';

/** JSON with object keys sorted, so the same settings always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export function computeCacheKey(parts: { kind: string; config: unknown; code: string; inputs: Record<string, string>; extra?: unknown }): string {
  return sha256(canonicalJson({ v: 1, ...parts }));
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolvePromise, reject) => {
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolvePromise())
      .on('error', reject);
  });
  return hash.digest('hex');
}

let builtinCodeHash: Promise<string> | undefined;

/** Written by the build (scripts/build.js): the hash of every compiled file, computed once. */
export const BUILD_INFO = 'build-info.json';

/**
 * The hash of Sluice's own compiled code: built-in steps are "code files" too, so upgrading
 * Sluice re-runs them. The build records it in dist/build-info.json; without that file (running
 * from sources) it is computed over dist/.
 */
export function sluiceCodeHash(): Promise<string> {
  builtinCodeHash ??= readFile(distPath(BUILD_INFO), 'utf8').then(
    (text) => (JSON.parse(text) as { codeHash: string }).codeHash,
    () => hashDist(distPath('.')),
  );
  return builtinCodeHash;
}

export async function hashDist(root: string): Promise<string> {
  // The web UI (dist/ui) never runs in a step: a UI change must not invalidate users' caches.
  const files = (await listFiles(root)).filter((f) => f.endsWith('.js') && relative(root, f).split(/[\\/]/)[0] !== 'ui').sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(relative(root, f));
    hash.update('\0');
    hash.update(await readFile(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(p)));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Hash of a command step's declared code: files, folders (recursively) and glob patterns. */
export async function hashCodeFiles(projectDir: string, patterns: string[], where: string): Promise<string> {
  const { glob } = await import('tinyglobby');
  const files = new Set<string>();
  for (const pattern of patterns) {
    const abs = resolve(projectDir, pattern);
    const info = await stat(abs).catch(() => null);
    if (info?.isFile()) files.add(abs);
    else if (info?.isDirectory()) for (const f of await listFiles(abs)) files.add(f);
    else {
      const matched = await glob(pattern, { cwd: projectDir, absolute: true, onlyFiles: true });
      if (matched.length === 0) {
        throw new SluiceError('CONFIG_INVALID', `${where}: '${pattern}' matches no file`, {
          where,
          hint: 'List the files (or globs) your command reads, relative to the project folder.',
        });
      }
      for (const f of matched) files.add(f);
    }
  }
  const hash = createHash('sha256');
  for (const f of [...files].sort()) {
    hash.update(relative(projectDir, f));
    hash.update('\0');
    hash.update(await hashFile(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}
