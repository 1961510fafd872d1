/**
 * Alert rules on both store backends: the pending → firing → resolved cycle with `for:` as a
 * duration and as consecutive results, one notification per change (never twice for the same
 * ongoing condition), channels that fail or time out recorded without breaking evaluation, and
 * pipeline rules judged on real pipeline runs of the real `sluice run` (a step over its time
 * limit, then a fixed run that resolves them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseProject } from '../../src/config/index.js';
import { evaluateAlerts, listAlertEvents, listAlertStates, type AlertsProject } from '../../src/monitoring/alerts/index.js';
import { insertMonitorRun } from '../../src/monitoring/monitors/records.js';
import { openStore, type Store } from '../../src/store/index.js';
import { describeStoreBackends, type StoreTarget } from '../helpers/backends.js';
import { makeProject, sluice } from '../helpers/cli.js';
import { startReceiver, type Receiver } from './_monitoring.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);

function config(receiver: Receiver): AlertsProject['config'] {
  return parseProject(`
project: alerting
sources:
  s: { path: s.csv, columns: { x: integer } }
monitors:
  m: { model: income }
alerts:
  drifting:
    monitor: m
    metric: drift_share
    op: ">"
    threshold: 0.5
    for: 10m
    channels: [hook, chat, broken, slow]
    actions: [retrain]
  age-drift:
    monitor: m
    metric: "column:age:drift_score"
    op: "<"
    threshold: 0.05
    for: { evaluations: 2 }
    severity: critical
    channels: [hook]
channels:
  hook: { kind: webhook, url: "${receiver.url}/hook" }
  chat: { kind: slack, url: "${receiver.url}/slack" }
  broken: { kind: webhook, url: "${receiver.url}/broken" }
  slow: { kind: webhook, url: "${receiver.url}/slow", timeout: 0.2 }
`);
}

/** A monitor run of monitor `m` at `at` with these figures, through the real records code. */
async function result(store: Store, at: number, driftShare: number, ageScore: number): Promise<void> {
  await insertMonitorRun(store, {
    project: 'alerting', monitor: 'm', model: 'income', version: 1, windowStart: at - MIN, windowEnd: at, rows: 500, labeledRows: 0,
    referenceDataset: 'ds-x', status: driftShare > 0.5 ? 'drift' : 'ok', driftShare, accuracy: null, reportDigest: null, htmlDigest: null,
    summary: { driftedColumns: [], datasetDrift: driftShare >= 0.5, predictionDrift: null, qualityFailures: [], metrics: {} }, createdAt: at,
  }, [
    { metric: 'drift_share', column: null, value: driftShare, threshold: 0.5, verdict: driftShare >= 0.5 ? 'drift' : 'ok', detail: null },
    { metric: 'drift_score', column: 'age', value: ageScore, threshold: 0.05, verdict: ageScore < 0.05 ? 'drift' : 'ok', detail: 'ks' },
  ]);
}

