import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { binaryClassificationMetrics, rocAuc } from './metrics.js';

interface Case {
  name: string;
  threshold: number;
  y: number[];
  proba: number[];
  expected: Record<string, number | null> & { confusion_matrix: Record<string, number> };
}
// Inputs (with many tied scores, and exact 0, 1 and 0.5) and scikit-learn's values, written by
// test/reference/metrics_reference.py.
const { cases } = JSON.parse(readFileSync(new URL('../../test/reference/metrics_cases.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

describe('binaryClassificationMetrics', () => {
  for (const c of cases) {
    it(`matches scikit-learn within 1e-12: ${c.name}`, () => {
      const m = binaryClassificationMetrics(Uint8Array.from(c.y), Float64Array.from(c.proba), c.threshold);
      expect(m.confusion_matrix).toEqual(c.expected.confusion_matrix);
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc'] as const) {
        const want = c.expected[k];
        if (want === null) expect(m[k]).toBeNaN();
        else expect(Math.abs(m[k] - want), k).toBeLessThanOrEqual(1e-12);
      }
      expect(m.rows).toBe(c.y.length);
      expect(m.positives + m.negatives).toBe(m.rows);
    });
  }

  it('counts a probability equal to the threshold as a positive prediction', () => {
    const m = binaryClassificationMetrics(Uint8Array.from([1, 0]), Float64Array.from([0.5, 0.49]));
    expect(m.confusion_matrix).toEqual({ tp: 1, fp: 0, tn: 1, fn: 0 });
  });

  it('refuses mismatched lengths, empty input, labels other than 0/1 and probabilities outside [0, 1]', () => {
    const bad: [number[], number[]][] = [[[1, 0], [0.5]], [[], []], [[2], [0.5]], [[1], [NaN]], [[1], [1.5]]];
    for (const [y, p] of bad) {
      expect(() => binaryClassificationMetrics(Uint8Array.from(y), Float64Array.from(p))).toThrow(SluiceError);
    }
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when all scores tie', () => {
    const y = Uint8Array.from([0, 0, 1, 1]);
    expect(rocAuc(y, Float64Array.from([0.1, 0.2, 0.3, 0.4]))).toBe(1);
    expect(rocAuc(y, Float64Array.from([0.4, 0.3, 0.2, 0.1]))).toBe(0);
    expect(rocAuc(y, Float64Array.from([0.3, 0.3, 0.3, 0.3]))).toBe(0.5);
  });
});
