import { describe, expect, it } from 'vitest';
import { LocalExecutor, type ExecResult } from './executor.js';

/** Runs `n` processes that each record when they start and end, and returns the intervals. */
async function intervals(executor: LocalExecutor, n: number, cpus: number): Promise<Array<[number, number]>> {
  const runs = Array.from({ length: n }, async () => {
    let out = '';
    await executor.run({
      command: { shell: 'date +%s%N; sleep 0.4; date +%s%N' },
      cwd: '/tmp',
      env: process.env as Record<string, string>,
      cpus,
      memoryBytes: 100e6,
      timeoutMs: 10_000,
      onOutput: (t) => (out += t),
    });
    const [a, b] = out.trim().split('\n').map((x) => Number(BigInt(x) / 1000000n));
    return [a, b] as [number, number];
  });
  return Promise.all(runs);
}

const overlaps = (xs: Array<[number, number]>) => xs.some(([a1, b1], i) => xs.some(([a2, b2], j) => i !== j && a1 < b2 && a2 < b1));

describe('LocalExecutor', () => {
  it('never runs more steps at once than the CPUs allow', async () => {
    expect(overlaps(await intervals(new LocalExecutor({ cpus: 1 }), 3, 1))).toBe(false);
  });

  it('runs independent steps in parallel when CPUs are free', async () => {
    expect(overlaps(await intervals(new LocalExecutor({ cpus: 2 }), 2, 1))).toBe(true);
  });

  it('counts each step by the CPUs it requests', async () => {
    expect(overlaps(await intervals(new LocalExecutor({ cpus: 2 }), 2, 2))).toBe(false);
  });

  it('stops a process group over its time limit, children included', async () => {
    const started = Date.now();
    const r: ExecResult = await new LocalExecutor().run({
      command: { shell: 'sleep 30 & sleep 30' },
      cwd: '/tmp',
      env: process.env as Record<string, string>,
      cpus: 1,
      memoryBytes: 100e6,
      timeoutMs: 300,
      onOutput: () => {},
    });
    expect(r.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a non-zero exit as an error with its code', async () => {
    const r = await new LocalExecutor().run({
      command: { shell: 'exit 7' },
      cwd: '/tmp',
      env: process.env as Record<string, string>,
      cpus: 1,
      memoryBytes: 100e6,
      timeoutMs: 10_000,
      onOutput: () => {},
    });
    expect(r).toMatchObject({ failure: 'error', exitCode: 7 });
  });
});
