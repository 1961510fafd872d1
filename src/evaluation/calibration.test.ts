import { describe, expect, it } from 'vitest';
import { expectClose, loadCases } from '../../test/reference/evaluation/cases.js';
import { SluiceError } from '../errors.js';
import { brierScore, calibrationCurve, expectedCalibrationError, type CalibrationStrategy } from './calibration.js';

interface BinaryCase {
  name: string;
  y: number[];
  proba: number[];
  brier: number;
  calibration: {
    bins: number;
    strategy: CalibrationStrategy;
    prob_true: number[];
    prob_pred: number[];
    counts: number[];
    edges: number[];
    ece: number;
  }[];
}
const { binary } = loadCases<{ binary: BinaryCase[] }>('sklearn_cases.json');

describe('brierScore, calibrationCurve and expectedCalibrationError', () => {
  for (const c of binary) {
    it(`match scikit-learn's brier_score_loss and calibration_curve within 1e-12: ${c.name}`, () => {
      const y = Uint8Array.from(c.y);
      const p = Float64Array.from(c.proba);
      expectClose(brierScore(y, p), c.brier, 'brier');
      for (const want of c.calibration) {
        const label = `${want.strategy} ${want.bins}`;
        const got = calibrationCurve(y, p, { bins: want.bins, strategy: want.strategy });
        // Quantile edges are numpy's percentiles, bit for bit.
        expect(Array.from(got.edges), `${label} edges`).toEqual(want.edges);
        expect(Array.from(got.counts), `${label} counts`).toEqual(want.counts);
        expectClose(got.probTrue, want.prob_true, `${label} prob_true`);
        expectClose(got.probPred, want.prob_pred, `${label} prob_pred`);
        expectClose(expectedCalibrationError(y, p, { bins: want.bins, strategy: want.strategy }), want.ece, `${label} ece`);
      }
    });
  }

  it('defaults to 10 uniform bins and puts a probability on an edge in the lower bin', () => {
    const got = calibrationCurve(Uint8Array.from([0, 1, 1]), Float64Array.from([0.05, 0.1, 1]));
    expect(got.edges.length).toBe(11);
    expect(Array.from(got.counts)).toEqual([2, 1]);
  });

  it('refuses a non-integer bin count and an unknown strategy', () => {
    const y = Uint8Array.from([0, 1]);
    const p = Float64Array.from([0.2, 0.8]);
    expect(() => calibrationCurve(y, p, { bins: 0 })).toThrow(SluiceError);
    expect(() => calibrationCurve(y, p, { strategy: 'kmeans' as CalibrationStrategy })).toThrow(/'uniform' or 'quantile'/);
  });
});
