/**
 * Fairness per sensitive attribute, for binary classifiers.
 *
 * fairlearn's definitions (between groups): a *difference* is the largest minus the smallest group
 * value, a *ratio* the smallest over the largest (NaN when both are 0). Demographic parity is on the
 * selection rate P(ŷ=1), equal opportunity on the TPR, equalized odds takes the worse of TPR and
 * FPR (the larger difference, the smaller ratio; NaN if either ratio is NaN, where fairlearn's
 * result would depend on their order). A group with no positives has TPR 0, with no negatives FPR
 * 0 (as fairlearn).
 *
 * AIF360's signed metrics compare each unprivileged group u with the privileged group p:
 * disparate impact SR_u / SR_p, statistical parity difference SR_u − SR_p, equal opportunity
 * difference TPR_u − TPR_p, average odds difference ½[(FPR_u − FPR_p) + (TPR_u − TPR_p)]. The
 * privileged group is the one given in options.privileged, or else the group with the highest
 * selection rate (the first in value order on ties), which makes disparate impact the four-fifths
 * rule's impact ratio (29 CFR § 1607.4(D)) and equal to the demographic parity ratio. The scalar
 * disparate_impact and statistical_parity_difference are the smallest over unprivileged groups (the
 * most disadvantaged group's); the four-fifths rule passes when disparate_impact >= 0.8.
 *
 * Missing attribute values (NaN or null) form their own group, keyed null.
 */
import { SluiceError } from '../errors.js';
import { _groupRows, type GroupKey, type GroupValues } from './_groups.js';
import { _checkBinary } from './_inputs.js';
import { _quantileSorted } from './_quantile.js';
import { mulberry32 } from '../random.js';

export const FAIRNESS_METRICS = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
  'equal_opportunity_difference',
  'equal_opportunity_ratio',
  'disparate_impact',
  'statistical_parity_difference',
] as const;
export type FairnessMetricName = (typeof FAIRNESS_METRICS)[number];
export type FairnessMetrics = Record<FairnessMetricName, number>;

export interface SensitiveAttribute {
  name: string;
  values: GroupValues;
}

export interface BootstrapOptions {
  /** Default 1000. */
  resamples?: number;
  /** Default 0.95: the 2.5th and 97.5th percentiles. */
  confidence?: number;
  /** Default 0. */
  seed?: number;
}

export interface FairnessOptions {
  /** A row is selected (ŷ = 1) when proba >= threshold. Default 0.5. */
  threshold?: number;
  /** Privileged value per attribute name; unlisted attributes use the highest selection rate. */
  privileged?: Record<string, string | number | null>;
  /** Percentile bootstrap intervals; false to skip them. */
  bootstrap?: BootstrapOptions | false;
}

export interface GroupRates {
  value: GroupKey;
  count: number;
  positives: number;
  selected: number;
  selection_rate: number;
  tpr: number;
  fpr: number;
}

/** One unprivileged group against the privileged one (AIF360, signed: unprivileged − privileged). */
export interface PrivilegedComparison {
  value: GroupKey;
  disparate_impact: number;
  statistical_parity_difference: number;
  equal_opportunity_difference: number;
  average_odds_difference: number;
}

export interface ConfidenceInterval {
  low: number;
  high: number;
}

export interface AttributeFairness {
  attribute: string;
  groups: GroupRates[];
  metrics: FairnessMetrics;
  privileged: { value: GroupKey; source: 'given' | 'highest_selection_rate' };
  comparisons: PrivilegedComparison[];
  /** The most disadvantaged group's impact ratio against 0.8; fails on NaN. */
  four_fifths: { passed: boolean; ratio: number; group: GroupKey | undefined };
  /** Percentile intervals over resamples in which the metric is defined; null without bootstrap. */
  intervals: Record<FairnessMetricName, ConfidenceInterval> | null;
}

export interface FairnessReport {
  threshold: number;
  rows: number;
  bootstrap: Required<BootstrapOptions> | null;
  attributes: AttributeFairness[];
}

export const FOUR_FIFTHS = 0.8;

/**
 * Bootstrap resamples draw rows with replacement from the whole set (as fairlearn's MetricFrame
 * with n_boot); a group absent from a resample is left out of that resample's metrics, and the
 * privileged group stays the one chosen on the full data.
 */
