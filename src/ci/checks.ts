/**
 * The project's declared checks (`checks:` in sluice.yaml): each command runs in a shell in the
 * project folder, in its own process group so a timeout stops everything it started.
 */
import { spawn } from 'node:child_process';
import type { CheckConfig } from '../config/index.js';

export type CheckStatus = 'passed' | 'failed' | 'timeout' | 'error';

export interface CheckResult {
  name: string;
  stage: string;
  command: string;
  status: CheckStatus;
  exitCode: number | null;
  durationMs: number;
  /** The last lines of its combined output: enough to see why it failed. */
  outputTail: string;
  startedAt: number;
}

const TAIL_LINES = 40;
const TAIL_CHARS = 4000;

export interface RunChecksOptions {
  dir: string;
  env?: Record<string, string>;
  onStart?: (check: CheckConfig) => void;
  onEnd?: (result: CheckResult) => void;
}

export async function runChecks(checks: CheckConfig[], options: RunChecksOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    options.onStart?.(check);
    const result = await runCheck(check, options);
    options.onEnd?.(result);
    results.push(result);
  }
  return results;
}

function runCheck(check: CheckConfig, options: RunChecksOptions): Promise<CheckResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  return new Promise((resolve) => {
    let output = '';
    const keep = (d: Buffer) => {
      output += d.toString();
      // Only the tail is kept: a chatty test suite must not fill memory.
      if (output.length > 4 * TAIL_CHARS) output = output.slice(-2 * TAIL_CHARS);
    };
    const child = spawn('sh', ['-c', check.run], {
      cwd: options.dir,
      env: { ...process.env, ...options.env, ...check.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let timedOut = false;
    let spawnError: string | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000).unref();
    }, check.timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      const status: CheckStatus = spawnError ? 'error' : timedOut ? 'timeout' : code === 0 ? 'passed' : 'failed';
      const note = timedOut ? `\n(stopped after ${Math.round(check.timeout / 1000)} s: the check's timeout)` : spawnError ? `\n${spawnError}` : '';
      resolve({
        name: check.name,
        stage: check.stage,
        command: check.run,
        status,
        exitCode: code,
        durationMs: Math.round(performance.now() - t0),
        outputTail: tail(output + note),
        startedAt,
      });
    });
    child.on('error', (e) => (spawnError = `cannot start the shell: ${e.message}`));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function tail(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const last = lines.slice(-TAIL_LINES).join('\n');
  return last.length > TAIL_CHARS ? last.slice(-TAIL_CHARS) : last;
}
