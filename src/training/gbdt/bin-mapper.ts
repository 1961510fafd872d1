/**
 * Binning: raw feature values to small integers (one byte per value) so that a tree node's
 * statistics fit in a histogram. Every feature has its value bins 0..V-1 and a missing-value
 * bin V, so V <= 255 keeps every bin in a Uint8Array.
 *
 * - numeric: V-1 ascending thresholds; bin b holds thresholds[b-1] < x <= thresholds[b], so the
 *   bin-space split "bin <= b" is exactly the raw split "x <= thresholds[b]". With few distinct
 *   values the thresholds are midpoints between them; otherwise midpoint quantiles of a seeded
 *   subsample of at most 200k rows (as scikit-learn's HistGradientBoosting does).
 * - categorical (string columns): kept categories by frequency are codes 0..k-1, code k is
 *   'other' (rare categories, and at prediction categories never seen), V = k+1.
 */
import { SluiceError } from '../../errors.js';
import { mulberry32 } from '../../random.js';
import type { Column } from '../../data/table.js';
import type { FeatureInfo } from './types.js';

export const BINNING_SUBSAMPLE = 200_000;
/** Kept categories at most: codes 0..253, 'other' 254, missing 255. */
export const MAX_CATEGORIES = 254;

/** Value bins of a feature; its missing-value bin has this index. */
export function valueBinCount(info: FeatureInfo): number {
  return info.kind === 'numeric' ? info.thresholds.length + 1 : info.categories.length + 1;
}

/** Learns the binning of each feature column from the training table. */
export function fitBinning(
  columns: Column[],
  maxBins: number,
  minCategoryCount: number,
  seed: number,
): FeatureInfo[] {
  let sample: Uint32Array | null = null; // shared by all numeric columns, drawn once
  return columns.map((col) => {
    if (col.type === 'string') return fitCategorical(col.name, col.values, minCategoryCount);
    const n = col.values.length;
    if (n > BINNING_SUBSAMPLE && sample === null) sample = sampleRows(n, BINNING_SUBSAMPLE, seed);
    return fitNumeric(col.name, col.values, maxBins, n > BINNING_SUBSAMPLE ? sample : null);
  });
}

function fitNumeric(name: string, values: Float64Array, maxBins: number, rows: Uint32Array | null): FeatureInfo {
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) missing++;
    else if (x === Infinity || x === -Infinity) {
      throw new SluiceError('DATA_INVALID', `Column '${name}' has an infinite value (row ${i}); GBDT training needs finite numbers or NaN for missing`, {
        where: `column '${name}'`,
        hint: 'Replace infinite values with NaN (treated as missing) or clip them to a finite range before training',
      });
    }
  }
  const m = rows ? rows.length : values.length;
  const picked = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const x = values[rows ? rows[i] : i];
    if (x === x) picked[k++] = x;
  }
  const sorted = picked.subarray(0, k).sort();
  return { name, kind: 'numeric', thresholds: thresholdsOf(sorted, maxBins), hadMissing: missing > 0 };
}

/** Bin upper edges for ascending finite values: at most maxBins - 1 of them, strictly increasing. */
export function thresholdsOf(sorted: Float64Array, maxBins: number): number[] {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length <= maxBins; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  }
  const out: number[] = [];
  const push = (t: number): void => {
    if (out.length === 0 || t > out[out.length - 1]) out.push(t);
  };
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) push(midpoint(distinct[i - 1], distinct[i]));
  } else {
    // numpy's percentile(method='midpoint') at 100*q/maxBins, q = 1..maxBins-1
    const last = sorted.length - 1;
    for (let q = 1; q < maxBins; q++) {
      const pos = (q * last) / maxBins;
      push(midpoint(sorted[Math.floor(pos)], sorted[Math.ceil(pos)]));
    }
  }
  return out;
}

function midpoint(a: number, b: number): number {
  const m = (a + b) / 2;
  return Number.isFinite(m) ? m : a / 2 + b / 2; // avoids overflow near ±1.8e308
}

function fitCategorical(name: string, values: (string | null)[], minCount: number): FeatureInfo {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  // Most frequent first; ties by code-unit order (not localeCompare: it depends on the machine).
  const kept = [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_CATEGORIES)
    .map(([v]) => v);
  return { name, kind: 'categorical', categories: kept, hadMissing: missing > 0 };
}

/** Category code per row: 0..k-1 kept, k for other/unseen, -1 for missing. */
export function categoryCodes(values: (string | null)[], categories: string[]): Int32Array {
  const index = new Map<string, number>();
  categories.forEach((c, i) => index.set(c, i));
  const other = categories.length;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null ? -1 : (index.get(v) ?? other);
  }
  return out;
}

/** Bins one training column with its fitted binning. */
export function binColumn(col: Column, info: FeatureInfo): Uint8Array {
  const n = col.values.length;
  const out = new Uint8Array(n);
  const missingBin = valueBinCount(info);
  if (info.kind === 'categorical') {
    const codes = categoryCodes(col.values as (string | null)[], info.categories);
    for (let i = 0; i < n; i++) out[i] = codes[i] < 0 ? missingBin : codes[i];
    return out;
  }
  const values = col.values as Float64Array;
  const thr = Float64Array.from(info.thresholds);
  const t = thr.length;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x !== x) {
      out[i] = missingBin;
      continue;
    }
    let lo = 0;
    let hi = t; // first threshold >= x, or t when x is above all of them
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= thr[mid]) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

/** k distinct row indices out of n, reproducible for a seed (partial Fisher-Yates). */
export function sampleRows(n: number, k: number, seed: number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rand = mulberry32(seed);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, k).sort();
}

