import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { binaryClassificationMetrics } from './metrics.js';
import { MAX_SLICES, metricsBySlice } from './slices.js';

const y = Uint8Array.from([1, 0, 1, 0, 1, 1, 0, 0]);
const p = Float64Array.from([0.9, 0.2, 0.4, 0.6, 0.8, 0.7, 0.1, 0.3]);

describe('metricsBySlice', () => {
  it('computes the metrics of each value of each column, missing values as their own slice, last', () => {
    const [sex, age] = metricsBySlice(
      [
        { name: 'sex', values: ['M', 'F', null, 'M', 'F', 'M', null, 'F'] },
        { name: 'age', values: Float64Array.from([40, 20, 40, NaN, 20, 40, 20, 40]) },
      ],
      y,
      p,
    );
    expect(sex.column).toBe('sex');
    expect(sex.slices.map((s) => [s.value, s.count])).toEqual([['F', 3], ['M', 3], [null, 2]]);
    const male = [0, 3, 5];
    expect(sex.slices[1].metrics).toEqual(binaryClassificationMetrics(Uint8Array.from(male, (i) => y[i]), Float64Array.from(male, (i) => p[i])));
    expect(age.slices.map((s) => [s.value, s.count])).toEqual([[20, 3], [40, 4], [null, 1]]);
    expect(age.slices[2].metrics.roc_auc).toBeNaN(); // one class in the slice
  });

  it('applies the threshold in every slice', () => {
    const [all] = metricsBySlice([{ name: 'one', values: new Array(8).fill('x') }], y, p, 0.75);
    expect(all.slices[0].metrics).toEqual(binaryClassificationMetrics(y, p, 0.75));
  });

  it('refuses a column of the wrong length or with too many distinct values', () => {
    expect(() => metricsBySlice([{ name: 'short', values: ['a'] }], y, p)).toThrow(/Column 'short' has 1 values but there are 8 rows/);
    const n = MAX_SLICES + 1;
    const many = () =>
      metricsBySlice([{ name: 'id', values: Float64Array.from({ length: n }, (_, i) => i) }], new Uint8Array(n), new Float64Array(n));
    expect(many).toThrow(SluiceError);
    expect(many).toThrow(/Slice column 'id' has 201 distinct values/);
  });
});
