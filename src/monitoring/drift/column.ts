/**
 * One column's drift: choose the test (explicit, or the mode's default by kind, reference
 * size and distinct values), compute its figures, and judge them against the threshold.
 */
import { SluiceError } from '../../errors.js';
import { binNumeric, type BinnedCounts, type NumericBinning } from './binning.js';
import { chiSquareContingency, chiSquareGoodnessOfFit } from './chisquare.js';
import {
  columnRows, integerLooksCategorical, numericAsCategorical, prepareCategorical, prepareNumeric,
  type CategoricalPrepared, type DriftColumn, type PreparedColumn,
} from './columns.js';
import { jensenShannon, klDivergence, lInfinity, psi, toShares, type EmptyBins } from './divergence.js';
import { ks2samp } from './ks.js';
import { MODES, TESTS_FOR, compare, type ColumnKind, type DriftMode, type ModeConfig, type Operator, type StatTestName } from './modes.js';
import { wassersteinDistance, wassersteinNormed } from './wasserstein.js';
import { twoProportionZTest } from './ztest.js';

export interface ColumnOptions {
  /** Override the inferred kind (a numeric column can be declared categorical). */
  kind?: ColumnKind;
  test?: StatTestName;
  threshold?: number;
}

export interface ColumnDriftOptions extends ColumnOptions {
  mode?: DriftMode;
  /** Fewer non-missing rows than this on either side: figures are reported, no verdict. Default 30. */
  minRows?: number;
  /** Numeric binning for PSI, K–L and Jensen–Shannon instead of the mode's. */
  binning?: NumericBinning;
  /** Test per column kind when `test` is not set, instead of the mode's default selection. */
  tests?: Partial<Record<ColumnKind, StatTestName>>;
  /** Threshold per test when `threshold` is not set, instead of the mode's. */
  thresholds?: Partial<Record<StatTestName, number>>;
}

export interface ColumnDriftDetails {
  /** What the threshold is compared with, and how: drift when `verdictOn` `operator` threshold. */
  verdictOn: 'pValue' | 'statistic';
  operator: Operator;
  /** Rows including missing values, and the missing (NaN, ±Infinity, null) that were dropped. */
  referenceRows: number;
  currentRows: number;
  referenceMissing: number;
  currentMissing: number;
  /** Distinct non-missing values of reference ∪ current. */
  nUnique: number;
  /** Both sides hold one and the same value, or only one side is constant. */
  constant?: 'both' | 'reference' | 'current';
  /** Categories seen in the current data only (first 20). */
  newCategories?: (string | number)[];
  /** KS: how the p-value was computed. */
  method?: 'exact' | 'asymptotic';
  /** Chi-square: degrees of freedom and variant. */
  dof?: number;
  chiSquare?: 'goodness-of-fit' | 'contingency';
  /** Wasserstein: raw distance and the divisor. */
  distance?: number;
  norm?: number;
  /** Binned tests: number of bins compared (including a leftover bucket) and the binning. */
  bins?: number;
  binning?: string;
  /** Set by the dataset report when p-values are corrected for multiple testing. */
  adjustedPValue?: number;
  note?: string;
}

export interface ColumnDriftResult {
  column: string;
  type: ColumnKind;
  test: StatTestName;
  /** The test's score: D, χ², z, or the distance. Always reported (NaN only when a side is empty). */
  statistic: number;
  pValue?: number;
  threshold: number;
  /** null when there is not enough data for a verdict. */
  drifted: boolean | null;
  mode: DriftMode;
  insufficientData?: true;
  details: ColumnDriftDetails;
}

const DEFAULT_MIN_ROWS = 30;

interface Figures {
  statistic: number;
  pValue?: number;
  extra: Partial<ColumnDriftDetails>;
}

