import { describe, expect, it } from 'vitest';
import { expectClose, loadCases } from '../../test/reference/evaluation/cases.js';
import { SluiceError } from '../errors.js';
import { averagePrecision, precisionRecallCurve, rocCurve } from './curves.js';

type Curve = Record<string, (number | null)[]>;
interface BinaryCase {
  name: string;
  y: number[];
  proba: number[];
  average_precision: number;
  roc?: Curve;
  pr?: Curve;
}
// Inputs with many tied scores, exact 0, 1 and 0.5, and one-class sets; scikit-learn's values,
// written by test/reference/evaluation/sklearn_reference.py.
const { binary } = loadCases<{ binary: BinaryCase[] }>('sklearn_cases.json');

describe('rocCurve and precisionRecallCurve', () => {
  for (const c of binary.filter((c) => c.roc)) {
    it(`match scikit-learn's roc_curve and precision_recall_curve within 1e-12: ${c.name}`, () => {
      const y = Uint8Array.from(c.y);
      const p = Float64Array.from(c.proba);
      const roc = rocCurve(y, p);
      expectClose(roc.fpr, c.roc!.fpr, 'fpr');
      expectClose(roc.tpr, c.roc!.tpr, 'tpr');
      expect(roc.thresholds[0]).toBe(Infinity); // null in the JSON
      expectClose(roc.thresholds.subarray(1), c.roc!.thresholds.slice(1), 'roc thresholds');
      const pr = precisionRecallCurve(y, p);
      expectClose(pr.precision, c.pr!.precision, 'precision');
      expectClose(pr.recall, c.pr!.recall, 'recall');
      expectClose(pr.thresholds, c.pr!.thresholds, 'pr thresholds');
    });
  }

  it('refuses labels other than 0/1 and probabilities outside [0, 1]', () => {
    expect(() => rocCurve(Uint8Array.from([2, 0]), Float64Array.from([0.1, 0.2]))).toThrow(SluiceError);
    expect(() => precisionRecallCurve(Uint8Array.from([1, 0]), Float64Array.from([0.1, NaN]))).toThrow(/row 1/);
  });
});

describe('averagePrecision', () => {
  for (const c of binary.filter((c) => c.y.includes(1))) {
    it(`matches scikit-learn's average_precision_score within 1e-12: ${c.name}`, () => {
      expectClose(averagePrecision(Uint8Array.from(c.y), Float64Array.from(c.proba)), c.average_precision, 'AP');
    });
  }

  it('is NaN without positives, where scikit-learn warns and returns 0', () => {
    const c = binary.find((c) => c.name === 'all negative')!;
    expect(c.average_precision).toBe(0);
    expect(averagePrecision(Uint8Array.from(c.y), Float64Array.from(c.proba))).toBeNaN();
  });
});
