/**
 * Every protocol path of the model server against the real income@1 (onnxruntime, real HTTP on
 * loopback), and the same answers through each: OIP v2, MLflow scoring, /predict, and the
 * training package's own predictRecords.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelVersion } from '../../src/registry/index.js';
import { predictRecords, readModelPackage } from '../../src/training/package/index.js';
import { call, metric, RECORD, records, removeDir, serveIncome, type Served } from './_income.js';

let s: Served;
let expected: { labels: string[]; probabilities: number[][] };
const sample = records(5);

beforeAll(async () => {
  s = await serveIncome();
  // What the model package itself predicts, outside the server.
  const mv = await getModelVersion(s.project.store.db, 'income', 1);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-pkg-'));
  await s.project.artifacts.materializeDirectory(mv.source, join(dir, 'p'));
  const pkg = await readModelPackage(join(dir, 'p'));
  const p = await predictRecords(await pkg.session(), pkg.signature, sample);
  expected = { labels: p.labels!, probabilities: p.probabilities! };
  await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await s?.close();
  if (s) removeDir(s.dir);
});

function expectSample(predictions: { label: string; probabilities: Record<string, number> }[]) {
  expect(predictions.map((p) => p.label)).toEqual(expected.labels);
  predictions.forEach((p, i) => {
    expect(p.probabilities['<=50K']).toBeCloseTo(expected.probabilities[i][0], 6);
    expect(p.probabilities['>50K']).toBeCloseTo(expected.probabilities[i][1], 6);
  });
}

describe('POST /predict', () => {
  it('answers {"records": [...]} with one label and probabilities per record, as the package predicts', async () => {
    const r = await call(s.url, 'POST', '/predict', { records: sample });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: 'income', version: 1, request_id: r.headers.get('x-request-id') });
    expectSample(r.body.predictions);
    expect(new Set(r.body.predictions.map((p: { label: string }) => p.label))).toEqual(new Set(expected.labels));
  });

  it('takes a bare list of records and a text/csv body', async () => {
    expectSample((await call(s.url, 'POST', '/predict', sample)).body.predictions);
    const header = Object.keys(RECORD);
    const csv = [header.join(','), ...sample.map((r) => header.map((h) => String(r[h])).join(','))].join('\n');
    const r = await call(s.url, 'POST', '/predict', csv, { 'content-type': 'text/csv' });
    expect(r.status).toBe(200);
    expectSample(r.body.predictions);
  });

  it('reads a left-out or null field as missing', async () => {
    const { workclass: _w, ...without } = RECORD;
    const a = await call(s.url, 'POST', '/predict', [without]);
    const b = await call(s.url, 'POST', '/predict', [{ ...RECORD, workclass: null }]);
    expect(a.status).toBe(200);
    expect(a.body.predictions).toEqual(b.body.predictions);
    expect(a.body.predictions).not.toEqual((await call(s.url, 'POST', '/predict', [RECORD])).body.predictions);
  });
});

describe('request ids', () => {
  it('echoes X-Request-Id and generates one when absent or unusable', async () => {
    const given = await call(s.url, 'POST', '/predict', [RECORD], { 'x-request-id': 'trace-42' });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    expect(given.body.request_id).toBe('trace-42');
    const generated = await call(s.url, 'POST', '/predict', [RECORD]);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unusable = await call(s.url, 'POST', '/predict', [RECORD], { 'x-request-id': 'has space' });
    expect(unusable.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call(s.url, 'GET', '/v2/health/live', undefined, { 'x-request-id': 'h-1' })).headers.get('x-request-id')).toBe('h-1');
  });
});

describe('Open Inference Protocol v2', () => {
  it('reports health, server metadata, model metadata and model readiness', async () => {
    expect(await call(s.url, 'GET', '/v2/health/live')).toMatchObject({ status: 200, body: { live: true } });
    expect(await call(s.url, 'GET', '/v2/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
    expect(await call(s.url, 'GET', '/v2')).toMatchObject({ status: 200, body: { name: 'sluice', version: expect.any(String), extensions: [] } });
    for (const path of ['/v2/models/income', '/v2/models/income/versions/1']) {
      const meta = await call(s.url, 'GET', path);
      expect(meta.status).toBe(200);
      expect(meta.body).toMatchObject({ name: 'income', versions: ['1'], platform: 'onnx_onnxv1' });
      expect(meta.body.inputs).toHaveLength(13);
      expect(meta.body.inputs[0]).toEqual({ name: 'age', datatype: expect.stringMatching(/^FP(32|64)$/), shape: [-1, 1] });
      expect(meta.body.inputs[1]).toEqual({ name: 'workclass', datatype: 'BYTES', shape: [-1, 1] });
      expect(meta.body.outputs).toEqual([
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
      ]);
      expect(await call(s.url, 'GET', `${path}/ready`)).toMatchObject({ status: 200, body: { name: 'income', ready: true } });
    }
  });

  it('infers from one tensor per input, flat or nested, [N, 1] or [N], and echoes the id', async () => {
    const names = Object.keys(RECORD) as (keyof typeof RECORD)[];
    const tensors = names.map((name, j) => {
      const data = sample.map((r) => r[name]);
      const datatype = typeof RECORD[name] === 'string' ? 'BYTES' : 'FP32';
      // Alternate the accepted layouts: [N, 1] nested, [N, 1] flat, [N] flat.
      return j % 3 === 0
        ? { name, datatype, shape: [sample.length, 1], data: data.map((v) => [v]) }
        : j % 3 === 1
          ? { name, datatype, shape: [sample.length, 1], data }
          : { name, datatype, shape: [sample.length], data };
    });
    for (const path of ['/v2/models/income/infer', '/v2/models/income/versions/1/infer']) {
      const r = await call(s.url, 'POST', path, { id: 'req-7', inputs: tensors });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ model_name: 'income', model_version: '1', id: 'req-7' });
      const [label, probabilities] = r.body.outputs;
      expect(label).toEqual({ name: 'label', datatype: 'BYTES', shape: [5], data: expected.labels });
      expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [5, 2] });
      probabilities.data.forEach((p: number, k: number) => expect(p).toBeCloseTo(expected.probabilities[Math.floor(k / 2)][k % 2], 6));
    }
    const only = await call(s.url, 'POST', '/v2/models/income/infer', { inputs: tensors, outputs: [{ name: 'probabilities' }] });
    expect(only.body.outputs.map((o: { name: string }) => o.name)).toEqual(['probabilities']);
    expect(only.body.id).toBeUndefined();
  });

  it('fills a left-out nullable input with missing values, and takes any numeric datatype', async () => {
    const r = await call(s.url, 'POST', '/v2/models/income/infer', { inputs: [{ name: 'age', datatype: 'INT32', shape: [2, 1], data: [39, 60] }] });
    expect(r.status).toBe(200);
    expect(r.body.outputs[0].shape).toEqual([2]);
  });

  it('answers 404 with the OIP error body for another model or version', async () => {
    const other = await call(s.url, 'POST', '/v2/models/flights/infer', { inputs: [] });
    expect(other).toMatchObject({ status: 404, body: { error: expect.stringContaining('Model with name flights does not exist.') } });
    expect(await call(s.url, 'GET', '/v2/models/income/versions/2')).toMatchObject({ status: 404, body: { error: expect.stringContaining('serves version 1') } });
    expect(await call(s.url, 'GET', '/v2/models/flights/ready')).toMatchObject({ status: 404 });
    expect(await call(s.url, 'GET', '/v2/nothing')).toMatchObject({ status: 404, body: { error: expect.stringContaining('No endpoint GET /v2/nothing') } });
  });
});

describe('MLflow scoring protocol', () => {
  it('answers /ping, /health and /version', async () => {
    expect(await call(s.url, 'GET', '/ping')).toMatchObject({ status: 200, text: '\n' });
    expect(await call(s.url, 'GET', '/health')).toMatchObject({ status: 200, text: '\n' });
    expect((await call(s.url, 'GET', '/version')).text).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('scores dataframe_split, dataframe_records, instances, inputs and CSV alike', async () => {
    const columns = Object.keys(RECORD);
    const byColumn = Object.fromEntries(columns.map((c) => [c, sample.map((r) => r[c])]));
    const bodies = [
      { dataframe_split: { columns, data: sample.map((r) => columns.map((c) => r[c])) } },
      { dataframe_split: { index: [0, 1, 2, 3, 4], columns, data: sample.map((r) => columns.map((c) => r[c])) }, params: {} },
      { dataframe_records: sample },
      { instances: sample },
      { instances: byColumn },
      { inputs: byColumn },
      { inputs: sample },
    ];
    for (const body of bodies) {
      const r = await call(s.url, 'POST', '/invocations', body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expectSample(r.body.predictions);
    }
    const csv = `${columns.map((c) => `"${c}"`).join(',')}\r\n${sample.map((r) => columns.map((c) => r[c]).join(',')).join('\r\n')}\r\n`;
    const r = await call(s.url, 'POST', '/invocations', csv, { 'content-type': 'text/csv; charset=utf-8' });
    expect(r.status).toBe(200);
    expectSample(r.body.predictions);
  });

  it('refuses other content types with 415 and other bodies with 400 BAD_REQUEST', async () => {
    const plain = await call(s.url, 'POST', '/invocations', JSON.stringify({ dataframe_records: sample }), { 'content-type': 'text/plain' });
    expect(plain).toMatchObject({ status: 415, body: { error_code: 'BAD_REQUEST', message: expect.stringContaining("'text/plain' is not supported") } });
    for (const body of [sample, {}, { dataframe_records: sample, instances: sample }, { records: sample }]) {
      const r = await call(s.url, 'POST', '/invocations', body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error_code: 'BAD_REQUEST', message: expect.stringContaining('MLflow 2.0') });
    }
  });
});

describe('GET /metrics', () => {
  it('counts requests by model, version, endpoint and status, with latency from 1 ms and batch sizes', async () => {
    await call(s.url, 'POST', '/predict', [{ age: 'old' }]);
    const text = (await call(s.url, 'GET', '/metrics')).text;
    const labels = { model: 'income', version: '1', route: 'stable' };
    expect(metric(text, 'sluice_inference_requests_total', { ...labels, endpoint: 'predict', code: '200' })).toBeGreaterThan(0);
    expect(metric(text, 'sluice_inference_requests_total', { ...labels, endpoint: 'predict', code: '400' })).toBeGreaterThan(0);
    expect(metric(text, 'sluice_inference_requests_total', { ...labels, endpoint: 'infer', code: '200' })).toBeGreaterThan(0);
    expect(metric(text, 'sluice_inference_requests_total', { ...labels, endpoint: 'invocations', code: '415' })).toBe(1);
    expect(text).toContain('sluice_inference_request_duration_seconds_bucket{le="0.001",model="income",version="1",route="stable",endpoint="predict"}');
    expect(metric(text, 'sluice_inference_batch_size_count', labels)).toBeGreaterThan(0);
    expect(metric(text, 'sluice_model_ready', labels)).toBe(1);
    expect(metric(text, 'sluice_inference_in_flight', labels)).toBe(0);
    expect(metric(text, 'sluice_inference_queue_depth', labels)).toBe(0);
    expect(metric(text, 'sluice_predictions_total', labels)).toBeGreaterThan(0);
    expect(metric(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });
});
