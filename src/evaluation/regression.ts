/** Regression metrics, matching scikit-learn. */
import { _checkFinitePairs } from './_inputs.js';

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  /**
   * 1 − SS_res / SS_tot. NaN with fewer than 2 rows; with constant targets, 1 for a perfect
   * prediction and 0 otherwise (scikit-learn's force_finite).
   */
  r2: number;
  /** mean(|y − ŷ| / max(|y|, ε)), ε the float64 machine epsilon: huge, not infinite, when y = 0. */
  mape: number;
  rows: number;
}

export function regressionMetrics(yTrue: Float64Array, yPred: Float64Array): RegressionMetrics {
  _checkFinitePairs(yTrue, yPred);
  const n = yTrue.length;
  let abs = 0, sq = 0, pct = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i] - yPred[i];
    abs += Math.abs(e);
    sq += e * e;
    pct += Math.abs(e) / Math.max(Math.abs(yTrue[i]), Number.EPSILON);
    sum += yTrue[i];
  }
  const mean = sum / n;
  let tot = 0;
  for (let i = 0; i < n; i++) tot += (yTrue[i] - mean) ** 2;
  const r2 = n < 2 ? NaN : tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot;
  return { mae: abs / n, rmse: Math.sqrt(sq / n), r2, mape: pct / n, rows: n };
}
