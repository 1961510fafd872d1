/**
 * ROC and precision-recall curves and average precision (PR AUC), as scikit-learn's roc_curve,
 * precision_recall_curve and average_precision_score compute them.
 */
import { _checkBinary } from './_inputs.js';

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Decreasing; the first is Infinity (the point (0, 0)), as in scikit-learn >= 1.3. */
  thresholds: Float64Array;
}

export interface PrecisionRecallCurve {
  /** Ordered by increasing threshold, ending with the point (recall 0, precision 1). */
  precision: Float64Array;
  recall: Float64Array;
  /** Increasing; one fewer than the points. */
  thresholds: Float64Array;
}

/**
 * roc_curve(drop_intermediate=True): collinear points between corners are dropped. fpr is NaN
 * when there are no negatives, tpr when there are no positives (scikit-learn does the same).
 */
export function rocCurve(yTrue: Uint8Array, proba: Float64Array): RocCurve {
  _checkBinary(yTrue, proba);
  const { tps, fps, thresholds } = _countsAtThresholds(yTrue, proba);
  const m = tps.length;
  const keep: number[] = [];
  for (let i = 0; i < m; i++) {
    // sklearn keeps a point where the second difference of fps or tps is non-zero (a corner).
    const corner = i === 0 || i === m - 1 || m <= 2 ||
      fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0;
    if (corner) keep.push(i);
  }
  const P = tps[m - 1];
  const N = fps[m - 1];
  const fpr = new Float64Array(keep.length + 1);
  const tpr = new Float64Array(keep.length + 1);
  const thr = new Float64Array(keep.length + 1);
  thr[0] = Infinity;
  fpr[0] = N > 0 ? 0 : NaN;
  tpr[0] = P > 0 ? 0 : NaN;
  keep.forEach((i, j) => {
    fpr[j + 1] = N > 0 ? fps[i] / N : NaN;
    tpr[j + 1] = P > 0 ? tps[i] / P : NaN;
    thr[j + 1] = thresholds[i];
  });
  return { fpr, tpr, thresholds: thr };
}

/** precision_recall_curve with its defaults. With no positives, recall is 1 everywhere (as sklearn). */
export function precisionRecallCurve(yTrue: Uint8Array, proba: Float64Array): PrecisionRecallCurve {
  _checkBinary(yTrue, proba);
  const { tps, fps, thresholds } = _countsAtThresholds(yTrue, proba);
  const m = tps.length;
  const P = tps[m - 1];
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thr = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = m - 1 - i; // sklearn reverses the arrays so recall decreases
    const predicted = tps[i] + fps[i];
    precision[j] = predicted === 0 ? 0 : tps[i] / predicted;
    recall[j] = P === 0 ? 1 : tps[i] / P;
    thr[j] = thresholds[i];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: thr };
}

/**
 * Average precision: Σ (R_n − R_{n−1}) P_n, the step-wise area under the PR curve (no
 * interpolation), as average_precision_score. NaN when there are no positives (scikit-learn
 * returns 0 with a warning; NaN makes a gate on it fail with the reason).
 */
export function averagePrecision(yTrue: Uint8Array, proba: Float64Array): number {
  const { precision, recall } = precisionRecallCurve(yTrue, proba);
  if (!yTrue.includes(1)) return NaN;
  let sum = 0;
  for (let i = 0; i < recall.length - 1; i++) sum += (recall[i + 1] - recall[i]) * precision[i];
  return Math.max(0, -sum);
}

/**
 * True and false positive counts when predicting positive at score >= each distinct score,
 * scores decreasing (scikit-learn's confusion_matrix_at_thresholds).
 */
function _countsAtThresholds(yTrue: Uint8Array, proba: Float64Array) {
  const n = yTrue.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => proba[b] - proba[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    tp += yTrue[order[k]];
    if (k === n - 1 || proba[order[k + 1]] !== proba[order[k]]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(proba[order[k]]);
    }
  }
  return { tps, fps, thresholds };
}
