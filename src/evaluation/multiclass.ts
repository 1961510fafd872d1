/** Multiclass classification metrics from row-major class probabilities, matching scikit-learn. */
import { SluiceError } from '../errors.js';
import { LOG_LOSS_EPS } from './metrics.js';

export interface MulticlassMetrics {
  accuracy: number;
  /**
   * Macro averages: the unweighted mean over the classes that occur in the labels or the
   * predictions (scikit-learn's default labels); a class never predicted has precision 0
   * (zero_division=0).
   */
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  /** Weighted by each class's number of true rows. */
  precision_weighted: number;
  recall_weighted: number;
  f1_weighted: number;
  /** Cross-entropy, each probability clipped to [ε, 1 − ε] and not renormalised (as sklearn). */
  log_loss: number;
  /** confusion_matrix[true][predicted], every class included. */
  confusion_matrix: number[][];
  classes: number;
  rows: number;
}

/**
 * `proba` holds rows × classes probabilities, row-major; the number of classes is
 * proba.length / yTrue.length. Labels are class indices 0..classes−1. The predicted class is the
 * row's most probable one, the lowest index on ties (numpy's argmax).
 */
export function multiclassMetrics(yTrue: ArrayLike<number>, proba: Float64Array): MulticlassMetrics {
  const n = yTrue.length;
  if (n === 0) throw new SluiceError('DATA_INVALID', 'Cannot compute metrics on zero rows');
  const k = proba.length / n;
  if (!Number.isInteger(k) || k < 2) {
    throw new SluiceError('DATA_INVALID', `Probabilities (${proba.length} values) are not rows × classes for ${n} rows and at least 2 classes`);
  }
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new SluiceError('DATA_INVALID', `Label at row ${i} is ${y}; labels must be class indices 0 to ${k - 1}`);
    }
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = proba[i * k + c];
      if (!(p >= 0 && p <= 1)) throw new SluiceError('DATA_INVALID', `Probability of class ${c} at row ${i} is ${p}; it must be in [0, 1]`);
      if (p > proba[i * k + best]) best = c;
    }
    cm[y][best]++;
    const p = proba[i * k + y];
    loss -= Math.log(p < LOG_LOSS_EPS ? LOG_LOSS_EPS : p > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : p);
  }
  let correct = 0;
  const used: number[] = [];
  const prec: number[] = [];
  const rec: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = cm[c][c];
    correct += tp;
    const trueCount = cm[c].reduce((a, b) => a + b, 0);
    const predCount = cm.reduce((a, row) => a + row[c], 0);
    if (trueCount === 0 && predCount === 0) continue;
    used.push(c);
    prec.push(predCount === 0 ? 0 : tp / predCount);
    rec.push(trueCount === 0 ? 0 : tp / trueCount);
    f1.push((2 * tp) / (trueCount + predCount));
    support.push(trueCount);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const weighted = (xs: number[]) => xs.reduce((a, x, i) => a + x * support[i], 0) / n;
  return {
    accuracy: correct / n,
    precision_macro: mean(prec),
    recall_macro: mean(rec),
    f1_macro: mean(f1),
    precision_weighted: weighted(prec),
    recall_weighted: weighted(rec),
    f1_weighted: weighted(f1),
    log_loss: loss / n,
    confusion_matrix: cm,
    classes: k,
    rows: n,
  };
}
