/**
 * The flights demo in a reduced form (2,000 flights a month replayed, 20,000 labels landing, a
 * month every 4 s), run as a user runs it: scripts/demo-flights.js on a copy of
 * examples/flights/live with its own port. February's accuracy drop fires the alert, the retrain
 * on the newest data registers flights-delay@2, the canary promotes it, and the timeline is in
 * the store.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../deploy/_env.js';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { distDir, projects, triggers } from '../pipeline/triggers/_dist.js';

describe('flights replay', () => {
  it('drift and accuracy per month, an alert, the automatic retrain, canary promotion, the timeline', async () => {
    const root = tempDir('sluice-flights-');
    const dir = join(root, 'flights', 'live');
    mkdirSync(dir, { recursive: true });
    cpSync(join(repoRoot, 'examples', 'flights', 'sql'), join(root, 'flights', 'sql'), { recursive: true });
    const yaml = readFileSync(join(repoRoot, 'examples', 'flights', 'live', 'sluice.yaml'), 'utf8');
    writeFileSync(join(dir, 'sluice.yaml'), yaml.replace('port: 8090', `port: ${await freePort()}`));

    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo-flights.js'), '--dir', dir, '--rows', '2000', '--landed', '20000', '--month-seconds', '4'], {
      env: { ...process.env, NO_COLOR: '1', SLUICE_TEST_DIST: distDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(0);

    // One line per month with its accuracy and drift share.
    for (const month of ['February', 'March', 'April', 'May', 'June']) expect(out).toMatch(new RegExp(`${month} +2000 flights served by flights-delay@\\d.*accuracy +\\d+\\.\\d%.*drift share +\\d+\\.\\d%`));
    expect(out).toMatch(/alert 'accuracy_drop': pending → firing/);
    expect(out).toMatch(/flights-delay@2 promoted in production/);

    const project = await (await projects()).openProject(dir);
    try {
      const db = project.store.db;
      const events = await (await triggers()).listTriggerEvents(db, 'flights-live', { kind: 'alert' });
      const promoted = events.find((e) => e.status === 'promoted')!;
      expect(promoted).toMatchObject({ model: 'flights-delay', version: 2, environment: 'production' });
      expect(promoted.cause.rule).toBe('accuracy_drop');
      // The retrain trained on newer data than January: its newest training flights are from February.
      const mv = await db.selectFrom('model_versions').selectAll().where('name', '=', 'flights-delay').where('version', '=', 2).executeTakeFirstOrThrow();
      expect(mv.pipeline_run_id).toBe(promoted.pipelineRunId);
      const alias = await db.selectFrom('model_aliases').select('version').where('name', '=', 'flights-delay').where('alias', '=', 'production').executeTakeFirstOrThrow();
      expect(alias.version).toBe(2);
      const monitorRuns = await db.selectFrom('monitor_runs').select(['version', 'accuracy']).where('project', '=', 'flights-live').execute();
      expect(new Set(monitorRuns.map((r) => r.version))).toEqual(new Set([1, 2]));
      const accuracies = monitorRuns.map((r) => r.accuracy).filter((a): a is number => a !== null);
      expect(Math.max(...accuracies) - Math.min(...accuracies)).toBeGreaterThan(0.03);
    } finally {
      await project.close();
    }
  });
});
