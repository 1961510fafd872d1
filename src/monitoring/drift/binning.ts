/**
 * Turning two samples into aligned bin counts for PSI, K–L and Jensen–Shannon.
 *
 * Numeric binnings (one per compatibility mode, plus quantile):
 * - `sturges-union` (Evidently `get_binned_data`): when the reference has more than
 *   `maxUniqueAsValues` distinct values, `np.histogram_bin_edges(ref ∪ cur, 'sturges')`;
 *   otherwise one bin per distinct value of ref ∪ cur.
 * - `equal-width` (TFDV-like): `bins` equal-width buckets over the range of ref ∪ cur.
 * - `doane-reference` (NannyML): Doane edges fitted on the reference only; current values
 *   outside them go to a leftover bucket. Few distinct reference values (≤ 50 and ≤ 10 % of
 *   rows) are binned one per reference value, the rest leftover.
 * - `quantile`: reference quantiles (numpy 'linear') as inner edges, open-ended outer bins.
 * Bins are [e_i, e_i+1) with the last one closed, as `np.histogram` counts them.
 */
import { linspace, mean, std } from './numeric.js';

export type NumericBinning =
  | { kind: 'sturges-union'; maxUniqueAsValues: number }
  | { kind: 'equal-width'; bins: number }
  | { kind: 'doane-reference' }
  | { kind: 'quantile'; bins: number };

/** Aligned counts; `leftover` means current mass outside the bins gets an extra bucket. */
export interface BinnedCounts {
  ref: Float64Array;
  cur: Float64Array;
  nRef: number;
  nCur: number;
  leftover: boolean;
  /** Bin edges (histogram binnings) or the value of each bin (one bin per value). */
  edges?: Float64Array;
  values?: Float64Array;
}

/** Distinct values of two sorted samples and the count of each on both sides. */
export function valueCounts(a: Float64Array, b: Float64Array): { values: Float64Array; ref: Float64Array; cur: Float64Array } {
  const vals: number[] = [];
  const ra: number[] = [];
  const cb: number[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    const i0 = i, j0 = j;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    vals.push(v);
    ra.push(i - i0);
    cb.push(j - j0);
  }
  return { values: Float64Array.from(vals), ref: Float64Array.from(ra), cur: Float64Array.from(cb) };
}

/** Number of distinct values in a sorted sample. */
export function countDistinct(a: Float64Array): number {
  let k = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) k++;
  return k;
}

/** Histogram of a sorted sample on edges, `np.histogram(a, edges)[0]`; values outside are not counted. */
export function histogramSorted(a: Float64Array, edges: Float64Array): Float64Array {
  const nb = edges.length - 1;
  const counts = new Float64Array(nb);
  let i = 0;
  while (i < a.length && a[i] < edges[0]) i++;
  for (let b = 0; b < nb; b++) {
    const hi = edges[b + 1];
    const start = i;
    if (b === nb - 1) while (i < a.length && a[i] <= hi) i++;
    else while (i < a.length && a[i] < hi) i++;
    counts[b] = i - start;
  }
  return counts;
}

/** Equal-width edges over [lo, hi] as `np.histogram_bin_edges` builds them for `n` bins. */
function equalEdges(lo: number, hi: number, n: number): Float64Array {
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  return linspace(lo, hi, n + 1);
}

/** Bin count numpy derives from a bin-width rule ('sturges', 'doane'): ceil(range / width), 1 if width is 0. */
function binsFromWidth(lo: number, hi: number, width: number): number {
  if (!width) return 1;
  const [l, h] = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  return Math.ceil((h - l) / width);
}

/** `np.histogram_bin_edges(concat(a, b), 'sturges')` for two sorted samples. */
export function sturgesEdges(a: Float64Array, b: Float64Array): Float64Array {
  const lo = Math.min(a[0], b[0]);
  const hi = Math.max(a[a.length - 1], b[b.length - 1]);
  const width = (hi - lo) / (Math.log2(a.length + b.length) + 1.0);
  return equalEdges(lo, hi, binsFromWidth(lo, hi, width));
}