export function fairnessReport(
  attributes: SensitiveAttribute[],
  yTrue: Uint8Array,
  proba: Float64Array,
  options: FairnessOptions = {},
): FairnessReport {
  _checkBinary(yTrue, proba);
  const n = yTrue.length;
  const threshold = options.threshold ?? 0.5;
  const selected = Uint8Array.from(proba, (p) => (p >= threshold ? 1 : 0));
  const boot = options.bootstrap === false ? null : _bootstrapOptions(options.bootstrap ?? {});

  const prepared = attributes.map(({ name, values }) => {
    const { keys, codes } = _groupRows(name, values, n);
    const counts = _count(codes, keys.length, yTrue, selected, null);
    const rates = _rates(counts);
    const privileged = _privileged(name, keys, rates.sr, options.privileged);
    return { name, keys, codes, counts, rates, privileged };
  });

  const samples = prepared.map(() => Object.fromEntries(FAIRNESS_METRICS.map((m) => [m, [] as number[]])) as Record<FairnessMetricName, number[]>);
  if (boot) {
    const random = mulberry32(boot.seed);
    const rows = new Uint32Array(n);
    for (let b = 0; b < boot.resamples; b++) {
      for (let i = 0; i < n; i++) rows[i] = Math.floor(random() * n);
      prepared.forEach((a, k) => {
        const m = _metrics(_rates(_count(a.codes, a.keys.length, yTrue, selected, rows)), a.privileged.index).metrics;
        for (const name of FAIRNESS_METRICS) samples[k][name].push(m[name]);
      });
    }
  }

  return {
    threshold,
    rows: n,
    bootstrap: boot,
    attributes: prepared.map((a, k): AttributeFairness => {
      const { metrics, comparisons, worst } = _metrics(a.rates, a.privileged.index);
      const ratio = metrics.disparate_impact;
      return {
        attribute: a.name,
        groups: a.keys.map((value, g) => ({
          value,
          count: a.counts.count[g],
          positives: a.counts.pos[g],
          selected: a.counts.sel[g],
          selection_rate: a.rates.sr[g],
          tpr: a.rates.tpr[g],
          fpr: a.rates.fpr[g],
        })),
        metrics,
        privileged: { value: a.keys[a.privileged.index], source: a.privileged.source },
        comparisons: comparisons.map(({ group, ...c }) => ({ value: a.keys[group], ...c })),
        four_fifths: { passed: ratio >= FOUR_FIFTHS, ratio, group: worst === undefined ? undefined : a.keys[worst] },
        intervals: boot ? _intervals(samples[k], boot.confidence) : null,
      };
    }),
  };
}

interface Counts {
  count: Uint32Array;
  pos: Uint32Array;
  sel: Uint32Array;
  tp: Uint32Array;
  fp: Uint32Array;
}

/** Per-group counts over all rows, or over the resampled row indices. */
function _count(codes: Uint32Array, groups: number, y: Uint8Array, sel: Uint8Array, rows: Uint32Array | null): Counts {
  const c: Counts = {
    count: new Uint32Array(groups), pos: new Uint32Array(groups), sel: new Uint32Array(groups),
    tp: new Uint32Array(groups), fp: new Uint32Array(groups),
  };
  const n = rows ? rows.length : codes.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    const g = codes[i];
    c.count[g]++;
    c.pos[g] += y[i];
    if (sel[i]) {
      c.sel[g]++;
      if (y[i]) c.tp[g]++;
      else c.fp[g]++;
    }
  }
  return c;
}

/** Selection rate, TPR and FPR per group; NaN for a group absent from a resample. */
function _rates(c: Counts) {
  const G = c.count.length;
  const sr = new Float64Array(G), tpr = new Float64Array(G), fpr = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const neg = c.count[g] - c.pos[g];
    sr[g] = c.count[g] === 0 ? NaN : c.sel[g] / c.count[g];
    tpr[g] = c.count[g] === 0 ? NaN : c.pos[g] === 0 ? 0 : c.tp[g] / c.pos[g];
    fpr[g] = c.count[g] === 0 ? NaN : neg === 0 ? 0 : c.fp[g] / neg;
  }
  return { sr, tpr, fpr };
}