describeStoreBackends('alert rules', (backend) => {
  let store: Store;
  let receiver: Receiver;
  let project: AlertsProject;

  beforeAll(async () => {
    store = await backend.open();
    receiver = await startReceiver();
    receiver.fail.set('/broken', 500);
    receiver.hang.add('/slow');
    project = { config: config(receiver), store };
  });

  afterAll(async () => {
    await receiver?.close();
    await store?.close();
  });

  const changes = async (now: number) => (await evaluateAlerts(project, { now })).map((t) => `${t.rule}: ${t.from} → ${t.to}`);

  it('waits for the for-duration, fires once, notifies every channel and records the ones that fail', async () => {
    expect(await changes(T0)).toEqual([]); // nothing to judge yet
    await result(store, T0, 0.7, 0.2);
    expect(await changes(T0)).toEqual(['drifting: inactive → pending']);
    expect(receiver.received).toHaveLength(0); // pending is recorded, not notified
    await result(store, T0 + 5 * MIN, 0.8, 0.3);
    expect(await changes(T0 + 5 * MIN)).toEqual([]);

    await result(store, T0 + 10 * MIN, 0.6, 0.3);
    const started = Date.now();
    const [fired] = await evaluateAlerts(project, { now: T0 + 10 * MIN });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fired).toMatchObject({ rule: 'drifting', from: 'pending', to: 'firing', value: 0.6, actions: ['retrain'], severity: 'warning' });
    const byChannel = Object.fromEntries(fired.notifications.map((n) => [n.channel, n]));
    expect(byChannel.hook).toMatchObject({ ok: true, status: 200, kind: 'webhook' });
    expect(byChannel.chat).toMatchObject({ ok: true, status: 200, kind: 'slack' });
    expect(byChannel.broken).toMatchObject({ ok: false, status: 500, error: 'HTTP 500' });
    expect(byChannel.slow).toMatchObject({ ok: false, error: 'no answer within 200 ms' });
    expect(byChannel.slow.ms).toBeLessThan(2000);
    const hook = receiver.received.find((r) => r.path === '/hook')!;
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.body).toEqual({
      version: 1, project: 'alerting', rule: 'drifting', state: 'firing', previous: 'pending', severity: 'warning',
      at: new Date(T0 + 10 * MIN).toISOString(), condition: 'drift_share > 0.5', value: 0.6, monitor: 'm', metric: 'drift_share', pipeline: null,
      subject: expect.stringMatching(/^monitor-run:\d+$/), message: expect.stringContaining("drift_share of monitor 'm' is 0.6"), actions: ['retrain'], description: null,
    });
    const slack = receiver.received.find((r) => r.path === '/slack')!.body;
    expect(Object.keys(slack).sort()).toEqual(['blocks', 'text']);
    expect(slack.text).toMatch(/^:rotating_light: \[FIRING\] drifting \(warning\) — drift_share of monitor 'm' is 0.6/);
    expect(slack.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'context']);

    // The same ongoing condition never fires again, however often it is evaluated.
    const sent = receiver.received.length;
    await result(store, T0 + 15 * MIN, 0.9, 0.3);
    expect(await changes(T0 + 15 * MIN)).toEqual([]);
    expect(await changes(T0 + 16 * MIN)).toEqual([]);
    expect(receiver.received).toHaveLength(sent);

    await result(store, T0 + 20 * MIN, 0.1, 0.3);
    const [resolved] = await evaluateAlerts(project, { now: T0 + 20 * MIN });
    expect(resolved).toMatchObject({ rule: 'drifting', from: 'firing', to: 'resolved', value: 0.1 });
    expect(receiver.received.filter((r) => r.path === '/hook').map((r) => r.body.state)).toEqual(['firing', 'resolved']);
    expect(receiver.received.find((r) => r.body.state === 'resolved')!.body.actions).toEqual([]);

    const events = await listAlertEvents(store.db, 'alerting', { rule: 'drifting' });
    expect(events.map((e) => `${e.from} → ${e.to}`)).toEqual(['firing → resolved', 'pending → firing', 'inactive → pending']);
    expect(events[1].notifications.filter((n) => !n.ok).map((n) => n.channel).sort()).toEqual(['broken', 'slow']);
    expect(events[1].actions).toEqual(['retrain']);
  });

  it('counts consecutive results for `for: {evaluations: n}`, and goes back to inactive when pending clears', async () => {
    await result(store, T0 + 30 * MIN, 0.1, 0.01);
    expect(await changes(T0 + 30 * MIN)).toEqual(['age-drift: inactive → pending']);
    await result(store, T0 + 31 * MIN, 0.1, 0.2);
    expect(await changes(T0 + 31 * MIN)).toEqual(['age-drift: pending → inactive']);
    await result(store, T0 + 32 * MIN, 0.1, 0.01);
    expect(await changes(T0 + 32 * MIN)).toEqual(['age-drift: inactive → pending']);
    await result(store, T0 + 33 * MIN, 0.1, 0.001);
    const [fired] = await evaluateAlerts(project, { now: T0 + 33 * MIN });
    expect(fired).toMatchObject({ rule: 'age-drift', from: 'pending', to: 'firing', value: 0.001, severity: 'critical' });
    expect(receiver.received.at(-1)!.body).toMatchObject({ rule: 'age-drift', condition: 'column:age:drift_score < 0.05', metric: 'column:age:drift_score' });
    const states = await listAlertStates(store.db, 'alerting');
    expect(states.map((s) => [s.rule, s.state])).toEqual([['age-drift', 'firing'], ['drifting', 'resolved']]);
  });

  it('records a change once when two evaluators race', async () => {
    await result(store, T0 + 40 * MIN, 0.1, 0.9);
    const both = await Promise.all([evaluateAlerts(project, { now: T0 + 40 * MIN }), evaluateAlerts(project, { now: T0 + 40 * MIN })]);
    expect(both.flat().map((t) => `${t.rule}: ${t.to}`)).toEqual(['age-drift: resolved']);
    expect((await listAlertEvents(store.db, 'alerting', { rule: 'age-drift' })).filter((e) => e.to === 'resolved')).toHaveLength(1);
  });
});

