/**
 * Metric deltas with their direction: for each metric, whether higher is better, and whether a
 * change is an improvement. Fairness metrics are judged by their distance from parity (a ratio's
 * best value is 1, a difference's is 0).
 */

const HIGHER_IS_BETTER = new Set([
  'accuracy', 'balanced_accuracy', 'roc_auc', 'pr_auc', 'average_precision', 'precision', 'recall', 'f1', 'specificity',
  'r2', 'macro_precision', 'macro_recall', 'macro_f1', 'weighted_precision', 'weighted_recall', 'weighted_f1', 'tpr', 'tnr', 'mcc',
]);
const LOWER_IS_BETTER = new Set(['error_rate', 'log_loss', 'brier', 'brier_score', 'ece', 'mae', 'rmse', 'mse', 'mape', 'fpr', 'fnr']);
/** Counts, not qualities: shown, never judged. */
const NEUTRAL = new Set(['rows', 'positives', 'negatives', 'tp', 'fp', 'tn', 'fn', 'threshold']);

export type Direction = 'higher' | 'lower' | 'parity-1' | 'parity-0' | null;

export function metricDirection(metric: string): Direction {
  if (NEUTRAL.has(metric)) return null;
  const is = (set: Set<string>) => [...set].some((m) => metric === m || metric.endsWith(`_${m}`) || metric.endsWith(`.${m}`));
  if (is(HIGHER_IS_BETTER)) return 'higher';
  if (is(LOWER_IS_BETTER)) return 'lower';
  return null;
}

export function fairnessDirection(metric: string): Direction {
  if (/ratio|disparate_impact/.test(metric)) return 'parity-1';
  if (/difference|gap/.test(metric)) return 'parity-0';
  return null;
}

export type Verdict = 'better' | 'worse' | 'same' | 'n/a';

export interface Delta {
  metric: string;
  candidate: number | null;
  baseline: number | null;
  delta: number | null;
  direction: Direction;
  verdict: Verdict;
}

/** Below this a change is noise from float formatting, not a change. */
const EPSILON = 1e-12;

export function compareValue(metric: string, values: { candidate: number | null; baseline: number | null; direction: Direction }): Delta {
  const { candidate, baseline, direction } = values;
  if (candidate === null || baseline === null || !Number.isFinite(candidate) || !Number.isFinite(baseline)) {
    return { metric, candidate, baseline, delta: null, direction, verdict: 'n/a' };
  }
  const delta = candidate - baseline;
  let verdict: Verdict = 'n/a';
  if (Math.abs(delta) <= EPSILON) verdict = 'same';
  else if (direction === 'higher') verdict = delta > 0 ? 'better' : 'worse';
  else if (direction === 'lower') verdict = delta < 0 ? 'better' : 'worse';
  else if (direction === 'parity-1') verdict = Math.abs(candidate - 1) < Math.abs(baseline - 1) ? 'better' : Math.abs(candidate - 1) > Math.abs(baseline - 1) ? 'worse' : 'same';
  else if (direction === 'parity-0') verdict = Math.abs(candidate) < Math.abs(baseline) ? 'better' : Math.abs(candidate) > Math.abs(baseline) ? 'worse' : 'same';
  return { metric, candidate, baseline, delta, direction, verdict };
}

export function compareMetrics(candidate: Record<string, number>, baseline: Record<string, number> | null): Delta[] {
  const names = Object.keys(candidate).filter((k) => !k.includes('.') && !NEUTRAL.has(k));
  return names.sort().map((m) => compareValue(m, { candidate: candidate[m] ?? null, baseline: baseline?.[m] ?? null, direction: metricDirection(m) }));
}

/** The fairness metrics a report shows for every attribute (as the model card does); any other one only when a gate checks it. */
export const KEY_FAIRNESS = ['demographic_parity_ratio', 'equalized_odds_difference', 'equal_opportunity_difference', 'disparate_impact'];

export function compareFairness(
  candidate: Record<string, Record<string, number>>,
  baseline: Record<string, Record<string, number>> | null,
  gated: (attribute: string, metric: string) => boolean = () => false,
): Delta[] {
  const out: Delta[] = [];
  for (const attribute of Object.keys(candidate).sort()) {
    for (const metric of Object.keys(candidate[attribute]).sort()) {
      const direction = fairnessDirection(metric);
      if (!direction || (!KEY_FAIRNESS.includes(metric) && !gated(attribute, metric))) continue;
      out.push(compareValue(`${attribute}: ${metric}`, { candidate: candidate[attribute][metric], baseline: baseline?.[attribute]?.[metric] ?? null, direction }));
    }
  }
  return out;
}

/**
 * A unified line diff of two texts (longest common subsequence), with `context` unchanged lines
 * around each change. Empty when the texts are equal.
 */
export function lineDiff(before: string, after: string, { context = 2 }: { context?: number } = {}): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (before === after) return '';
  const n = a.length;
  const m = b.length;
  // Cards are a few hundred lines at most: the quadratic table is small.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ op: '-', line: a[i++] });
    else ops.push({ op: '+', line: b[j++] });
  }
  const keep = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((x) => x.op !== ' '));
  const lines: string[] = [];
  let gap = false;
  for (const [k, o] of ops.entries()) {
    if (!keep[k]) {
      if (!gap) lines.push('…');
      gap = true;
      continue;
    }
    gap = false;
    lines.push(`${o.op} ${o.line}`);
  }
  return lines.join('\n');
}