function _metrics(r: ReturnType<typeof _rates>, privileged: number) {
  const spread = (xs: Float64Array) => {
    let min = Infinity, max = -Infinity;
    for (const x of xs) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    return { difference: max - min, ratio: min / max };
  };
  const sr = spread(r.sr), tpr = spread(r.tpr), fpr = spread(r.fpr);
  const p = privileged;
  const comparisons: (Omit<PrivilegedComparison, 'value'> & { group: number })[] = [];
  for (let g = 0; g < r.sr.length; g++) {
    if (g === p || Number.isNaN(r.sr[g])) continue;
    comparisons.push({
      group: g,
      disparate_impact: r.sr[g] / r.sr[p],
      statistical_parity_difference: r.sr[g] - r.sr[p],
      equal_opportunity_difference: r.tpr[g] - r.tpr[p],
      average_odds_difference: (r.fpr[g] - r.fpr[p] + (r.tpr[g] - r.tpr[p])) / 2,
    });
  }
  // The most disadvantaged group: the smallest impact ratio, or the first undefined (NaN) one.
  let worst = comparisons[0];
  for (const c of comparisons) {
    if (Number.isNaN(worst.disparate_impact)) break;
    if (Number.isNaN(c.disparate_impact) || c.disparate_impact < worst.disparate_impact) worst = c;
  }
  const metrics: FairnessMetrics = {
    demographic_parity_difference: sr.difference,
    demographic_parity_ratio: sr.ratio,
    equalized_odds_difference: Math.max(tpr.difference, fpr.difference),
    equalized_odds_ratio: Number.isNaN(tpr.ratio) || Number.isNaN(fpr.ratio) ? NaN : Math.min(tpr.ratio, fpr.ratio),
    equal_opportunity_difference: tpr.difference,
    equal_opportunity_ratio: tpr.ratio,
    // With one group only there is nothing to compare: parity by convention.
    disparate_impact: worst ? worst.disparate_impact : 1,
    statistical_parity_difference: worst ? Math.min(...comparisons.map((c) => c.statistical_parity_difference)) : 0,
  };
  return { metrics, comparisons, worst: worst?.group };
}

function _privileged(attribute: string, keys: GroupKey[], sr: Float64Array, given: FairnessOptions['privileged']) {
  if (given && Object.hasOwn(given, attribute)) {
    const value = given[attribute];
    const index = keys.findIndex((k) => k === value);
    if (index < 0) {
      const list = keys.map((k) => (k === null ? 'missing' : `'${k}'`)).join(', ');
      throw new SluiceError('USAGE', `Privileged group '${value}' is not a value of sensitive attribute '${attribute}' (values: ${list})`);
    }
    return { index, source: 'given' as const };
  }
  let index = 0;
  for (let g = 1; g < sr.length; g++) if (sr[g] > sr[index]) index = g;
  return { index, source: 'highest_selection_rate' as const };
}

function _bootstrapOptions(o: BootstrapOptions): Required<BootstrapOptions> {
  const b = { resamples: o.resamples ?? 1000, confidence: o.confidence ?? 0.95, seed: o.seed ?? 0 };
  if (!Number.isInteger(b.resamples) || b.resamples < 1) {
    throw new SluiceError('USAGE', `Bootstrap resamples must be a positive integer, got '${b.resamples}'`);
  }
  if (!(b.confidence > 0 && b.confidence < 1)) {
    throw new SluiceError('USAGE', `Bootstrap confidence must be between 0 and 1, got '${b.confidence}'`);
  }
  if (!Number.isInteger(b.seed)) throw new SluiceError('USAGE', `Bootstrap seed must be an integer, got '${b.seed}'`);
  return b;
}

function _intervals(samples: Record<FairnessMetricName, number[]>, confidence: number) {
  const tail = (1 - confidence) / 2;
  const out = {} as Record<FairnessMetricName, ConfidenceInterval>;
  for (const m of FAIRNESS_METRICS) {
    // NaN resamples (a ratio of 0 / 0, a missing privileged group) are dropped, as np.nanquantile.
    const sorted = Float64Array.from(samples[m].filter((x) => !Number.isNaN(x))).sort();
    out[m] = { low: _quantileSorted(sorted, tail), high: _quantileSorted(sorted, 1 - tail) };
  }
  return out;
}
