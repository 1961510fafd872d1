/** Runs the real `sluice` command (the built dist/) on a project folder, as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sluiceBin = join(repoRoot, 'bin', 'sluice.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function sluice(dir: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [sluiceBin, '-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function sluiceJson<T = Record<string, unknown>>(dir: string, args: string[]): { code: number; data: T; stderr: string } {
  const r = sluice(dir, [...args, '--json']);
  let data: T;
  try {
    data = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`sluice ${args.join(' ')} --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, data, stderr: r.stderr };
}

/**
 * Runs `sluice` without blocking the test's event loop: needed when the test itself serves
 * something the command talks to (an HTTP server on loopback).
 */
export function sluiceAsync(dir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [sluiceBin, '-C', dir, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts `sluice` without waiting, for tests that interrupt or kill it. */
export function sluiceSpawn(dir: string, args: string[]) {
  return spawn(process.execPath, [sluiceBin, '-C', dir, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempDir(prefix = 'sluice-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Where the income example's monitoring section (monitors, alerts, channels) starts. */
export const INCOME_MONITORING_MARK = '# ── Monitoring';

/**
 * A fresh copy of the income example (its sluice.yaml and data, no workspace). Without
 * `monitoring`, the example's monitoring section (the end of its sluice.yaml) is left out, so a
 * test can declare monitors and alerts of its own.
 */
export function incomeProject(options: { monitoring?: boolean } = {}): string {
  const dir = tempDir('sluice-income-');
  const yaml = readFileSync(join(repoRoot, 'examples', 'income', 'sluice.yaml'), 'utf8');
  const at = yaml.indexOf(INCOME_MONITORING_MARK);
  writeFileSync(join(dir, 'sluice.yaml'), options.monitoring || at < 0 ? yaml : yaml.slice(0, at));
  cpSync(join(repoRoot, 'examples', 'income', 'data'), join(dir, 'data'), { recursive: true });
  cpSync(join(repoRoot, 'examples', 'income', 'expectations'), join(dir, 'expectations'), { recursive: true });
  return dir;
}

/** A project made of the given files (paths relative to the project folder). */
export function makeProject(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