describeStoreBackends('pipeline alert rules', (backend) => {
  let target: StoreTarget;
  let dir: string;
  let store: Store;
  let receiver: Receiver;

  beforeAll(async () => {
    target = await backend.provision();
    receiver = await startReceiver();
    dir = makeProject({
      's.csv': 'x\n1\n2\n3\n',
      'sluice.yaml': `project: piped
sources:
  s: { path: s.csv, columns: { x: integer } }
steps:
  slow:
    kind: command
    run: "sleep 20"
    resources: { timeout: 1s }
alerts:
  failed: { pipeline: run_failed, channels: [hook], severity: critical }
  timeout: { pipeline: step_timeout, channels: [hook], for: { evaluations: 1 } }
  blocked: { pipeline: gate_blocked }
channels:
  hook: { kind: webhook, url: "${receiver.url}/hook" }
`,
    });
    store = await openStore({ url: target.url, workspace: dir });
  });

  afterAll(async () => {
    await store?.close();
    await receiver?.close();
    await target?.dispose();
  });

  it('fires on a real failed run and a step over its time limit, and resolves on the next good run', async () => {
    const failed = sluice(dir, ['run'], { SLUICE_DATABASE_URL: target.url });
    expect(failed.code, failed.stderr).toBe(5);
    const file = join(dir, 'sluice.yaml');
    let project: AlertsProject = { config: parseProject(readFileSync(file, 'utf8')), store, dir };
    const now = Date.now();
    const fired = await evaluateAlerts(project, { now });
    expect(fired.map((t) => `${t.rule}: ${t.to}`)).toEqual(['failed: firing', 'timeout: firing']);
    expect(fired[0].message).toMatch(/^pipeline run \S+ failed/);
    expect(fired[0].subject).toMatch(/^pipeline-run:/);
    expect(receiver.received.map((r) => [r.body.rule, r.body.pipeline, r.body.state])).toEqual([['failed', 'run_failed', 'firing'], ['timeout', 'step_timeout', 'firing']]);
    expect(await evaluateAlerts(project, { now: now + 1000 })).toEqual([]);

    writeFileSync(file, readFileSync(file, 'utf8').replace('sleep 20', 'true'));
    const ok = sluice(dir, ['run'], { SLUICE_DATABASE_URL: target.url });
    expect(ok.code, ok.stderr).toBe(0);
    project = { ...project, config: parseProject(readFileSync(file, 'utf8')) };
    const resolved = await evaluateAlerts(project, { now: now + 2000 });
    expect(resolved.map((t) => `${t.rule}: ${t.from} → ${t.to}`)).toEqual(['failed: firing → resolved', 'timeout: firing → resolved']);
    expect(resolved[0].message).toMatch(/ended succeeded$/);
    expect((await listAlertStates(store.db, 'piped')).map((s) => [s.rule, s.state])).toEqual([['failed', 'resolved'], ['timeout', 'resolved']]);
  });
});
