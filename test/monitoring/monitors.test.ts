/**
 * Monitors end to end, on both store backends: the income model registered by the real
 * `sluice run`, served by the real model server, sent Adult test rows with feedback labels;
 * then a window of Adult rows of one group (women only). The monitor must find no drift on
 * the first window and drift on the right columns on the second, compute accuracy from the
 * feedback equal to figures computed here from the server's answers, record an insufficient
 * window without a verdict, reuse the prepared reference, and give the same figures for the
 * same `now`. Alert rules over its results fire once to a webhook receiver on loopback. The
 * CLI and the HTTP API read the same records.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateAlerts, listAlertEvents } from '../../src/monitoring/alerts/index.js';
import { getMonitorRun, listRunMetrics, metricSeries, runMonitor, type MonitorReport } from '../../src/monitoring/monitors/index.js';
import type { Project } from '../../src/project.js';
import { buildServer } from '../../src/server/index.js';
import { startModelServer, type ModelServer } from '../../src/serving/index.js';
import { readAdult, tableRecords } from '../helpers/adult.js';
import { describeStoreBackends, type StoreTarget } from '../helpers/backends.js';
import { sluice } from '../helpers/cli.js';
import { openOn, registeredIncome, startReceiver, type Receiver } from './_monitoring.js';

const WINDOW = 1500;

/** Adult test rows as the model's inputs (no fnlwgt, no label) with their labels. */
function adultTest(): { inputs: Record<string, unknown>[]; labels: string[]; sex: string[] } {
  const rows = tableRecords(readAdult('adult.test'));
  return {
    inputs: rows.map(({ fnlwgt: _f, Y: _y, ...rest }) => rest),
    labels: rows.map((r) => String(r.Y)),
    sex: rows.map((r) => String(r.sex)),
  };
}

