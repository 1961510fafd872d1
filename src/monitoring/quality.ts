/**
 * Data quality of a production window against the reference: per column the null share (vs the
 * reference's), numbers outside the reference's range (or an expectation's `between` bounds),
 * categories the reference never had (or outside an `in_set` expectation), values of the wrong
 * type; and columns missing or unexpected. Every figure is reported whether or not its check
 * fails; each check has a configurable threshold and a verdict (null when the window is too small).
 */
import type { Expectation } from '../data/expectations/index.js';
import type { DriftColumn, DriftTable } from './drift/index.js';
import type { InvalidValues } from './load/records.js';

export interface QualityThresholds {
  /** Fail when the current null share exceeds the reference's by more than this (absolute, 0–1). Default 0.05. */
  nullShareIncrease: number;
  /** Fail when more than this share of the non-null numbers lies outside the range. Default 0.01. */
  outOfRangeShare: number;
  /** Fail when more than this share of the non-null values are unseen categories. Default 0.01. */
  unseenShare: number;
  /** Fail when more than this share of the rows holds a value of the wrong type. Default 0. */
  invalidShare: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { nullShareIncrease: 0.05, outOfRangeShare: 0.01, unseenShare: 0.01, invalidShare: 0 };

export interface QualityOptions {
  thresholds?: Partial<QualityThresholds>;
  /** The reference dataset's expectations: `between` bounds replace the reference's min/max, `in_set` values its categories. */
  expectations?: readonly Expectation[];
  /** Fewer current rows than this: figures are reported, verdicts are null. Default 30. */
  minRows?: number;
  /** Only these reference columns (default: all). */
  columns?: readonly string[];
  /** Wrong-typed values found while reading the window (see `tableFromRecords`). */
  invalid?: Readonly<Record<string, InvalidValues>>;
  /** How many example values to keep per check. Default 5 (10 for unseen categories). */
  examples?: number;
}

type Kind = 'numerical' | 'categorical';

export interface NullCheck {
  count: number;
  share: number;
  referenceShare: number;
  /** share − referenceShare. */
  increase: number;
  threshold: number;
  passed: boolean | null;
}

export interface RangeCheck {
  /** The allowed interval; null where unbounded. */
  min: number | null;
  max: number | null;
  strictMin: boolean;
  strictMax: boolean;
  source: 'reference' | 'expectation';
  below: number;
  above: number;
  count: number;
  /** count ÷ non-null current values. */
  share: number;
  /** Smallest and largest non-null current values (±Infinity included). */
  observedMin: number | null;
  observedMax: number | null;
  examples: number[];
  threshold: number;
  passed: boolean | null;
}

export interface UnseenCheck {
  source: 'reference' | 'expectation';
  /** Distinct unseen categories and the rows holding them. */
  distinct: number;
  count: number;
  share: number;
  /** The most frequent unseen categories with their counts. */
  examples: { value: string; count: number }[];
  threshold: number;
  passed: boolean | null;
}

export interface InvalidCheck extends InvalidValues {
  share: number;
  threshold: number;
  passed: boolean | null;
}

export interface ColumnQuality {
  column: string;
  kind: Kind;
  /** Set when the current column's kind differs from the reference's: the other checks are skipped. */
  typeMismatch?: { reference: Kind; current: Kind };
  rows: number;
  nulls: NullCheck;
  range?: RangeCheck;
  unseen?: UnseenCheck;
  invalid?: InvalidCheck;
  passed: boolean | null;
}

export interface QualityReport {
  rows: { reference: number; current: number };
  minRows: number;
  insufficientData: boolean;
  thresholds: QualityThresholds;
  /** Reference columns absent from the current window (fails), and current columns the reference lacks (reported only). */
  schema: { missing: string[]; unexpected: string[]; passed: boolean | null };
  columns: ColumnQuality[];
  /** Failed checks as `column: check` (and `schema: missing columns`). */
  failures: string[];
  passed: boolean | null;
}

export function qualityReport(reference: DriftTable, current: DriftTable, options: QualityOptions = {}): QualityReport {
  const thresholds = { ...DEFAULT_QUALITY_THRESHOLDS, ...options.thresholds };
  const minRows = options.minRows ?? 30;
  const nExamples = options.examples ?? 5;
  const refCols = reference.columns.filter((c) => !options.columns || options.columns.includes(c.name));
  const curByName = new Map(current.columns.map((c) => [c.name, c]));
  const refNames = new Set(reference.columns.map((c) => c.name));
  const refRows = rowsOf(reference);
  const curRows = rowsOf(current);
  const insufficient = curRows < minRows;
  const verdict = (ok: boolean) => (insufficient ? null : ok);

  const missing = refCols.filter((c) => !curByName.has(c.name)).map((c) => c.name);
  const unexpected = current.columns.filter((c) => !refNames.has(c.name)).map((c) => c.name);
  const failures: string[] = [];
  const schemaPassed = curRows === 0 ? null : missing.length === 0;
  if (schemaPassed === false) failures.push(`schema: missing columns ${missing.join(', ')}`);

  const columns: ColumnQuality[] = [];
  for (const ref of refCols) {
    const cur = curByName.get(ref.name);
    if (!cur) continue;
    const kind = kindOf(ref);
    const curNulls = countNulls(cur);
    const refShare = refRows ? countNulls(ref) / refRows : 0;
    const n = lengthOf(cur);
    const share = n ? curNulls / n : 0;
    const nulls: NullCheck = {
      count: curNulls, share, referenceShare: refShare, increase: share - refShare,
      threshold: thresholds.nullShareIncrease, passed: verdict(share - refShare <= thresholds.nullShareIncrease + 1e-12),
    };
    const q: ColumnQuality = { column: ref.name, kind, rows: n, nulls, passed: null };
    if (kindOf(cur) !== kind) {
      q.typeMismatch = { reference: kind, current: kindOf(cur) };
    } else if (ref.type === 'number' && cur.type === 'number') {
      q.range = rangeCheck(ref.values, cur.values, boundsFor(ref.name, options.expectations), thresholds.outOfRangeShare, nExamples, verdict);
    } else {
      q.unseen = unseenCheck(ref, cur, allowedFor(ref.name, options.expectations), thresholds.unseenShare, Math.max(nExamples, 10), verdict);
    }
    const bad = options.invalid?.[ref.name];
    if (bad) {
      const s = n ? bad.count / n : 0;
      q.invalid = { ...bad, share: s, threshold: thresholds.invalidShare, passed: verdict(s <= thresholds.invalidShare) };
    }
    const checks: [string, boolean | null | undefined][] = [
      ['type', q.typeMismatch ? verdict(false) : true],
      ['nulls', q.nulls.passed],
      ['out of range', q.range?.passed],
      ['unseen categories', q.unseen?.passed],
      ['invalid values', q.invalid?.passed],
    ];
    for (const [name, ok] of checks) if (ok === false) failures.push(`${ref.name}: ${name}`);
    q.passed = insufficient ? null : checks.every(([, ok]) => ok !== false);
    columns.push(q);
  }
  return {
    rows: { reference: refRows, current: curRows },
    minRows,
    insufficientData: insufficient,
    thresholds,
    schema: { missing, unexpected, passed: schemaPassed },
    columns,
    failures,
    passed: insufficient ? null : failures.length === 0,
  };
}

function kindOf(c: DriftColumn): Kind {
  return c.type === 'number' ? 'numerical' : 'categorical';
}

function lengthOf(c: DriftColumn): number {
  return c.type === 'category' ? c.codes.length : c.values.length;
}

function rowsOf(t: DriftTable & { rows?: number }): number {
  return t.rows ?? (t.columns[0] ? lengthOf(t.columns[0]) : 0);
}

function countNulls(c: DriftColumn): number {
  let k = 0;
  if (c.type === 'number') for (let i = 0; i < c.values.length; i++) k += Number.isNaN(c.values[i]) ? 1 : 0;
  else if (c.type === 'category') for (let i = 0; i < c.codes.length; i++) k += c.codes[i] < 0 ? 1 : 0;
  else for (let i = 0; i < c.values.length; i++) k += c.values[i] === null || c.values[i] === undefined ? 1 : 0;
  return k;
}

interface Bounds {
  min: number | null;
  max: number | null;
  strictMin: boolean;
  strictMax: boolean;
  source: 'reference' | 'expectation';
}

function boundsFor(column: string, expectations: readonly Expectation[] | undefined): Bounds | null {
  const e = expectations?.find((x) => x.expect === 'between' && x.column === column && (typeof x.min === 'number' || typeof x.max === 'number'));
  if (!e || e.expect !== 'between') return null;
  return {
    min: typeof e.min === 'number' ? e.min : null,
    max: typeof e.max === 'number' ? e.max : null,
    strictMin: e.strict_min,
    strictMax: e.strict_max,
    source: 'expectation',
  };
}

function allowedFor(column: string, expectations: readonly Expectation[] | undefined): Set<string> | null {
  const e = expectations?.find((x) => x.expect === 'in_set' && x.column === column);
  return e && e.expect === 'in_set' ? new Set(e.values.map(String)) : null;
}

function rangeCheck(
  ref: ArrayLike<number>, cur: ArrayLike<number>, declared: Bounds | null, threshold: number, nExamples: number, verdict: (ok: boolean) => boolean | null,
): RangeCheck {
  let bounds = declared;
  if (!bounds) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < ref.length; i++) {
      const v = ref[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    bounds = { min: lo <= hi ? lo : null, max: lo <= hi ? hi : null, strictMin: false, strictMax: false, source: 'reference' };
  }
  const { min, max, strictMin, strictMax } = bounds;
  let below = 0, above = 0, nonNull = 0;
  let oMin = Infinity, oMax = -Infinity;
  const examples: number[] = [];
  for (let i = 0; i < cur.length; i++) {
    const v = cur[i];
    if (Number.isNaN(v)) continue;
    nonNull++;
    if (v < oMin) oMin = v;
    if (v > oMax) oMax = v;
    const low = min !== null && (strictMin ? v <= min : v < min);
    const high = max !== null && (strictMax ? v >= max : v > max);
    if (low) below++;
    if (high) above++;
    if ((low || high) && examples.length < nExamples && !examples.includes(v)) examples.push(v);
  }
  const count = below + above;
  const share = nonNull ? count / nonNull : 0;
  return {
    ...bounds, below, above, count, share,
    observedMin: nonNull ? oMin : null, observedMax: nonNull ? oMax : null,
    examples, threshold, passed: verdict(share <= threshold),
  };
}

/** Counts per category of a non-numeric column (numbers become their text). */
function categoryCounts(c: DriftColumn): Map<string, number> {
  const counts = new Map<string, number>();
  if (c.type === 'category') {
    const byCode = new Float64Array(c.categories.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) byCode[c.codes[i]]++;
    c.categories.forEach((name, code) => byCode[code] && counts.set(name, (counts.get(name) ?? 0) + byCode[code]));
  } else {
    for (let i = 0; i < c.values.length; i++) {
      const v = c.values[i];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
      const k = String(v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return counts;
}

function unseenCheck(
  ref: DriftColumn, cur: DriftColumn, declared: Set<string> | null, threshold: number, nExamples: number, verdict: (ok: boolean) => boolean | null,
): UnseenCheck {
  const known = declared ?? new Set(categoryCounts(ref).keys());
  const counts = categoryCounts(cur);
  let total = 0, count = 0;
  const unseen: { value: string; count: number }[] = [];
  for (const [value, k] of counts) {
    total += k;
    if (!known.has(value)) {
      count += k;
      unseen.push({ value, count: k });
    }
  }
  unseen.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const share = total ? count / total : 0;
  return {
    source: declared ? 'expectation' : 'reference',
    distinct: unseen.length, count, share,
    examples: unseen.slice(0, nExamples),
    threshold, passed: verdict(share <= threshold),
  };
}