/** Drift of one column between a reference and a current window. */
export function driftColumn(reference: DriftColumn, current: DriftColumn, options: ColumnDriftOptions = {}): ColumnDriftResult {
  const mode = options.mode ?? 'evidently';
  const cfg = MODES[mode];
  if (!cfg) throw new SluiceError('USAGE', `Unknown drift mode '${mode}'`, { hint: `Use one of ${Object.keys(MODES).join(', ')}.` });
  const prepared = prepare(reference, current, options.kind, options.test, cfg);
  const kind = prepared.kind;
  const nRef = kind === 'numerical' ? prepared.ref.length : prepared.nRef;
  const nCur = kind === 'numerical' ? prepared.cur.length : prepared.nCur;
  const nUnique = distinctUnion(prepared);
  const test = options.test ?? options.tests?.[kind] ?? cfg.defaultTest(kind, nRef, nUnique);
  if (!TESTS_FOR[kind].includes(test)) {
    throw new SluiceError('CONFIG_INVALID', `Test '${test}' does not apply to ${kind} column '${reference.name}'`, {
      where: reference.name,
      hint: `Use one of ${TESTS_FOR[kind].join(', ')}.`,
    });
  }
  const verdict = cfg.verdicts[test];
  const threshold = options.threshold ?? options.thresholds?.[test] ?? verdict.threshold;
  const details: ColumnDriftDetails = {
    verdictOn: verdict.on,
    operator: verdict.op,
    referenceRows: columnRows(reference),
    currentRows: columnRows(current),
    referenceMissing: prepared.refMissing,
    currentMissing: prepared.curMissing,
    nUnique,
    ...constancy(prepared),
  };
  const base = { column: reference.name, type: kind, test, threshold, mode };
  if (nRef === 0 || nCur === 0) {
    return { ...base, statistic: NaN, drifted: null, insufficientData: true, details: { ...details, note: 'no non-missing values on one side' } };
  }
  const f = compute(test, prepared, cfg, options.binning ?? cfg.numericBinning);
  Object.assign(details, f.extra);
  const result: ColumnDriftResult = { ...base, statistic: f.statistic, drifted: null, details };
  if (f.pValue !== undefined) result.pValue = f.pValue;
  if (nRef < (options.minRows ?? DEFAULT_MIN_ROWS) || nCur < (options.minRows ?? DEFAULT_MIN_ROWS)) {
    result.insufficientData = true;
    return result;
  }
  result.drifted = judge(result.statistic, result.pValue, verdict.on, verdict.op, threshold);
  return result;
}

export function judge(statistic: number, pValue: number | undefined, on: 'pValue' | 'statistic', op: Operator, threshold: number): boolean {
  const v = on === 'pValue' ? pValue : statistic;
  // NaN never drifts (Evidently's NaN p-values compare false as well).
  return v !== undefined && !Number.isNaN(v) && compare(v, op, threshold);
}

function prepare(reference: DriftColumn, current: DriftColumn, kind: ColumnKind | undefined, test: StatTestName | undefined, cfg: ModeConfig): PreparedColumn {
  if (reference.type !== 'number' || current.type !== 'number') {
    if (kind === 'numerical') {
      throw new SluiceError('CONFIG_INVALID', `Column '${reference.name}' holds categories and cannot be treated as numerical`, { where: reference.name });
    }
    return prepareCategorical(reference, current);
  }
  const num = prepareNumeric(reference, current);
  if (kind === 'categorical') return numericAsCategorical(num);
  // Evidently's integer rule, unless the column's explicit test is a numeric-only one.
  const rule = cfg.integerCategoricalMaxUnique;
  if (kind === undefined && rule !== null && (!test || TESTS_FOR.categorical.includes(test)) && integerLooksCategorical(num, rule)) {
    return numericAsCategorical(num);
  }
  return num;
}

function distinctUnion(p: PreparedColumn): number {
  if (p.kind === 'categorical') return p.keys.length;
  const a = p.ref, b = p.cur;
  let i = 0, j = 0, k = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    k++;
  }
  return k;
}

function constancy(p: PreparedColumn): Partial<ColumnDriftDetails> {
  let r: boolean, c: boolean;
  if (p.kind === 'numerical') {
    r = p.ref.length > 0 && p.ref[0] === p.ref[p.ref.length - 1];
    c = p.cur.length > 0 && p.cur[0] === p.cur[p.cur.length - 1];
    if (r && c) return p.ref[0] === p.cur[0] ? { constant: 'both' } : {};
  } else {
    const ones = (a: Float64Array) => a.filter((v) => v > 0).length === 1;
    r = ones(p.ref);
    c = ones(p.cur);
    if (r && c) return p.ref.findIndex((v) => v > 0) === p.cur.findIndex((v) => v > 0) ? { constant: 'both' } : {};
  }
  return r ? { constant: 'reference' } : c ? { constant: 'current' } : {};
}

