import { describe, expect, it } from 'vitest';
import { expectClose, loadCases } from '../../test/reference/evaluation/cases.js';
import { SluiceError } from '../errors.js';
import { multiclassMetrics } from './multiclass.js';

interface MulticlassCase {
  name: string;
  y: number[];
  proba: number[];
  classes: number;
  expected: Record<string, number> & { confusion_matrix: number[][] };
}
const { multiclass } = loadCases<{ multiclass: MulticlassCase[] }>('sklearn_cases.json');

describe('multiclassMetrics', () => {
  for (const c of multiclass) {
    it(`matches scikit-learn within 1e-12: ${c.name}`, () => {
      const m = multiclassMetrics(Int32Array.from(c.y), Float64Array.from(c.proba));
      expect(m.classes).toBe(c.classes);
      expect(m.confusion_matrix).toEqual(c.expected.confusion_matrix);
      const keys = ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'precision_weighted', 'recall_weighted', 'f1_weighted', 'log_loss'] as const;
      for (const k of keys) expectClose(m[k], c.expected[k], k);
    });
  }

  it('predicts the lowest class index when probabilities tie', () => {
    const m = multiclassMetrics([1], Float64Array.from([0.4, 0.4, 0.2]));
    expect(m.confusion_matrix[1]).toEqual([1, 0, 0]);
  });

  it('refuses probabilities that are not rows × classes, and labels outside the classes', () => {
    expect(() => multiclassMetrics([0, 1], Float64Array.from([0.5, 0.5, 1]))).toThrow(/rows × classes/);
    expect(() => multiclassMetrics([0], Float64Array.from([1]))).toThrow(SluiceError);
    expect(() => multiclassMetrics([3], Float64Array.from([0.5, 0.5]))).toThrow(/Label at row 0 is 3/);
    expect(() => multiclassMetrics([0], Float64Array.from([0.5, NaN]))).toThrow(/class 1 at row 0/);
  });
});
