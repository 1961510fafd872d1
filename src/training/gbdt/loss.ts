/**
 * Losses on raw scores (margins). Classification targets are class indices, regression targets
 * are values. Raw scores are row-major: raw[i * outputs + k].
 *   binary:     log loss on sigmoid(raw); g = p - y, h = p(1 - p)
 *   multiclass: cross-entropy on softmax(raw); one tree per class, g_k = p_k - [y = k], h_k = p_k(1 - p_k)
 *   regression: squared error; g = raw - y, h = 1 (the reported loss is the mean squared error)
 */
import type { GbdtTask } from './types.js';

export interface Loss {
  outputs: number;
  /** Best constant raw score per output. */
  baseline(y: Float64Array): number[];
  /**
   * Fills grad[k] and hess[k] for every output k, and returns the mean loss at `raw`: the
   * probabilities are at hand here, so the loss costs one log a row instead of a pass of its own.
   */
  gradients(y: Float64Array, raw: Float64Array, grad: Float64Array[], hess: Float64Array[]): number;
  /** Mean loss over rows. */
  value(y: Float64Array, raw: Float64Array): number;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

export function lossFor(task: GbdtTask, nClasses: number): Loss {
  if (task === 'binary') return binary;
  if (task === 'regression') return regression;
  return multiclass(nClasses);
}

const binary: Loss = {
  outputs: 1,
  baseline(y) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i];
    const p = s / y.length;
    return [Math.log(p / (1 - p))];
  },
  gradients(y, raw, [g], [h]) {
    let loss = 0;
    for (let i = 0; i < y.length; i++) {
      const x = raw[i];
      const e = Math.exp(-x);
      const p = 1 / (1 + e);
      g[i] = p - y[i];
      h[i] = p * (1 - p);
      // log loss = softplus(x) - y x = log(1 + e) + (1 - y) x, finite while e is
      loss += x > -700 ? Math.log(1 + e) + (1 - y[i]) * x : softplus(x) - y[i] * x;
    }
    return loss / y.length;
  },
  value(y, raw) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += softplus(raw[i]) - y[i] * raw[i];
    return s / y.length;
  },
};

const regression: Loss = {
  outputs: 1,
  baseline(y) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i];
    return [s / y.length];
  },
  gradients(y, raw, [g], [h]) {
    let loss = 0;
    for (let i = 0; i < y.length; i++) {
      const d = raw[i] - y[i];
      g[i] = d;
      h[i] = 1;
      loss += d * d;
    }
    return loss / y.length;
  },
  value(y, raw) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (raw[i] - y[i]) ** 2;
    return s / y.length;
  },
};

function multiclass(K: number): Loss {
  const p = new Float64Array(K);
  return {
    outputs: K,
    baseline(y) {
      const counts = new Float64Array(K);
      for (let i = 0; i < y.length; i++) counts[y[i]]++;
      return Array.from(counts, (c) => Math.log(c / y.length));
    },
    gradients(y, raw, grad, hess) {
      let loss = 0;
      for (let i = 0; i < y.length; i++) {
        softmaxInto(raw, i * K, K, p);
        for (let k = 0; k < K; k++) {
          grad[k][i] = p[k] - (y[i] === k ? 1 : 0);
          hess[k][i] = p[k] * (1 - p[k]);
        }
        loss -= Math.log(Math.max(p[y[i]], 1e-300));
      }
      return loss / y.length;
    },
    value(y, raw) {
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const o = i * K;
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, raw[o + k]);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(raw[o + k] - max);
        s += max + Math.log(sum) - raw[o + y[i]];
      }
      return s / y.length;
    },
  };
}

/** out[k] = softmax(raw[o..o+K))[k], shifted by the max so exp never overflows. */
export function softmaxInto(raw: Float64Array, o: number, K: number, out: Float64Array, outOffset = 0): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, raw[o + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(raw[o + k] - max);
    out[outOffset + k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) out[outOffset + k] /= sum;
}
