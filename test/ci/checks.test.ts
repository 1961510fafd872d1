import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sluice, sluiceJson } from '../helpers/cli.js';
import { tinyProject } from './_tiny.js';

interface CheckOut {
  name: string;
  status: string;
  exitCode: number | null;
  outputTail: string;
  durationMs: number;
  stage: string;
}

describe('sluice check', () => {
  it('runs the declared checks for real, records them, and `sluice ci` shows them for the same commit', () => {
    const dir = tinyProject();
    const r = sluiceJson<{ passed: boolean; commit: string; branch: string; checks: CheckOut[] }>(dir, ['check']);
    expect(r.code).toBe(0);
    expect(r.data.branch).toBe('main');
    expect(r.data.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.data.checks.map((c) => [c.name, c.status, c.exitCode])).toEqual([
      ['syntax', 'passed', 0],
      ['unit', 'passed', 0],
    ]);
    expect(r.data.checks[1].outputTail).toMatch(/1 passed/);

    const ci = sluiceJson<{ checks: CheckOut[]; checksNote: string; exitCode: number }>(dir, ['ci', '--sample']);
    expect(ci.code).toBe(0);
    expect(ci.data.checksNote).toMatch(/Recorded by `sluice check` for commit/);
    expect(ci.data.checks.map((c) => c.name)).toEqual(['syntax', 'unit']);
    const md = readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8');
    expect(md).toContain('| unit | `python3 -m pytest -q -p no:cacheprovider tests` | ✅ passed |');
  });

  it('fails with exit 11 and the output tail when a check fails; `sluice ci` then exits 11 too', () => {
    const dir = tinyProject();
    writeFileSync(join(dir, 'src', 'features.py'), 'def scale(x)\n    return 2 * x\n');
    const r = sluiceJson<{ passed: boolean; checks: CheckOut[] }>(dir, ['check']);
    expect(r.code).toBe(11);
    expect(r.data.passed).toBe(false);
    const [syntax, unit] = r.data.checks;
    expect(syntax).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(syntax.outputTail).toMatch(/SyntaxError/);
    expect(unit.status).toBe('failed');
    const text = sluice(dir, ['check']);
    expect(text.code).toBe(11);
    expect(text.stdout).toMatch(/syntax failed/);

    // Not recorded for this commit's report yet: sluice ci runs them itself, and reports the failure.
    const ci = sluiceJson<{ exitCode: number; outcome: string; checks: CheckOut[]; gates: { status: string }[] }>(dir, ['ci', '--sample']);
    expect(ci.code).toBe(11);
    expect(ci.data.outcome).toBe('fail');
    expect(ci.data.gates.every((g) => g.status !== 'fail')).toBe(true);
    expect(ci.data.checks.find((c) => c.name === 'syntax')?.status).toBe('failed');
    expect(readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8')).toMatch(/a check failed[\s\S]*syntax: last lines of output[\s\S]*SyntaxError/);
  });

  it('stops a check at its timeout, with everything it started', async () => {
    const dir = tinyProject();
    const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8').replace('\nchecks:\n', '\nchecks:\n  - { name: slow, run: "sleep 29.4321 & sleep 29.4321; wait", timeout: 1s }\n');
    writeFileSync(join(dir, 'sluice.yaml'), yaml);
    const t0 = Date.now();
    const r = sluiceJson<{ checks: CheckOut[] }>(dir, ['check', '--only', 'slow']);
    expect(r.code).toBe(11);
    expect(r.data.checks).toHaveLength(1);
    expect(r.data.checks[0]).toMatchObject({ name: 'slow', status: 'timeout' });
    expect(r.data.checks[0].outputTail).toMatch(/stopped after 1 s/);
    expect(Date.now() - t0).toBeLessThan(15_000);
    // The background sleep went with the shell: the whole process group was stopped.
    const alive = () => spawnSync('pgrep', ['-f', 'sleep 29.4321']).stdout.toString().trim();
    for (let i = 0; i < 30 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive()).toBe('');
    const unknown = sluice(dir, ['check', '--only', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/No check check 'nope'|No check 'nope'|No check/);
  });

  it('runs integration checks against an ephemeral model server of a registered version', () => {
    const dir = tinyProject();
    expect(sluice(dir, ['ci']).code).toBe(0);
    const r = sluiceJson<{ passed: boolean; checks: CheckOut[] }>(dir, ['check', '--stage', 'integration', '--ephemeral', 'tiny@1']);
    expect(r.code).toBe(0);
    expect(r.data.checks.map((c) => [c.name, c.status])).toEqual([
      ['health', 'passed'],
      ['api', 'passed'],
    ]);
    expect(r.data.checks[1].outputTail).toContain('"name":"tiny"');
    const missing = sluice(dir, ['check', '--stage', 'integration', '--ephemeral', 'tiny@9']);
    expect(missing.code).toBe(4);
    expect(sluice(dir, ['check', '--stage', 'integration']).code).toBe(2);
  });
});
