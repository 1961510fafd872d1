/**
 * Binary classification metrics on typed arrays, matching scikit-learn (checked against it in
 * metrics.test.ts; test/reference/metrics_reference.py regenerates the expected values).
 */
import { SluiceError } from '../errors.js';

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryClassificationMetrics {
  accuracy: number;
  /** tp / (tp + fp); 0 when nothing is predicted positive (sklearn's zero_division=0). */
  precision: number;
  /** tp / (tp + fn); 0 when there are no positives (zero_division=0). */
  recall: number;
  /** 2tp / (2tp + fp + fn); 0 when that is 0 / 0 (zero_division=0). */
  f1: number;
  /** Area under the ROC curve, ties counted as half; NaN when only one class is present. */
  roc_auc: number;
  /** Mean cross-entropy, probabilities clipped like sklearn (see LOG_LOSS_EPS). */
  log_loss: number;
  confusion_matrix: ConfusionMatrix;
  positives: number;
  negatives: number;
  rows: number;
}

/**
 * Clipping bound for log loss. scikit-learn >= 1.5 clips to the float64 machine epsilon
 * (older versions used 1e-15); only probabilities within 1e-15 of 0 or 1 are affected.
 */
export const LOG_LOSS_EPS = Number.EPSILON;

/**
 * Metrics for P(positive) against true labels (1 = positive, 0 = negative). A row is predicted
 * positive when proba >= threshold.
 */
export function binaryClassificationMetrics(
  yTrue: Uint8Array,
  proba: Float64Array,
  threshold = 0.5,
): BinaryClassificationMetrics {
  const n = yTrue.length;
  if (proba.length !== n) {
    throw new SluiceError('DATA_INVALID', `Labels and probabilities differ in length (${n} vs ${proba.length})`);
  }
  if (n === 0) throw new SluiceError('DATA_INVALID', 'Cannot compute metrics on zero rows');
  let tp = 0, fp = 0, tn = 0, fn = 0;
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const p = proba[i];
    if (y > 1) throw new SluiceError('DATA_INVALID', `Label at row ${i} is ${y}; labels must be 0 or 1`);
    if (!(p >= 0 && p <= 1)) throw new SluiceError('DATA_INVALID', `Probability at row ${i} is ${p}; it must be in [0, 1]`);
    const predicted = p >= threshold;
    if (y === 1) {
      if (predicted) tp++;
      else fn++;
      lossSum -= Math.log(_clip(p));
    } else {
      if (predicted) fp++;
      else tn++;
      // Clip 1 - p, not p: sklearn builds the [1 - p, p] matrix first and then clips it.
      lossSum -= Math.log(_clip(1 - p));
    }
  }
  const positives = tp + fn;
  const negatives = tn + fp;
  return {
    accuracy: (tp + tn) / n,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: positives === 0 ? 0 : tp / positives,
    f1: 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    roc_auc: rocAuc(yTrue, proba),
    log_loss: lossSum / n,
    confusion_matrix: { tp, fp, tn, fn },
    positives,
    negatives,
    rows: n,
  };
}

/**
 * ROC AUC as the Mann-Whitney statistic: (sum of the positives' ranks - P(P+1)/2) / (P·N), with
 * tied scores sharing their average rank. That equals the trapezoid area under sklearn's ROC curve,
 * ties included. NaN when either class is absent.
 */
export function rocAuc(yTrue: Uint8Array, proba: Float64Array): number {
  const n = yTrue.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => proba[a] - proba[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && proba[order[end]] === proba[order[start]]) end++;
    // Ranks are 1-based: the tie group start..end-1 shares rank (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (yTrue[order[k]] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function _clip(p: number): number {
  return p < LOG_LOSS_EPS ? LOG_LOSS_EPS : p > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : p;
}
