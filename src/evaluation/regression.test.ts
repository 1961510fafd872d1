import { describe, expect, it } from 'vitest';
import { expectClose, loadCases } from '../../test/reference/evaluation/cases.js';
import { regressionMetrics } from './regression.js';

interface RegressionCase {
  name: string;
  y: number[];
  pred: number[];
  expected: Record<'mae' | 'rmse' | 'r2' | 'mape', number | null>;
}
// Includes zero targets (MAPE divides by the machine epsilon), constant targets (R² forced finite)
// and one row (R² undefined).
const { regression } = loadCases<{ regression: RegressionCase[] }>('sklearn_cases.json');

describe('regressionMetrics', () => {
  for (const c of regression) {
    it(`matches scikit-learn within 1e-12: ${c.name}`, () => {
      const m = regressionMetrics(Float64Array.from(c.y), Float64Array.from(c.pred));
      for (const k of ['mae', 'rmse', 'r2', 'mape'] as const) expectClose(m[k], c.expected[k], k);
      expect(m.rows).toBe(c.y.length);
    });
  }

  it('refuses NaN, infinite values, mismatched lengths and zero rows', () => {
    const f = (a: number[], b: number[]) => () => regressionMetrics(Float64Array.from(a), Float64Array.from(b));
    expect(f([1, NaN], [1, 2])).toThrow(/Target at row 1 is NaN/);
    expect(f([1, 2], [1, Infinity])).toThrow(/Prediction at row 1 is Infinity/);
    expect(f([1], [1, 2])).toThrow(/differ in length/);
    expect(f([], [])).toThrow(/zero rows/);
  });
});
