/**
 * What the report's plots show, as plain serialisable data (so a monitor can store it with its
 * report): per numeric column the reference and current counts on the same bins, per
 * categorical column the counts of the most frequent categories plus "other".
 */
import { histogramSorted, quantilesSorted, sortedFinite, type ColumnKind, type DriftColumn, type DriftReport, type DriftTable } from './drift/index.js';

export interface NumericDistribution {
  column: string;
  kind: 'numerical';
  /** bins + 1 increasing edges shared by both sides; the last bin includes its right edge. */
  edges: number[];
  reference: number[];
  current: number[];
  /** Non-missing values left and right of the plotted range (outside the 0.5–99.5 % quantiles). */
  outside: { reference: [number, number]; current: [number, number] };
  totals: { reference: number; current: number };
}

export interface CategoricalDistribution {
  column: string;
  kind: 'categorical';
  /** The most frequent categories (reference + current), then `(N others)` when more remain. */
  labels: string[];
  reference: number[];
  current: number[];
  /** How many categories were folded into the last label (0 when there is no `other`). */
  other: number;
  totals: { reference: number; current: number };
}

export type ColumnDistribution = NumericDistribution | CategoricalDistribution;

export interface DistributionOptions {
  /** Numeric bins, at most. Default 30. */
  bins?: number;
  /** Categories shown before `other`. Default 12. */
  topCategories?: number;
}

/** The plot data of every column in the report, kinds as the report decided them. */
export function driftDistributions(reference: DriftTable, current: DriftTable, report: DriftReport, options: DistributionOptions = {}): ColumnDistribution[] {
  const refBy = new Map(reference.columns.map((c) => [c.name, c]));
  const curBy = new Map(current.columns.map((c) => [c.name, c]));
  const out: ColumnDistribution[] = [];
  for (const r of report.columns) {
    const a = refBy.get(r.column);
    const b = curBy.get(r.column);
    if (a && b) out.push(distribution(a, b, r.type, options));
  }
  return out;
}

export function distribution(ref: DriftColumn, cur: DriftColumn, kind: ColumnKind, options: DistributionOptions = {}): ColumnDistribution {
  if (kind === 'numerical' && ref.type === 'number' && cur.type === 'number') return numeric(ref.name, ref.values, cur.values, options.bins ?? 30);
  return categorical(ref, cur, options.topCategories ?? 12);
}

function numeric(column: string, refValues: ArrayLike<number>, curValues: ArrayLike<number>, maxBins: number): NumericDistribution {
  const a = sortedFinite(refValues).sorted;
  const b = sortedFinite(curValues).sorted;
  const totals = { reference: a.length, current: b.length };
  if (a.length + b.length === 0) return { column, kind: 'numerical', edges: [], reference: [], current: [], outside: { reference: [0, 0], current: [0, 0] }, totals };
  // The 0.5–99.5 % range of each side keeps a few extreme values from squashing the plot.
  const q = (s: Float64Array) => (s.length ? Array.from(quantilesSorted(s, [0.005, 0.995])) : []);
  const bounds = [...q(a), ...q(b)];
  let lo = Math.min(...bounds);
  let hi = Math.max(...bounds);
  const n = a.length + b.length;
  const bins = lo === hi ? 1 : Math.max(1, Math.min(maxBins, Math.ceil(Math.log2(n)) + 1));
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
  const outside = (s: Float64Array): [number, number] => [lowerBound(s, lo), s.length - upperBound(s, hi)];
  return {
    column, kind: 'numerical', edges: Array.from(edges),
    reference: Array.from(histogramSorted(a, edges)), current: Array.from(histogramSorted(b, edges)),
    outside: { reference: outside(a), current: outside(b) }, totals,
  };
}

/** First index with s[i] >= x. */
function lowerBound(s: Float64Array, x: number): number {
  let l = 0, h = s.length;
  while (l < h) { const m = (l + h) >> 1; if (s[m] < x) l = m + 1; else h = m; }
  return l;
}

/** First index with s[i] > x. */
function upperBound(s: Float64Array, x: number): number {
  let l = 0, h = s.length;
  while (l < h) { const m = (l + h) >> 1; if (s[m] <= x) l = m + 1; else h = m; }
  return l;
}

function counts(c: DriftColumn): Map<string, number> {
  const m = new Map<string, number>();
  const add = (k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  if (c.type === 'category') {
    const byCode = new Float64Array(c.categories.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) byCode[c.codes[i]]++;
    c.categories.forEach((name, code) => byCode[code] && add(name, byCode[code]));
  } else if (c.type === 'string') {
    for (let i = 0; i < c.values.length; i++) { const v = c.values[i]; if (v !== null && v !== undefined) add(v); }
  } else {
    for (let i = 0; i < c.values.length; i++) { const v = c.values[i]; if (v - v === 0) add(String(v)); }
  }
  return m;
}

function categorical(ref: DriftColumn, cur: DriftColumn, top: number): CategoricalDistribution {
  const a = counts(ref);
  const b = counts(cur);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const totals = { reference: sum(a), current: sum(b) };
  // Ranked by share of each side, so a category frequent only in production still shows.
  const share = (k: string) => (a.get(k) ?? 0) / (totals.reference || 1) + (b.get(k) ?? 0) / (totals.current || 1);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => share(y) - share(x) || (x < y ? -1 : x > y ? 1 : 0));
  const shown = keys.length > top + 1 ? keys.slice(0, top) : keys;
  const rest = keys.slice(shown.length);
  const labels = [...shown];
  const reference = shown.map((k) => a.get(k) ?? 0);
  const current = shown.map((k) => b.get(k) ?? 0);
  if (rest.length) {
    labels.push(`(${rest.length} others)`);
    reference.push(rest.reduce((s, k) => s + (a.get(k) ?? 0), 0));
    current.push(rest.reduce((s, k) => s + (b.get(k) ?? 0), 0));
  }
  return { column: ref.name, kind: 'categorical', labels, reference, current, other: rest.length, totals };
}
