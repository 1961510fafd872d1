/**
 * 1-Wasserstein distance between two samples, `scipy.stats.wasserstein_distance(u, v)`:
 * ∫|U − V| over the pooled sorted values, one merged sweep over the sorted inputs.
 */
import { std } from './numeric.js';

export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  const nu = u.length, nv = v.length;
  if (nu === 0 || nv === 0) return NaN;
  let i = 0, j = 0;
  let total = 0;
  let x = u[0] <= v[0] ? u[0] : v[0];
  for (;;) {
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    if (i === nu && j === nv) break;
    const next = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    total += Math.abs(i / nu - j / nv) * (next - x);
    x = next;
  }
  return total;
}

/** Evidently's normed Wasserstein: distance ÷ max(std(reference), 0.001), population std. */
export function wassersteinNormed(reference: Float64Array, current: Float64Array): { statistic: number; distance: number; norm: number } {
  const distance = wassersteinDistance(reference, current);
  const norm = Math.max(std(reference), 0.001);
  return { statistic: distance / norm, distance, norm };
}
