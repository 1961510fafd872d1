/**
 * The retrain loop end to end on the income example, every part real: a production environment
 * (router and model servers on loopback) serving income@1 under load, a monitor over its
 * prediction log, alert rules with `actions: [retrain]`. An alert fires → a pipeline run with
 * trigger `alert` → income@2 registered → canary with analysis → promoted. Then a stricter gate:
 * the next alert's run is blocked, recorded with the gate, and production keeps income@2; then a
 * canary analysis that fails stops income@3 and production still serves income@2.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../../src/deploy/index.js';
import type { Project } from '../../../src/project.js';
import { freePort, loadGenerator, RECORD } from '../../deploy/_env.js';
import { incomeProject } from '../../helpers/cli.js';
import { alerts, deploy, distBin, monitoring, projects, triggers } from './_dist.js';

const HOUR = 3_600_000;

function cli(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [distBin, '-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function retrainProject(): Promise<string> {
  const dir = incomeProject();
  const path = join(dir, 'sluice.yaml');
  // A faster model (fewer trees, no logistic baseline), the same gates.
  let text = readFileSync(path, 'utf8').replaceAll('max_iter: 300', 'max_iter: 60');
  text = text.replace(/  # A simpler model trained[\s\S]*?(?=  test:\n)/, '').replace(/  test_baseline:\n(    .*\n)+/, '');
  text = text.slice(0, text.search(/^(# [^\n]*\n)*environments:/m));
  const smoke = `[{ request: { records: [${JSON.stringify(RECORD)}] }, expect: { probability: { min: 0, max: 1 } } }]`;
  text += `
environments:
  production:
    port: ${await freePort()}
    smoke: ${smoke}
    canary: { steps: [{ weight: 50 }, { pause: 1s }], analysis: { max_error_rate: 0, max_p99_ms: 5000, max_prediction_shift: 0.5, min_requests: 1 } }
monitors:
  traffic: { model: income@production, window: { rows: 50 }, min_rows: 20, schedule: 1m }
alerts:
  busy: { monitor: traffic, metric: rows, op: ">=", threshold: 1, actions: [retrain] }
  busy_twice: { monitor: traffic, metric: rows, op: ">=", threshold: 1, for: { evaluations: 2 }, actions: [retrain] }
  busy_thrice: { monitor: traffic, metric: rows, op: ">=", threshold: 1, for: { evaluations: 3 }, actions: [retrain] }
triggers:
  retrain: { environment: production, strategy: canary, min_interval: 1h, force: true }
`;
  writeFileSync(path, text);
  return dir;
}

describe('retrain on alert', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  });

  it('alert → pipeline run → new model version → canary → promoted; a blocking gate, a failed canary → stopped there and recorded', async () => {
    const dir = await retrainProject();
    const first = cli(dir, ['run', '--quiet']);
    expect(first.code, first.stdout + first.stderr).toBe(0);

    const { openProject } = await projects();
    const { Scheduler, listTriggerEvents } = await triggers();
    const { monitoringHooks } = await monitoring();
    const envProject = await openProject(dir);
    cleanup.push(() => envProject.close());
    const env: Environment = await (await deploy()).startEnvironment(envProject, 'production');
    cleanup.push(() => env.close());
    expect((await env.deploy({ model: 'income@1', strategy: 'direct', actor: 'test' })).status).toBe('applied');
    const load = loadGenerator(env.url, 2, 240_000);
    cleanup.push(() => load.stop());
    const db = envProject.store.db;
    const logged = async () => Number((await db.selectFrom('prediction_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    while ((await logged()) < 30) await new Promise((r) => setTimeout(r, 100));

    // 1. The alert fires; the retrain runs, registers income@2 and ships it by canary.
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const project: Project = await openProject(dir);
    cleanup.push(() => project.close());
    const lines: string[] = [];
    const scheduler = new Scheduler(project, { clock, monitoring: await monitoringHooks(project), log: (l) => lines.push(l) });
    const tick = await scheduler.tick();
    expect(tick.errors).toEqual([]);
    expect(tick.monitors).toEqual(['traffic']);
    expect(tick.retrains.map((r) => r.status)).toEqual(['started']);
    await scheduler.whenIdle();

    const [event] = await listTriggerEvents(db, 'income', { kind: 'alert' });
    expect(event, lines.join('\n')).toMatchObject({ status: 'promoted', model: 'income', version: 2, environment: 'production', reason: null });
    const [alertEvent] = (await (await alerts()).listAlertEvents(db, 'income', { rule: 'busy' })).filter((a) => a.to === 'firing');
    expect(event.cause).toMatchObject({ rule: 'busy', event_id: alertEvent.id, monitor: 'traffic' });
    const run = await db.selectFrom('pipeline_runs').selectAll().where('id', '=', event.pipelineRunId!).executeTakeFirstOrThrow();
    expect(run.trigger).toBe('alert');
    expect(JSON.parse(run.trigger_cause!)).toMatchObject({ rule: 'busy', event_id: alertEvent.id, trigger_event: event.id });
    const mv = await db.selectFrom('model_versions').selectAll().where('name', '=', 'income').where('version', '=', 2).executeTakeFirstOrThrow();
    expect(mv.pipeline_run_id).toBe(run.id);
    const { listRevisions } = await deploy();
    const revision = (await listRevisions(db, 'production')).find((r) => r.id === event.revisionId)!;
    expect(revision).toMatchObject({ model: 'income', version: 2, strategy: 'canary', status: 'applied', actor: 'sluice-retrain' });
    expect((revision.detail.analyses as { status: string }[]).map((a) => a.status)).toEqual(['successful']);
    expect(env.state().stable).toBe('income@2');
    const alias = await db.selectFrom('model_aliases').select('version').where('name', '=', 'income').where('alias', '=', 'production').executeTakeFirstOrThrow();
    expect(alias.version).toBe(2);

    // `sluice runs show` walks the chain: alert event → run → model version → revision.
    const shown = cli(dir, ['runs', 'show', run.id]);
    expect(shown.stdout).toContain(`triggered by alert: alert busy (event ${alertEvent.id})`);
    expect(shown.stdout).toContain(`registered income@2 → revision ${revision.id} in production → promoted`);
    // …and so does the alert log: the firing event names the retrain it led to.
    const listed = JSON.parse(cli(dir, ['alerts', 'list', '--events', '--json']).stdout) as { events: { id: number; retrain: unknown }[] };
    expect(listed.events.find((e) => e.id === alertEvent.id)?.retrain).toMatchObject({ status: 'promoted', model: 'income', version: 2, environment: 'production', pipelineRunId: run.id, revisionId: revision.id });

    // 2. A stricter accuracy gate; two hours later the other rule fires: the run is blocked at the gate.
    const path = join(dir, 'sluice.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('{ metric: accuracy, op: ">=", threshold: 0.85 }', '{ metric: accuracy, op: ">=", threshold: 0.99 }'));
    const strict: Project = await openProject(dir);
    cleanup.push(() => strict.close());
    offset = 2 * HOUR;
    const again = new Scheduler(strict, { clock, monitoring: await monitoringHooks(strict), log: (l) => lines.push(l) });
    const tick2 = await again.tick();
    expect(tick2.errors).toEqual([]);
    expect(tick2.retrains.map((r) => r.status)).toEqual(['started']);
    await again.whenIdle();
    const [blocked] = await listTriggerEvents(db, 'income', { kind: 'alert' });
    expect(blocked).toMatchObject({ status: 'blocked', model: null, revisionId: null });
    expect(blocked.cause).toMatchObject({ rule: 'busy_twice' });
    expect(blocked.reason).toBe("gate 'accuracy' failed");
    const blockedRun = await db.selectFrom('pipeline_runs').selectAll().where('id', '=', blocked.pipelineRunId!).executeTakeFirstOrThrow();
    expect(blockedRun).toMatchObject({ status: 'blocked', trigger: 'alert' });
    const gate = await db.selectFrom('gate_results').selectAll().where('pipeline_run_id', '=', blockedRun.id).where('gate', '=', 'accuracy').executeTakeFirstOrThrow();
    expect(gate.status).toBe('fail');
    expect(env.state().stable).toBe('income@2');
    expect((await listRevisions(db, 'production')).length).toBe(2);

    // 3. The gate passes again, but the canary's latency budget cannot be met: stopped at the
    // analysis, traffic back on income@2, and the reason recorded.
    writeFileSync(path, readFileSync(path, 'utf8').replace('threshold: 0.99 }', 'threshold: 0.85 }').replace('max_p99_ms: 5000', 'max_p99_ms: 0.001'));
    expect((await load.stop()).failed).toBe(0);
    await env.close();
    const strictEnv: Project = await openProject(dir);
    cleanup.push(() => strictEnv.close());
    const env2: Environment = await (await deploy()).startEnvironment(strictEnv, 'production');
    cleanup.push(() => env2.close());
    expect(env2.state().stable).toBe('income@2'); // restored from the store
    const load2 = loadGenerator(env2.url, 2, 120_000);
    cleanup.push(() => load2.stop());
    const fragile: Project = await openProject(dir);
    cleanup.push(() => fragile.close());
    offset = 4 * HOUR;
    const third = new Scheduler(fragile, { clock, monitoring: await monitoringHooks(fragile), log: (l) => lines.push(l) });
    expect((await third.tick()).retrains.map((r) => r.status)).toEqual(['started']);
    await third.whenIdle();
    const [stopped] = await listTriggerEvents(db, 'income', { kind: 'alert' });
    expect(stopped, lines.join('\n')).toMatchObject({ status: 'stopped', model: 'income', version: 3, environment: 'production' });
    expect(stopped.cause).toMatchObject({ rule: 'busy_thrice' });
    expect(stopped.reason).toMatch(/^Canary analysis failed for income@3: p99 .* ms > 0.001 ms/);
    const failedRevision = (await listRevisions(db, 'production')).find((r) => r.id === stopped.revisionId)!;
    expect(failedRevision).toMatchObject({ model: 'income', version: 3, strategy: 'canary', status: 'failed' });
    expect(env2.state().stable).toBe('income@2');
    expect((await load2.stop()).failed).toBe(0);
  });
});
