/**
 * Column inputs and their preparation: numeric columns become sorted Float64Array copies of
 * their finite values; categorical columns become counts aligned over the sorted union of
 * categories. Missing values (NaN, ±Infinity, null, undefined, negative codes) are dropped
 * and counted, never compared.
 */
import { SluiceError } from '../../errors.js';
import { valueCounts } from './binning.js';
import { sortedFinite } from './numeric.js';

/**
 * One column of a window. `number` and `string` match the `Table` columns of src/data, so a
 * Table can be passed as is; `category` is the dictionary-encoded form (code −1 = missing).
 */
export type DriftColumn =
  | { name: string; type: 'number'; values: ArrayLike<number> }
  | { name: string; type: 'string'; values: ArrayLike<string | null | undefined> }
  | { name: string; type: 'category'; codes: ArrayLike<number>; categories: readonly string[] };

export interface NumericPrepared {
  kind: 'numerical';
  ref: Float64Array;
  cur: Float64Array;
  refMissing: number;
  curMissing: number;
}

export interface CategoricalPrepared {
  kind: 'categorical';
  /** Sorted union of categories (numbers for numeric columns treated as categorical). */
  keys: (string | number)[];
  ref: Float64Array;
  cur: Float64Array;
  nRef: number;
  nCur: number;
  refMissing: number;
  curMissing: number;
}

export type PreparedColumn = NumericPrepared | CategoricalPrepared;

export function columnRows(c: DriftColumn): number {
  return c.type === 'category' ? c.codes.length : c.values.length;
}

export function prepareNumeric(ref: DriftColumn, cur: DriftColumn): NumericPrepared {
  if (ref.type !== 'number' || cur.type !== 'number') {
    throw new SluiceError('SCHEMA_MISMATCH', `Column '${ref.name}' is not numeric on both sides`, {
      where: ref.name,
      hint: 'Give the column the same numeric type in the reference and the current data, or declare it categorical.',
    });
  }
  const r = sortedFinite(ref.values);
  const c = sortedFinite(cur.values);
  return { kind: 'numerical', ref: r.sorted, cur: c.sorted, refMissing: r.missing, curMissing: c.missing };
}

/** A numeric column seen as categories: one per distinct value. */
export function numericAsCategorical(p: NumericPrepared): CategoricalPrepared {
  const vc = valueCounts(p.ref, p.cur);
  return {
    kind: 'categorical', keys: Array.from(vc.values), ref: vc.ref, cur: vc.cur,
    nRef: p.ref.length, nCur: p.cur.length, refMissing: p.refMissing, curMissing: p.curMissing,
  };
}

/** Counts of each category of a string or dictionary-encoded column, keyed by category. */
function countCategories(c: DriftColumn): { counts: Map<string, number>; missing: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  if (c.type === 'category') {
    const byCode = new Float64Array(c.categories.length);
    for (let i = 0; i < c.codes.length; i++) {
      const code = c.codes[i];
      if (code >= 0 && code < byCode.length) byCode[code]++;
      else if (code < 0) missing++;
      else throw new SluiceError('DATA_INVALID', `Column '${c.name}' has code ${code} beyond its ${byCode.length} categories`, { where: c.name });
    }
    c.categories.forEach((name, code) => {
      if (byCode[code] > 0) counts.set(name, (counts.get(name) ?? 0) + byCode[code]);
    });
  } else if (c.type === 'string') {
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i];
      if (v === null || v === undefined) missing++;
      else counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  } else {
    throw new SluiceError('SCHEMA_MISMATCH', `Column '${c.name}' is numeric on one side and categorical on the other`, { where: c.name });
  }
  return { counts, missing };
}

export function prepareCategorical(ref: DriftColumn, cur: DriftColumn): CategoricalPrepared {
  if (ref.type === 'number' && cur.type === 'number') return numericAsCategorical(prepareNumeric(ref, cur));
  const r = countCategories(ref);
  const c = countCategories(cur);
  // Sorted by UTF-16 code units: deterministic, and Evidently's z-test needs "first sorted".
  const keys = [...new Set([...r.counts.keys(), ...c.counts.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const refCounts = Float64Array.from(keys, (k) => r.counts.get(k) ?? 0);
  const curCounts = Float64Array.from(keys, (k) => c.counts.get(k) ?? 0);
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  return {
    kind: 'categorical', keys, ref: refCounts, cur: curCounts,
    nRef: sum(refCounts), nCur: sum(curCounts), refMissing: r.missing, curMissing: c.missing,
  };
}

/**
 * Evidently's rule for integer dtypes, applied to integer-valued numeric columns when the mode
 * asks for it: at most `maxUnique` distinct reference values makes the column categorical.
 */
export function integerLooksCategorical(p: NumericPrepared, maxUnique: number): boolean {
  for (const a of [p.ref, p.cur]) for (let i = 0; i < a.length; i++) if (!Number.isInteger(a[i])) return false;
  let distinct = 0;
  for (let i = 0; i < p.ref.length; i++) {
    if (i === 0 || p.ref[i] !== p.ref[i - 1]) distinct++;
    if (distinct > maxUnique) return false;
  }
  return true;
}
