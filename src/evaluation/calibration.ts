/** Probability calibration: Brier score, reliability curve and expected calibration error. */
import { SluiceError } from '../errors.js';
import { _checkBinary } from './_inputs.js';
import { _quantileSorted, _unitLinspace } from './_quantile.js';

export type CalibrationStrategy = 'uniform' | 'quantile';

export interface CalibrationOptions {
  /** Number of bins; default 10 (scikit-learn's default is 5). */
  bins?: number;
  /** 'uniform': equal-width bins on [0, 1]; 'quantile': equal-count bins. Default 'uniform'. */
  strategy?: CalibrationStrategy;
}

export interface CalibrationCurve {
  /** Per non-empty bin: the fraction of positives (scikit-learn's prob_true). */
  probTrue: Float64Array;
  /** Per non-empty bin: the mean predicted probability (prob_pred). */
  probPred: Float64Array;
  /** Per non-empty bin: the number of rows. */
  counts: Uint32Array;
  /** All bins + 1 edges, empty bins included. */
  edges: Float64Array;
}

/** Mean squared difference between probability and label (brier_score_loss). */
export function brierScore(yTrue: Uint8Array, proba: Float64Array): number {
  _checkBinary(yTrue, proba);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (proba[i] - yTrue[i]) ** 2;
  return sum / yTrue.length;
}

/**
 * sklearn.calibration.calibration_curve: a row falls in bin i when edges[i] < p <= edges[i + 1]
 * (the first bin also takes p = edges[0]); empty bins are left out.
 */
export function calibrationCurve(yTrue: Uint8Array, proba: Float64Array, options: CalibrationOptions = {}): CalibrationCurve {
  _checkBinary(yTrue, proba);
  const bins = options.bins ?? 10;
  const strategy = options.strategy ?? 'uniform';
  if (!Number.isInteger(bins) || bins < 1) {
    throw new SluiceError('USAGE', `Calibration bins must be a positive integer, got '${bins}'`);
  }
  if (strategy !== 'uniform' && strategy !== 'quantile') {
    throw new SluiceError('USAGE', `Calibration strategy must be 'uniform' or 'quantile', got '${strategy}'`);
  }
  const edges = _unitLinspace(bins);
  if (strategy === 'quantile') {
    const sorted = Float64Array.from(proba).sort();
    // np.percentile(p, q * 100) divides by 100 again, which does not always round-trip.
    for (let i = 0; i <= bins; i++) edges[i] = _quantileSorted(sorted, (edges[i] * 100) / 100);
  }
  const sums = new Float64Array(bins);
  const trues = new Float64Array(bins);
  const totals = new Uint32Array(bins);
  for (let r = 0; r < proba.length; r++) {
    const b = _binOf(edges, proba[r]);
    sums[b] += proba[r];
    trues[b] += yTrue[r];
    totals[b]++;
  }
  const nonEmpty = [...totals.keys()].filter((b) => totals[b] > 0);
  return {
    probTrue: Float64Array.from(nonEmpty, (b) => trues[b] / totals[b]),
    probPred: Float64Array.from(nonEmpty, (b) => sums[b] / totals[b]),
    counts: Uint32Array.from(nonEmpty, (b) => totals[b]),
    edges,
  };
}

/**
 * Σ over non-empty bins of (rows in bin / rows) · |fraction of positives − mean probability|, on
 * calibrationCurve's bins. Not in scikit-learn; the usual definition (Naeini et al., 2015).
 */
export function expectedCalibrationError(yTrue: Uint8Array, proba: Float64Array, options: CalibrationOptions = {}): number {
  const { probTrue, probPred, counts } = calibrationCurve(yTrue, proba, options);
  let sum = 0;
  for (let b = 0; b < counts.length; b++) sum += (counts[b] / yTrue.length) * Math.abs(probTrue[b] - probPred[b]);
  return sum;
}

/** np.searchsorted(edges[1:-1], p, side='left'): the number of inner edges strictly below p. */
function _binOf(edges: Float64Array, p: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid + 1] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