/** Posts records in requests of 100, sends every label as feedback, returns P(>50K) per record. */
async function send(url: string, prefix: string, inputs: Record<string, unknown>[], labels: string[]): Promise<number[]> {
  const scores: number[] = [];
  for (let i = 0; i < inputs.length; i += 100) {
    const id = `${prefix}-${i}`;
    const batch = inputs.slice(i, i + 100);
    const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ records: batch }) });
    const body = (await r.json()) as { predictions: { probabilities: Record<string, number> }[] };
    if (r.status !== 200) throw new Error(`predict answered ${r.status}: ${JSON.stringify(body)}`);
    scores.push(...body.predictions.map((p) => p.probabilities['>50K']));
    const feedback = batch.map((_, row) => ({ request_id: id, row, label: labels[i + row] }));
    const f = await fetch(`${url}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(feedback) });
    if (f.status !== 200) throw new Error(`feedback answered ${f.status}`);
  }
  return scores;
}

/** Accuracy at 0.5 and ROC AUC by counting pairs: written here, independent of src/evaluation. */
function expected(scores: number[], labels: string[]): { accuracy: number; roc_auc: number } {
  let correct = 0;
  scores.forEach((s, i) => (correct += (s >= 0.5) === (labels[i] === '>50K') ? 1 : 0));
  const pos = scores.filter((_, i) => labels[i] === '>50K');
  const neg = scores.filter((_, i) => labels[i] !== '>50K');
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return { accuracy: correct / scores.length, roc_auc: wins / (pos.length * neg.length) };
}

async function logged(project: Project): Promise<number> {
  const r = await project.store.db.selectFrom('prediction_log').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Waits for the prediction log's writer (it flushes off the request path). */
async function until(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out waiting for the prediction log');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeStoreBackends('monitors on a served model', (backend) => {
  let target: StoreTarget;
  let receiver: Receiver;
  let dir: string;
  let project: Project;
  let server: ModelServer;
  const data = adultTest();
  const normal = { inputs: data.inputs.slice(0, WINDOW), labels: data.labels.slice(0, WINDOW) };
  const women = data.inputs.map((_, i) => i).filter((i) => i >= WINDOW && data.sex[i] === 'Female').slice(0, WINDOW);
  const shifted = { inputs: women.map((i) => data.inputs[i]), labels: women.map((i) => data.labels[i]) };
  let scores1: number[];
  let scores2: number[];
  const t: number[] = [];

  beforeAll(async () => {
    target = await backend.provision();
    receiver = await startReceiver();
    dir = registeredIncome(target, `
monitors:
  income-live:
    model: income@champion
    window: { rows: ${WINDOW} }
    min_rows: 200
    performance: { sensitive: [sex] }
  income-10m:
    model: income
    window: 10m
    min_rows: 200
    quality: false
    prediction_drift: false
alerts:
  income-drift:
    monitor: income-live
    metric: drift_share
    op: ">="
    threshold: 0.2
    severity: critical
    channels: [hook, chat]
    actions: [retrain]
  sex-drift:
    monitor: income-live
    metric: "column:sex:drift_score"
    op: ">="
    threshold: 0.1
    channels: [hook]
  gate-blocked:
    pipeline: gate_blocked
    channels: [hook]
channels:
  hook: { kind: webhook, url: "${receiver.url}/hook", headers: { authorization: "Bearer s3cret" } }
  chat: { kind: slack, url: "${receiver.url}/slack" }
`);
    project = await openOn(dir, target);
    server = await startModelServer({ model: 'income@champion', project, port: 0 });
    t.push(Date.now());
    await new Promise((r) => setTimeout(r, 5));
    scores1 = await send(server.url, 'normal', normal.inputs, normal.labels);
    await until(async () => (await logged(project)) === WINDOW);
    await new Promise((r) => setTimeout(r, 5));
    t.push(Date.now());
    await new Promise((r) => setTimeout(r, 5));
    scores2 = await send(server.url, 'women', shifted.inputs, shifted.labels);
    await until(async () => (await logged(project)) === 2 * WINDOW);
    await new Promise((r) => setTimeout(r, 5));
    t.push(Date.now());
  });

  afterAll(async () => {
    await server?.close();
    await project?.close();
    await receiver?.close();
    await target?.dispose();
  });

  it('records a window with fewer rows than the minimum as insufficient data, with no verdict', async () => {
    const { run } = await runMonitor(project, 'income-live', { now: t[0] });
    expect(run).toMatchObject({ status: 'insufficient_data', rows: 0, driftShare: null, accuracy: null, reportDigest: null });
    expect(run.summary.note).toMatch(/0 predictions in the window; at least 200/);
    const metrics = await listRunMetrics(project.store.db, run.id);
    expect(metrics.map((m) => m.metric).sort()).toEqual(['labeled_rows', 'rows']);
  });

  it('finds no drift on traffic like the training data, and accuracy equal to the figures from the answers', async () => {
    const { run, referenceBuilt } = await runMonitor(project, 'income-live', { now: t[1] });
    expect(referenceBuilt).toBe(true);
    expect(run).toMatchObject({ rows: WINDOW, labeledRows: WINDOW, model: 'income', version: 1 });
    const metrics = await listRunMetrics(project.store.db, run.id);
    const verdict = (c: string) => metrics.find((m) => m.metric === 'drift_score' && m.column === c)?.verdict;
    for (const c of ['sex', 'relationship', 'marital-status', 'race']) expect(verdict(c), c).toBe('ok');
    expect(run.driftShare!).toBeLessThan(0.2);
    expect(run.status).toBe('ok');
    const want = expected(scores1, normal.labels);
    expect(run.accuracy).toBeCloseTo(want.accuracy, 12);
    expect(metrics.find((m) => m.metric === 'roc_auc')!.value).toBeCloseTo(want.roc_auc, 9);
    // Every monitored input has its score recorded, drifted or not.
    const scored = metrics.filter((m) => m.metric === 'drift_score').map((m) => m.column);
    expect(scored.sort()).toEqual(['age', 'capital-gain', 'capital-loss', 'education', 'education-num', 'hours-per-week', 'marital-status', 'native-country', 'occupation', 'race', 'relationship', 'sex', 'workclass']);
    expect(metrics.every((m) => m.metric !== 'drift_score' || typeof m.value === 'number')).toBe(true);

    // A window by time: the last 10 minutes before `now`, whatever their count.
    const timed = await runMonitor(project, 'income-10m', { now: t[1] });
    expect(timed.run).toMatchObject({ rows: WINDOW, windowStart: t[1] - 600_000, windowEnd: t[1], status: 'ok' });
    expect((await runMonitor(project, 'income-10m', { now: t[2] })).run.rows).toBe(2 * WINDOW);
    expect((await runMonitor(project, 'income-10m', { now: t[2] + 600_000 })).run).toMatchObject({ rows: 0, status: 'insufficient_data' });
  });

  it('finds drift on the columns a one-group window changes, with the prepared reference reused', async () => {
    const { run, referenceBuilt } = await runMonitor(project, 'income-live', { now: t[2] });
    expect(referenceBuilt).toBe(false);
    expect(run.rows).toBe(WINDOW);
    const metrics = await listRunMetrics(project.store.db, run.id);
    const of = (c: string) => metrics.find((m) => m.metric === 'drift_score' && m.column === c)!;
    for (const c of ['sex', 'relationship', 'marital-status']) expect(of(c).verdict, c).toBe('drift');
    // More than 1000 reference rows: Evidently's default for categories is Jensen–Shannon (distance ≥ 0.1).
    expect(of('sex')).toMatchObject({ detail: 'jensenshannon', threshold: 0.1 });
    expect(of('sex').value!).toBeGreaterThan(0.3);
    expect(run.summary.driftedColumns).toEqual(expect.arrayContaining(['sex', 'relationship', 'marital-status']));
    expect(run.driftShare!).toBeGreaterThanOrEqual(0.2);
    expect(run.status).toBe('drift');
    // Women earn >50K less often in Adult: the model's scores drift too.
    expect(metrics.find((m) => m.metric === 'prediction_drifted')!.value).toBe(1);
    const want = expected(scores2, shifted.labels);
    expect(run.accuracy).toBeCloseTo(want.accuracy, 12);
    expect(metrics.find((m) => m.metric === 'roc_auc')!.value).toBeCloseTo(want.roc_auc, 9);

    const report = JSON.parse((await project.artifacts.readBytes(run.reportDigest!)).toString('utf8')) as MonitorReport;
    expect(report.drift.columns.find((c) => c.column === 'sex')).toMatchObject({ test: 'jensenshannon', drifted: true });
    expect(report.distributions.find((d) => d.column === 'age')?.kind).toBe('numerical');
    expect(report.performance?.fairness?.attributes[0].attribute).toBe('sex');
    const html = (await project.artifacts.readBytes(run.htmlDigest!)).toString('utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('relationship');

    // Same window, same figures.
    const again = await runMonitor(project, 'income-live', { now: t[2] });
    const strip = (ms: typeof metrics) => ms.map(({ runId: _r, ...m }) => m);
    expect(strip(await listRunMetrics(project.store.db, again.run.id))).toEqual(strip(metrics));

    const series = await metricSeries(project.store.db, project.config.project, { monitor: 'income-live', metric: 'drift_score', column: 'sex' });
    expect(series.map((p) => p.verdict)).toEqual(['ok', 'drift', 'drift']);
  });

  it('fires the alert rules once, to the webhook and the Slack-compatible receiver', async () => {
    const transitions = await evaluateAlerts(project, { now: t[2] });
    expect(transitions.map((x) => [x.rule, x.from, x.to])).toEqual([
      ['income-drift', 'inactive', 'firing'],
      ['sex-drift', 'inactive', 'firing'],
    ]);
    expect(transitions[0].actions).toEqual(['retrain']);
    expect(transitions[0].notifications.map((n) => [n.channel, n.ok, n.status])).toEqual([['hook', true, 200], ['chat', true, 200]]);
    const hook = receiver.received.filter((r) => r.path === '/hook');
    expect(hook).toHaveLength(2);
    expect(hook[0].headers.authorization).toBe('Bearer s3cret');
    expect(hook.map((h) => h.body.rule).sort()).toEqual(['income-drift', 'sex-drift']);
    const drift = hook.find((h) => h.body.rule === 'income-drift')!.body;
    expect(drift).toMatchObject({ version: 1, project: 'income', state: 'firing', previous: 'inactive', severity: 'critical', monitor: 'income-live', metric: 'drift_share', condition: 'drift_share >= 0.2', actions: ['retrain'] });
    expect(drift.value).toBeGreaterThanOrEqual(0.2);
    expect(drift.subject).toMatch(/^monitor-run:\d+$/);
    const slack = receiver.received.filter((r) => r.path === '/slack');
    expect(slack).toHaveLength(1);
    expect(slack[0].body.text).toContain('[FIRING] income-drift');
    expect(slack[0].body.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });

    expect(await evaluateAlerts(project, { now: t[2] + 60_000 })).toEqual([]);
    expect(receiver.received).toHaveLength(3);
    const events = await listAlertEvents(project.store.db, 'income');
    expect(events.map((e) => e.to)).toEqual(['firing', 'firing']);
  });

  it('shows the timeline in the CLI and the HTTP API', async () => {
    const env = { SLUICE_DATABASE_URL: target.url };
    const history = sluice(dir, ['monitor', 'history', 'income-live', '--json'], env);
    expect(history.code, history.stderr).toBe(0);
    const h = JSON.parse(history.stdout) as { runs: { id: number; status: string; rows: number }[]; alert_events: { rule: string }[] };
    expect(h.runs.map((r) => r.status)).toEqual(['drift', 'drift', 'ok', 'insufficient_data']);
    expect(h.alert_events).toHaveLength(2);
    const text = sluice(dir, ['monitor', 'history'], env);
    expect(text.stdout).toMatch(/RUN\s+MONITOR/);
    expect(text.stdout).toContain('relationship,sex');

    const out = join(dir, 'report.html');
    const show = sluice(dir, ['monitor', 'show', String(h.runs[0].id), '--html', out], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/relationship\s+jensenshannon/);
    expect(existsSync(out) && readFileSync(out, 'utf8')).toContain('<svg');

    const alerts = sluice(dir, ['alerts', 'list', '--json'], env);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect((JSON.parse(alerts.stdout) as { rules: { rule: string; state: string }[] }).rules.map((r) => [r.rule, r.state])).toEqual([['income-drift', 'firing'], ['sex-drift', 'firing'], ['gate-blocked', 'inactive']]);
    expect(sluice(dir, ['alerts', 'list', '--events'], env).stdout).toMatch(/inactive → firing/);
    expect(sluice(dir, ['monitor', 'run', 'nope'], env)).toMatchObject({ code: 4 });

    const app = await buildServer({ store: project.store, artifacts: project.artifacts, project: 'income', local: { workspace: project.workspace, dir, config: project.config } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const get = async (path: string) => {
      const r = await fetch(`${base}${path}`);
      return { status: r.status, body: (await r.json()) as any };
    };
    try {
      const monitors = await get('/api/v1/monitors');
      expect(monitors.body.monitors[0]).toMatchObject({ name: 'income-live', model: 'income@champion', window: { kind: 'rows', rows: WINDOW }, latest_run: { status: 'drift' } });
      const series = await get('/api/v1/monitors/income-live/series?metric=drift_score');
      expect(series.body.points.filter((p: { column: string }) => p.column === 'sex').map((p: { verdict: string }) => p.verdict)).toEqual(['ok', 'drift', 'drift']);
      const runs = await get('/api/v1/monitors/income-live/runs?limit=2');
      expect(runs.body.runs).toHaveLength(2);
      const one = await get(`/api/v1/monitor-runs/${h.runs[0].id}`);
      expect(one.body.metrics.some((m: { metric: string }) => m.metric === 'accuracy')).toBe(true);
      const report = await get(`/api/v1/monitor-runs/${h.runs[0].id}/report`);
      expect(report.body.report).toMatchObject({ status: 'drift', monitor: 'income-live', reference: { dataset: expect.stringMatching(/^ds-/) } });
      expect(report.body.report.drift.dataset.drifted).toBeGreaterThanOrEqual(3);
      expect((await get('/api/v1/monitor-runs/999999')).status).toBe(404);
      expect((await get('/api/v1/alerts')).body.rules.map((r: { state: string }) => r.state)).toEqual(['firing', 'firing', 'inactive']);
      expect((await get('/api/v1/alerts/events?rule=income-drift')).body.events).toHaveLength(1);
      const openapi = await get('/openapi.json');
      expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/v1/monitors', '/api/v1/monitors/{name}/series', '/api/v1/alerts/events']));
    } finally {
      await app.close();
    }
  });

  it('fires a pipeline rule when a gate blocks a real run of the pipeline', async () => {
    const file = join(dir, 'sluice.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{ metric: accuracy, op: ">=", threshold: 0.85 }', '{ metric: accuracy, op: ">=", threshold: 0.99 }'));
    const blocked = sluice(dir, ['run'], { SLUICE_DATABASE_URL: target.url });
    expect(blocked.code, blocked.stderr).toBe(6);
    const [t1] = await evaluateAlerts(project, { now: Date.now() });
    expect(t1).toMatchObject({ rule: 'gate-blocked', from: 'inactive', to: 'firing' });
    expect(t1.message).toMatch(/was blocked by a gate: gate\(s\) failed: accuracy/);
    expect(receiver.received.at(-1)!.body).toMatchObject({ rule: 'gate-blocked', pipeline: 'gate_blocked', condition: 'a gate blocked the latest pipeline run' });
  });

  it('judges data quality against the expectations the training data was checked with', async () => {
    // 300 records: a third work 120 hours a week (expectations: 1 to 99), a third in a workclass never seen.
    const odd = data.inputs.slice(0, 300).map((r, i) => ({ ...r, ...(i % 3 === 0 ? { 'hours-per-week': 120 } : {}), ...(i % 3 === 1 ? { workclass: 'Robot' } : {}) }));
    await send(server.url, 'odd', odd, data.labels.slice(0, 300));
    await until(async () => (await logged(project)) === 2 * WINDOW + 300);
    await new Promise((r) => setTimeout(r, 5));
    const now = Date.now();
    const cli = sluice(dir, ['monitor', 'run', 'income-live', '--now', new Date(now).toISOString(), '--json'], { SLUICE_DATABASE_URL: target.url });
    expect(cli.code, cli.stderr).toBe(0);
    const run = JSON.parse(cli.stdout) as { id: number; rows: number; referenceBuilt: boolean; summary: { qualityFailures: string[] } };
    expect(run).toMatchObject({ rows: WINDOW, referenceBuilt: false });
    expect(run.summary.qualityFailures).toEqual(expect.arrayContaining(['hours-per-week: out of range', 'workclass: unseen categories']));
    const metrics = await listRunMetrics(project.store.db, run.id);
    expect(metrics.find((m) => m.metric === 'out_of_range_share' && m.column === 'hours-per-week')).toMatchObject({ value: 100 / WINDOW, verdict: 'fail' });
    expect(metrics.find((m) => m.metric === 'unseen_share' && m.column === 'workclass')).toMatchObject({ verdict: 'fail', detail: 'Robot' });
    expect(metrics.find((m) => m.metric === 'out_of_range_share' && m.column === 'age')?.verdict).toBe('ok');
    const report = JSON.parse((await project.artifacts.readBytes((await getMonitorRun(project.store.db, 'income', run.id)).reportDigest!)).toString('utf8')) as MonitorReport;
    const hours = report.quality!.columns.find((c) => c.column === 'hours-per-week')!;
    expect(hours.range).toMatchObject({ source: 'expectation', min: 1, max: 99, count: 100 });
  });
});
