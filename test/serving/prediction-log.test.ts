/**
 * The prediction log and feedback through the real server: every protocol's predictions land in
 * the store with their request id, inputs, outputs and latency; feedback joins them by request
 * id; a graceful close finishes the requests in flight and writes the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPredictions } from '../../src/serving/index.js';
import { call, metric, RECORD, records, registeredIncomeDir, removeDir, serveIncome, type Served } from './_income.js';

let dir: string;

beforeAll(() => {
  dir = registeredIncomeDir();
});

afterAll(() => {
  if (dir) removeDir(dir);
});

describe('prediction log', () => {
  let s: Served;

  beforeAll(async () => {
    s = await serveIncome({}, dir);
  });

  afterAll(async () => {
    await s?.close();
  });

  it('logs each record of each protocol with request id, model version, inputs, outputs and latency', async () => {
    const sample = records(3);
    const p = await call(s.url, 'POST', '/predict', { records: sample }, { 'x-request-id': 'log-predict' });
    await call(s.url, 'POST', '/invocations', { dataframe_records: [RECORD] }, { 'x-request-id': 'log-mlflow' });
    await call(s.url, 'POST', '/v2/models/income/infer', { inputs: [{ name: 'age', datatype: 'FP32', shape: [1], data: [52] }] }, { 'x-request-id': 'log-oip' });
    await call(s.url, 'POST', '/predict', [{ age: 'x' }], { 'x-request-id': 'log-bad' });

    // Written within the flush interval, off the request path.
    await expect.poll(async () => (await listPredictions(s.project.store.db, { model: 'income' })).length, { timeout: 5000 }).toBe(5);
    const rows = await listPredictions(s.project.store.db, { model: 'income' });
    expect(rows.map((r) => `${r.requestId}#${r.row}`)).toEqual(['log-predict#0', 'log-predict#1', 'log-predict#2', 'log-mlflow#0', 'log-oip#0']);
    for (const r of rows) {
      expect(r).toMatchObject({ model: 'income', version: 1, route: 'stable' });
      expect(r.latencyMs).toBeGreaterThan(0);
      expect(r.at).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(rows[1].inputs).toEqual(sample[1]);
    expect(rows[1].outputs).toEqual(p.body.predictions[1]);
    expect(rows[4].inputs).toMatchObject({ age: 52, workclass: '', 'education-num': null });

    const text = (await call(s.url, 'GET', '/metrics')).text;
    expect(metric(text, 'sluice_prediction_log_written_total', { model: 'income' })).toBe(5);
    expect(metric(text, 'sluice_prediction_log_dropped_total', { model: 'income' })).toBe(0);
  });

  it('stores feedback by request id, one or a list, and joins it to the logged predictions', async () => {
    await call(s.url, 'POST', '/predict', records(2), { 'x-request-id': 'fb-1' });
    expect(await call(s.url, 'POST', '/feedback', { request_id: 'fb-1', label: '>50K' })).toMatchObject({ status: 200, body: { recorded: 1 } });
    const list = [
      { request_id: 'fb-1', row: 1, label: '<=50K' },
      { request_id: 'not-logged-yet', label: 1 },
    ];
    expect(await call(s.url, 'POST', '/feedback', list)).toMatchObject({ status: 200, body: { recorded: 2 } });
    await expect.poll(async () => (await listPredictions(s.project.store.db, { model: 'income', requestId: 'fb-1' })).length, { timeout: 5000 }).toBe(2);
    const joined = await listPredictions(s.project.store.db, { model: 'income', requestId: 'fb-1' });
    expect(joined.map((r) => r.feedback)).toEqual(['>50K', '<=50K']);
    const stored = await s.project.store.db.selectFrom('feedback').selectAll().orderBy('id').execute();
    expect(stored.map((f) => [f.request_id, f.row_index, JSON.parse(f.label), f.model])).toEqual([
      ['fb-1', 0, '>50K', 'income'],
      ['fb-1', 1, '<=50K', 'income'],
      ['not-logged-yet', 0, 1, 'income'],
    ]);
    expect(metric((await call(s.url, 'GET', '/metrics')).text, 'sluice_feedback_total', { model: 'income' })).toBe(3);
  });

  it('refuses feedback without a request id or a usable label, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ label: 'x' }, "Field 'request_id' must be the X-Request-Id of a prediction"],
      [{ request_id: 'a', label: { y: 1 } }, "Field 'label' must be the true label"],
      [{ request_id: 'a', label: null }, "Field 'label' must be the true label"],
      [{ request_id: 'a', label: 'x', row: -1 }, "Field 'row' must be the record's position"],
      [{ request_id: 'a', label: 'x', requestId: 'a' }, "Field 'requestId' is not a feedback field"],
      [[{ request_id: 'a', label: 'x' }, 'b'], 'Feedback of item 1 must be an object'],
      [[], 'The feedback list is empty'],
    ];
    for (const [body, message] of cases) {
      const r = await call(s.url, 'POST', '/feedback', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toContain(message);
    }
  });
});

describe('graceful close', () => {
  it('reports not ready while it drains, and still answers predictions', async () => {
    const s = await serveIncome({}, dir);
    const closed = s.server.close({ drainMs: 400 });
    expect(await call(s.url, 'GET', '/v2/health/ready')).toMatchObject({ status: 503, body: { ready: false } });
    expect(await call(s.url, 'GET', '/v2/models/income/ready')).toMatchObject({ status: 503, body: { ready: false } });
    expect((await call(s.url, 'GET', '/ping')).status).toBe(503);
    expect((await call(s.url, 'GET', '/v2/health/live')).status).toBe(200);
    expect((await call(s.url, 'POST', '/predict', [RECORD])).status).toBe(200);
    expect(metric((await call(s.url, 'GET', '/metrics')).text, 'sluice_model_ready', { model: 'income' })).toBe(0);
    await closed;
    await s.close();
  });

  it('finishes the requests in flight, answers them, and writes all their predictions', async () => {
    const s = await serveIncome({ route: 'canary' }, dir);
    const pending = records(60).map((r, i) => call(s.url, 'POST', '/predict', [r], { 'x-request-id': `close-${i}` }));
    await new Promise((r) => setTimeout(r, 50));
    const closed = s.server.close();
    const settled = await Promise.allSettled(pending);
    await closed;
    // Every request that reached the server is answered, also on a connection opened before closing; later ones are refused.
    const answered = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
    const logged = (await listPredictions(s.project.store.db, { model: 'income' })).filter((r) => r.route === 'canary');
    expect(logged.map((r) => r.requestId).sort()).toEqual(answered.map((r) => r.body.request_id).sort());
    await expect(fetch(`${s.url}/v2/health/live`)).rejects.toThrow();
    await s.close();
  });
});
