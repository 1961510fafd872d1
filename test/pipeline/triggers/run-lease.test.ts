/**
 * A run started by hand and a triggered run never overlap: `sluice run` waits for the run lease
 * a triggered run holds (or, with --no-wait, refuses with exit 9), then runs.
 */
import { describe, expect, it } from 'vitest';
import { makeProject, sluiceAsync, sluiceJson } from '../../helpers/cli.js';

describe('sluice run and the run lease', () => {
  it('waits for a triggered run in progress, or refuses with --no-wait', async () => {
    const dir = makeProject({
      'points.csv': 'x,y\n1,2\n3,4\n',
      'sluice.yaml': `project: leased
sources:
  points: { path: points.csv, columns: { x: integer, y: integer } }
steps:
  doubled: { kind: sql, inputs: { p: points }, query: "SELECT x * 2 AS x2 FROM p" }
  wait: { kind: command, run: "node -e \\"setTimeout(() => {}, 4000)\\"" }
`,
    });
    const triggered = sluiceAsync(dir, ['trigger', '--reason', 'test', '--json']);
    // Until the triggered run shows as running (it holds the lease from before it starts).
    for (let i = 0; i < 200; i++) {
      const runs = sluiceJson<{ status: string }[]>(dir, ['runs', 'list']).data;
      if (Array.isArray(runs) && runs.some((r) => r.status === 'running')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const refused = await sluiceAsync(dir, ['run', '--no-wait']);
    expect(refused.code, refused.stderr).toBe(9);
    expect(refused.stderr).toMatch(/Cannot start a run of 'leased' now: a triggered run is in progress/);

    const manual = await sluiceAsync(dir, ['run', '--json', '--force']);
    const trigger = await triggered;
    expect(trigger.code, trigger.stderr).toBe(0);
    expect(manual.code, manual.stderr).toBe(0);
    expect(manual.stderr).toMatch(/waiting: a triggered run is in progress/);

    const runs = sluiceJson<{ id: string; trigger: string; started_at: number; ended_at: number }[]>(dir, ['runs', 'list']).data;
    const t = runs.find((r) => r.trigger === 'manual' && r.id === (JSON.parse(trigger.stdout) as { pipeline_run_id: string }).pipeline_run_id)!;
    const m = runs.find((r) => r.id === (JSON.parse(manual.stdout) as { runId: string }).runId)!;
    expect(t && m).toBeTruthy();
    expect(m.started_at).toBeGreaterThanOrEqual(t.ended_at);
  });
});
