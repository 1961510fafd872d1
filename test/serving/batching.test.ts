/**
 * Concurrent single-record requests share model calls (the batch-size histogram shows batches
 * of more than one row), and every request still gets the answer for its own record.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, metric, records, removeDir, serveIncome, type Served } from './_income.js';

let s: Served;

beforeAll(async () => {
  s = await serveIncome({ maxBatch: 32, logSample: 0 });
});

afterAll(async () => {
  await s?.close();
  if (s) removeDir(s.dir);
});

it('batches concurrent requests into shared model calls and answers each with its own prediction', async () => {
  const sample = records(400);
  // Alone, one by one: each record's own answer (a batch of one).
  const alone: unknown[] = [];
  for (const r of sample.slice(0, 70)) alone.push((await call(s.url, 'POST', '/predict', [r])).body.predictions[0]);
  const before = (await call(s.url, 'GET', '/metrics')).text;
  const labels = { model: 'income', version: '1', route: 'stable' };
  const callsBefore = metric(before, 'sluice_inference_batch_size_count', labels)!;

  const replies = await Promise.all(sample.map((r, i) => call(s.url, 'POST', '/predict', [r], { 'x-request-id': `c-${i}` })));
  expect(replies.every((r) => r.status === 200)).toBe(true);
  replies.forEach((r, i) => {
    expect(r.body.request_id).toBe(`c-${i}`);
    if (i < 70) expect(r.body.predictions[0]).toEqual(alone[i]);
  });

  const after = (await call(s.url, 'GET', '/metrics')).text;
  const calls = metric(after, 'sluice_inference_batch_size_count', labels)! - callsBefore;
  const rows = metric(after, 'sluice_inference_batch_size_sum', labels)! - metric(before, 'sluice_inference_batch_size_sum', labels)!;
  expect(rows).toBe(400);
  expect(calls).toBeLessThan(400);
  expect(rows / calls).toBeGreaterThan(1);
  // No batch above --max-batch: every call is in the le="32" bucket.
  expect(metric(after, 'sluice_inference_batch_size_bucket', { ...labels, le: '32' })).toBe(metric(after, 'sluice_inference_batch_size_count', labels));
  expect(metric(after, 'sluice_inference_in_flight', labels)).toBe(0);
});
