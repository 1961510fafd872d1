import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';
import type { Batch } from './columns.js';
import type { ModelOutputs } from './session.js';

/** A fake model: label = the row's number as text, probabilities [x, -x]. */
function batcher(maxBatch: number, maxWaitMs = 2, fail?: string, slowMs = 0) {
  const calls: number[] = [];
  const b = new Batcher({
    maxBatch,
    maxWaitMs,
    width: 2,
    async run(batch: Batch): Promise<ModelOutputs> {
      calls.push(batch.rows);
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
      if (fail) throw new Error(fail);
      const x = batch.columns[0] as Float64Array;
      return { rows: batch.rows, labels: Array.from(x, String), probabilities: Float32Array.from(Array.from(x).flatMap((v) => [v, -v])) };
    },
  });
  return { b, calls };
}

const rows = (...values: number[]): Batch => ({ rows: values.length, columns: [Float64Array.from(values)] });

describe('Batcher', () => {
  it('joins requests queued in the same turn into one call and gives each its own rows', async () => {
    const { b, calls } = batcher(64);
    const outs = await Promise.all([b.submit(rows(1)), b.submit(rows(2, 3)), b.submit(rows(4))]);
    expect(calls).toEqual([4]);
    expect(outs.map((o) => o.labels)).toEqual([['1'], ['2', '3'], ['4']]);
    expect(Array.from(outs[1].probabilities!)).toEqual([2, -2, 3, -3]);
  });

  it('sends requests that arrive while a call runs together as the next call', async () => {
    const { b, calls } = batcher(64, 2, undefined, 20);
    const first = b.submit(rows(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([1]);
    const later = [b.submit(rows(2))];
    await new Promise((r) => setTimeout(r, 5));
    later.push(b.submit(rows(3)), b.submit(rows(4)));
    const outs = await Promise.all([first, ...later]);
    expect(calls).toEqual([1, 3]);
    expect(outs.map((o) => o.labels)).toEqual([['1'], ['2'], ['3'], ['4']]);
  });

  it('never puts more than maxBatch rows in a call, but runs a larger request whole', async () => {
    const { b, calls } = batcher(3);
    const outs = await Promise.all([b.submit(rows(1)), b.submit(rows(2)), b.submit(rows(3)), b.submit(rows(4)), b.submit(rows(5, 6, 7, 8))]);
    expect(calls).toEqual([3, 1, 4]);
    expect(outs[4].labels).toEqual(['5', '6', '7', '8']);
  });

  it('waits for announced requests, but no longer than maxWaitMs', async () => {
    const { b, calls } = batcher(64, 50);
    const done = b.announce();
    const first = b.submit(rows(1));
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([]);
    const second = b.submit(rows(2));
    done();
    await Promise.all([first, second]);
    expect(calls).toEqual([2]);

    const never = b.announce();
    const t0 = performance.now();
    await b.submit(rows(3));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(calls).toEqual([2, 1]);
    never();
  });

  it('rejects every request of a failed call, and reports drained', async () => {
    const { b } = batcher(64, 2, 'boom');
    const results = await Promise.allSettled([b.submit(rows(1)), b.submit(rows(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await b.drained();
    expect(b.depth).toBe(0);
  });
});
