/**
 * Compatibility modes: every point where Evidently, TFDV and NannyML disagree, as one table.
 * The rest of the library reads these fields and never branches on the mode's name.
 * Sources: /work/shared/reference/drift-validation-fairness.md §1–§5.
 */
import type { NumericBinning } from './binning.js';
import type { EmptyBins } from './divergence.js';

export type DriftMode = 'evidently' | 'tfdv' | 'nannyml';
export type ColumnKind = 'numerical' | 'categorical';
export type StatTestName = 'ks' | 'wasserstein' | 'psi' | 'jensenshannon' | 'kl_div' | 'chisquare' | 'z' | 'linf';
export type Operator = '<' | '<=' | '>' | '>=';

/** How a test turns its figures into a verdict: `on` `op` `threshold` means drift. */
export interface Verdict {
  on: 'pValue' | 'statistic';
  op: Operator;
  threshold: number;
}

export interface ModeConfig {
  /** Log base of Jensen–Shannon and K–L; null = natural log. */
  logBase: number | null;
  /** Jensen–Shannon reported as the distance √D or the divergence D. */
  jensenShannon: 'distance' | 'divergence';
  /** Binning of numeric columns for PSI, K–L and Jensen–Shannon. */
  numericBinning: NumericBinning;
  /** Categories compared: the union of both sides, or the reference's plus a leftover bucket. */
  categories: 'union' | 'reference+leftover';
  /** Zero shares for PSI and K–L (Jensen–Shannon never fills: its mixture is never zero). */
  emptyBins: EmptyBins;
  chiSquare: 'goodness-of-fit' | 'contingency';
  /** Wasserstein divided by max(std(reference), 0.001), or raw. */
  wasserstein: 'reference-std' | 'raw';
  /** Integer-valued numeric columns with at most this many distinct reference values are categorical; null = never. */
  integerCategoricalMaxUnique: number | null;
  verdicts: Record<StatTestName, Verdict>;
  /** The test used when a column names none. */
  defaultTest(kind: ColumnKind, nRef: number, nUnique: number): StatTestName;
}

const p = (threshold: number, op: Operator): Verdict => ({ on: 'pValue', op, threshold });
const s = (threshold: number, op: Operator): Verdict => ({ on: 'statistic', op, threshold });

export const MODES: Record<DriftMode, ModeConfig> = {
  // Evidently 0.7 legacy stattests: code, not docs, where they differ (ks drifts at p ≤ thr).
  evidently: {
    logBase: null,
    jensenShannon: 'distance',
    numericBinning: { kind: 'sturges-union', maxUniqueAsValues: 20 },
    categories: 'union',
    emptyBins: 'evidently',
    chiSquare: 'goodness-of-fit',
    wasserstein: 'reference-std',
    integerCategoricalMaxUnique: 10,
    verdicts: {
      ks: p(0.05, '<='), chisquare: p(0.05, '<'), z: p(0.05, '<'),
      wasserstein: s(0.1, '>='), psi: s(0.1, '>='), jensenshannon: s(0.1, '>='), kl_div: s(0.1, '>='), linf: s(0.1, '>='),
    },
    defaultTest(kind, nRef, nUnique) {
      if (nRef <= 1000) {
        if (kind === 'numerical' && nUnique > 5) return 'ks';
        return nUnique > 2 ? 'chisquare' : 'z';
      }
      return kind === 'numerical' && nUnique > 5 ? 'wasserstein' : 'jensenshannon';
    },
  },
  // TFDV: JSD as a divergence in bits, L-infinity for categories, anomaly when value > threshold.
  // TFDV sets no default thresholds; 0.1 is Sluice's.
  tfdv: {
    logBase: 2,
    jensenShannon: 'divergence',
    numericBinning: { kind: 'equal-width', bins: 10 },
    categories: 'union',
    emptyBins: 'none',
    chiSquare: 'goodness-of-fit',
    wasserstein: 'raw',
    integerCategoricalMaxUnique: null,
    verdicts: {
      ks: p(0.05, '<'), chisquare: p(0.05, '<'), z: p(0.05, '<'),
      wasserstein: s(0.1, '>'), psi: s(0.1, '>'), jensenshannon: s(0.1, '>'), kl_div: s(0.1, '>'), linf: s(0.1, '>'),
    },
    defaultTest: (kind) => (kind === 'numerical' ? 'jensenshannon' : 'linf'),
  },
  // NannyML 0.13: JS distance in bits on Doane bins of the reference plus a leftover bucket;
  // KS and chi2 alert on p < 0.05; distances alert on value > threshold. NannyML derives
  // distance thresholds from reference chunks (mean + 3σ); without chunks the fixed 0.1 applies.
  nannyml: {
    logBase: 2,
    jensenShannon: 'distance',
    numericBinning: { kind: 'doane-reference' },
    categories: 'reference+leftover',
    emptyBins: 'none',
    chiSquare: 'contingency',
    wasserstein: 'raw',
    integerCategoricalMaxUnique: null,
    verdicts: {
      ks: p(0.05, '<'), chisquare: p(0.05, '<'), z: p(0.05, '<'),
      wasserstein: s(0.1, '>'), psi: s(0.1, '>'), jensenshannon: s(0.1, '>'), kl_div: s(0.1, '>'), linf: s(0.1, '>'),
    },
    defaultTest: () => 'jensenshannon',
  },
};

/** Tests that apply to each column kind. */
export const TESTS_FOR: Record<ColumnKind, readonly StatTestName[]> = {
  numerical: ['ks', 'wasserstein', 'psi', 'jensenshannon', 'kl_div', 'chisquare', 'z'],
  categorical: ['psi', 'jensenshannon', 'kl_div', 'chisquare', 'z', 'linf'],
};

export function compare(value: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '>': return value > threshold;
    case '>=': return value >= threshold;
  }
}