/** `np.histogram_bin_edges(a, 'doane')` for a sorted sample. */
export function doaneEdges(a: Float64Array): Float64Array {
  const n = a.length;
  const lo = a[0], hi = a[n - 1];
  let width = 0;
  if (n > 2) {
    const sg1 = Math.sqrt((6.0 * (n - 2)) / ((n + 1.0) * (n + 3)));
    const mu = mean(a);
    const sigma = std(a, mu);
    if (sigma > 0) {
      const cubes = new Float64Array(n);
      for (let i = 0; i < n; i++) cubes[i] = Math.pow((a[i] - mu) / sigma, 3);
      const g1 = mean(cubes);
      width = (hi - lo) / (1.0 + Math.log2(n) + Math.log2(1.0 + Math.abs(g1) / sg1));
    }
  }
  return equalEdges(lo, hi, binsFromWidth(lo, hi, width));
}

/** `np.quantile(sorted, qs)` with the default 'linear' method. */
export function quantilesSorted(a: Float64Array, qs: ArrayLike<number>): Float64Array {
  const n = a.length;
  const out = new Float64Array(qs.length);
  for (let k = 0; k < qs.length; k++) {
    const virtual = (n - 1) * qs[k];
    if (virtual >= n - 1) { out[k] = a[n - 1]; continue; }
    if (virtual < 0) { out[k] = a[0]; continue; }
    const prev = Math.floor(virtual);
    const t = virtual - prev;
    const lo = a[prev], hi = a[prev + 1];
    const diff = hi - lo;
    out[k] = t >= 0.5 ? hi - diff * (1 - t) : lo + diff * t;
  }
  return out;
}

/** Counts by the number of inner edges ≤ x (`np.searchsorted(inner, x, 'right')`). */
function countByInnerEdges(a: Float64Array, inner: Float64Array): Float64Array {
  const counts = new Float64Array(inner.length + 1);
  let i = 0;
  for (let b = 0; b < inner.length; b++) {
    const start = i;
    while (i < a.length && a[i] < inner[b]) i++;
    counts[b] = i - start;
  }
  counts[inner.length] = a.length - i;
  return counts;
}

/** Aligned counts of two sorted, non-empty samples under a numeric binning. */
export function binNumeric(ref: Float64Array, cur: Float64Array, binning: NumericBinning): BinnedCounts {
  const nRef = ref.length, nCur = cur.length;
  switch (binning.kind) {
    case 'sturges-union': {
      if (countDistinct(ref) > binning.maxUniqueAsValues) {
        const edges = sturgesEdges(ref, cur);
        return { ref: histogramSorted(ref, edges), cur: histogramSorted(cur, edges), nRef, nCur, leftover: false, edges };
      }
      const vc = valueCounts(ref, cur);
      return { ref: vc.ref, cur: vc.cur, nRef, nCur, leftover: false, values: vc.values };
    }
    case 'equal-width': {
      const lo = Math.min(ref[0], cur[0]);
      const hi = Math.max(ref[nRef - 1], cur[nCur - 1]);
      const edges = equalEdges(lo, hi, binning.bins);
      return { ref: histogramSorted(ref, edges), cur: histogramSorted(cur, edges), nRef, nCur, leftover: false, edges };
    }
    case 'doane-reference': {
      const nUnique = countDistinct(ref);
      if (nUnique > 50 || nUnique / nRef > 0.1) {
        const edges = doaneEdges(ref);
        return { ref: histogramSorted(ref, edges), cur: histogramSorted(cur, edges), nRef, nCur, leftover: true, edges };
      }
      const vc = valueCounts(ref, cur);
      const keep: number[] = [];
      for (let k = 0; k < vc.values.length; k++) if (vc.ref[k] > 0) keep.push(k);
      const pick = (arr: Float64Array) => Float64Array.from(keep, (k) => arr[k]);
      return { ref: pick(vc.ref), cur: pick(vc.cur), nRef, nCur, leftover: true, values: pick(vc.values) };
    }
    case 'quantile': {
      const qs = linspace(0, 1, binning.bins + 1).subarray(1, binning.bins);
      const q = quantilesSorted(ref, qs);
      const inner = Float64Array.from(new Set(q)).sort();
      return { ref: countByInnerEdges(ref, inner), cur: countByInnerEdges(cur, inner), nRef, nCur, leftover: false, edges: inner };
    }
  }
}
