import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { ModelSignature } from '../training/package/index.js';
import { describeStoreBackends } from '../../test/helpers/backends.js';
import { recordFeedback } from './feedback.js';
import { PredictionLog, type LoggedRequest } from './prediction-log.js';
import { listPredictions } from './predictions.js';

const signature: ModelSignature = {
  format: 'sluice-signature',
  version: 1,
  task: 'binary',
  classes: ['no', 'yes'],
  inputs: [
    { name: 'age', type: 'float64', shape: [null, 1], nullable: true, missing: 'NaN' },
    { name: 'sex', type: 'string', shape: [null, 1], nullable: true, missing: '' },
  ],
  outputs: [
    { name: 'label', type: 'string', shape: [null], role: 'label' },
    { name: 'probabilities', type: 'float32', shape: [null, 2], role: 'probabilities' },
  ],
};

function request(id: string, ages: number[]): LoggedRequest {
  const n = ages.length;
  return {
    requestId: id,
    at: 1_700_000_000_000,
    latencyMs: 1.5,
    batch: { rows: n, columns: [Float64Array.from(ages), ages.map((_, i) => (i % 2 ? 'Male' : ''))] },
    outputs: { rows: n, labels: ages.map((a) => (a > 40 ? 'yes' : 'no')), probabilities: Float32Array.from(ages.flatMap(() => [0.25, 0.75])) },
  };
}

describeStoreBackends('PredictionLog', (backend) => {
  it('writes one row per record in chunks, and listPredictions joins the latest feedback', async () => {
    const store = await backend.open();
    try {
      const counts = { written: 0, dropped: 0 };
      const log = new PredictionLog({ store, signature, model: 'm', version: 2, route: 'canary', chunkRows: 3, onWritten: (n) => (counts.written += n), onDropped: (n) => (counts.dropped += n) });
      log.record(request('a', [30]));
      log.record(request('b', [50, NaN, 20, 61, 70]));
      expect(log.buffered).toBe(6);
      await log.close();
      expect(counts).toEqual({ written: 6, dropped: 0 });
      await recordFeedback(store, 'm', [
        { requestId: 'b', row: 1, label: 'no' },
        { requestId: 'b', row: 1, label: 'yes' },
        { requestId: 'a', row: 0, label: true },
      ]);
      const rows = await listPredictions(store.db, { model: 'm' });
      expect(rows).toHaveLength(6);
      expect(rows[0]).toEqual({
        requestId: 'a',
        row: 0,
        model: 'm',
        version: 2,
        route: 'canary',
        at: 1_700_000_000_000,
        latencyMs: 1.5,
        inputs: { age: 30, sex: '' },
        outputs: { label: 'no', probabilities: { no: 0.25, yes: 0.75 } },
        feedback: true,
      });
      expect(rows[2]).toMatchObject({ requestId: 'b', row: 1, inputs: { age: null, sex: 'Male' }, feedback: 'yes' });
      expect(rows[3].feedback).toBeUndefined();
      expect(await listPredictions(store.db, { model: 'm', requestId: 'b', version: 2 })).toHaveLength(5);
      expect(await listPredictions(store.db, { model: 'm', version: 1 })).toHaveLength(0);
      // After close, nothing more is taken.
      log.record(request('c', [1]));
      expect(counts.dropped).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('drops and counts what does not fit, and samples per request', async () => {
    const store = await backend.open();
    try {
      let dropped = 0;
      const log = new PredictionLog({ store, signature, model: 'm', version: 1, route: 'stable', capacity: 4, flushIntervalMs: 10_000, chunkRows: 100, onDropped: (n) => (dropped += n) });
      log.record(request('a', [1, 2, 3]));
      log.record(request('b', [1, 2]));
      log.record(request('c', [1]));
      expect(dropped).toBe(2);
      expect(log.buffered).toBe(4);
      await log.close();
      expect((await listPredictions(store.db, { model: 'm' })).map((r) => r.requestId)).toEqual(['a', 'a', 'a', 'c']);

      const none = new PredictionLog({ store, signature, model: 'n', version: 1, route: 'stable', sample: 0 });
      for (let i = 0; i < 20; i++) none.record(request(`x${i}`, [1]));
      await none.close();
      expect(await listPredictions(store.db, { model: 'n' })).toHaveLength(0);
    } finally {
      await store.close();
    }
  });

  it('counts a failed write as dropped and reports it, without throwing', async () => {
    const store = await backend.open();
    let dropped = 0;
    const errors: unknown[] = [];
    try {
      const log = new PredictionLog({ store, signature, model: 'm', version: 1, route: 'stable', onDropped: (n) => (dropped += n), onError: (e) => errors.push(e) });
      await sql`drop table prediction_log`.execute(store.db);
      log.record(request('a', [1, 2]));
      await log.close();
      expect(dropped).toBe(2);
      expect(errors).toHaveLength(1);
      expect(log.buffered).toBe(0);
    } finally {
      await store.close();
    }
  });
});