function compute(test: StatTestName, p: PreparedColumn, cfg: ModeConfig, binning: NumericBinning): Figures {
  switch (test) {
    case 'ks': {
      if (p.kind !== 'numerical') break;
      const r = ks2samp(p.ref, p.cur);
      return { statistic: r.statistic, pValue: r.pValue, extra: { method: r.method } };
    }
    case 'wasserstein': {
      if (p.kind !== 'numerical') break;
      if (cfg.wasserstein === 'raw') {
        const d = wassersteinDistance(p.ref, p.cur);
        return { statistic: d, extra: { distance: d } };
      }
      const w = wassersteinNormed(p.ref, p.cur);
      return { statistic: w.statistic, extra: { distance: w.distance, norm: w.norm } };
    }
    case 'chisquare': {
      const c = p.kind === 'categorical' ? p : numericAsCategorical(p);
      const r = cfg.chiSquare === 'contingency' ? chiSquareContingency(c.ref, c.cur) : chiSquareGoodnessOfFit(c.ref, c.cur, c.nRef, c.nCur);
      const extra: Partial<ColumnDriftDetails> = { dof: r.dof, chiSquare: cfg.chiSquare, ...newCategories(c) };
      if (r.dof === 0) {
        // One category on both sides: scipy's chisquare gives NaN (Evidently #1929); nothing can differ.
        return { statistic: 0, pValue: 1, extra: { ...extra, note: 'single category on both sides: p = 1 (scipy/Evidently give NaN)' } };
      }
      return { statistic: r.statistic, pValue: r.pValue, extra };
    }
    case 'z': {
      const c = p.kind === 'categorical' ? p : numericAsCategorical(p);
      const r = twoProportionZTest(c.ref, c.cur);
      return { statistic: r.statistic, pValue: r.pValue, extra: newCategories(c) };
    }
    case 'psi':
    case 'kl_div':
    case 'jensenshannon':
    case 'linf': {
      const { counts, label, extra } = binned(p, cfg, binning);
      // Jensen–Shannon's mixture is never zero where either side has mass: no filling.
      const empty: EmptyBins = test === 'jensenshannon' || test === 'linf' ? 'none' : cfg.emptyBins;
      const sh = toShares(counts, empty);
      const statistic =
        test === 'psi' ? psi(sh.ref, sh.cur)
        : test === 'kl_div' ? klDivergence(sh.ref, sh.cur, cfg.logBase)
        : test === 'jensenshannon' ? jensenShannon(sh.ref, sh.cur, cfg.logBase, cfg.jensenShannon)
        : lInfinity(sh.ref, sh.cur);
      return { statistic, extra: { ...extra, bins: sh.ref.length, binning: label } };
    }
  }
  throw new SluiceError('CONFIG_INVALID', `Test '${test}' does not apply to a ${p.kind} column`);
}

function binned(p: PreparedColumn, cfg: ModeConfig, binning: NumericBinning): { counts: BinnedCounts; label: string; extra: Partial<ColumnDriftDetails> } {
  if (p.kind === 'numerical') return { counts: binNumeric(p.ref, p.cur, binning), label: binning.kind, extra: {} };
  const extra = newCategories(p);
  if (cfg.categories === 'union') {
    return { counts: { ref: p.ref, cur: p.cur, nRef: p.nRef, nCur: p.nCur, leftover: false }, label: 'categories', extra };
  }
  const keep = p.keys.map((_, i) => i).filter((i) => p.ref[i] > 0);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  return { counts: { ref: pick(p.ref), cur: pick(p.cur), nRef: p.nRef, nCur: p.nCur, leftover: true }, label: 'reference categories + leftover', extra };
}

function newCategories(c: CategoricalPrepared): Partial<ColumnDriftDetails> {
  const fresh: (string | number)[] = [];
  for (let i = 0; i < c.keys.length && fresh.length < 20; i++) if (c.ref[i] === 0 && c.cur[i] > 0) fresh.push(c.keys[i]);
  return fresh.length ? { newCategories: fresh } : {};
}
