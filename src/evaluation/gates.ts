/**
 * Gates: named sets of checks. A failed check with severity 'fail' fails the gate; one with
 * severity 'warn' only warns. A missing or NaN value fails its check (it never passes silently).
 *
 * Three kinds of check (shapes in gate-schemas.ts):
 * - absolute: a metric against a threshold with an operator;
 * - champion: MLflow's MetricThreshold (mlflow/models/evaluation/validation.py), judged against the
 *   baseline (champion) metrics. It yields one result per bound it declares: `threshold` (>= when
 *   greater is better, else <=), `min_absolute_change` (candidate >= champion + change, or <=
 *   champion − change) and `min_relative_change` (improvement / |champion| >= change; a champion
 *   value of 0 falls back to "better than the champion by 1e-10", as MLflow). MLflow divides by the
 *   signed champion value, which reverses the test for negative metrics (a negative R²); Sluice
 *   divides by its absolute value. With no baseline at all (no champion yet) the change bounds are
 *   skipped with a message saying so; a baseline without the metric fails them (as MLflow).
 * - fairness: a metric of a fairness report for one sensitive attribute.
 */
import type { z } from 'zod';
import { SluiceError } from '../errors.js';
import type { FairnessReport } from './fairness.js';
import {
  absoluteCheckSchema,
  fairnessCheckSchema,
  metricThresholdCheckSchema,
  type GateCheck,
  type GateOp,
  type GateSeverity,
} from './gate-schemas.js';

export type { AbsoluteCheck, FairnessCheck, GateCheck, GateOp, GateSeverity, MetricThresholdCheck } from './gate-schemas.js';
export type GateStatus = 'pass' | 'warn' | 'fail';
export type GateCheckKind = 'threshold' | 'min_absolute_change' | 'min_relative_change' | 'fairness';

export interface GateCheckResult {
  kind: GateCheckKind;
  /** The metric, or for a fairness check the fairness metric. */
  metric: string;
  /** Fairness checks: the sensitive attribute. */
  attribute?: string;
  op: GateOp;
  /** What `actual` was compared with; for min_absolute_change the champion's value ± the change. */
  threshold: number;
  /** null when the value was missing or NaN; for min_relative_change the relative improvement. */
  actual: number | null;
  /** Champion checks: the champion's value (null when missing). */
  baseline?: number | null;
  passed: boolean;
  /** A champion check with no champion to compare with: passed, and said so. */
  skipped?: boolean;
  severity: GateSeverity;
  message: string;
}

export interface GateResult {
  gate: string;
  status: GateStatus;
  checks: GateCheckResult[];
}

export interface GateContext {
  /** The champion's metrics; absent or null when there is no champion yet. */
  baseline?: Record<string, number> | null;
  fairness?: FairnessReport | null;
}

const OPS: Record<GateOp, (a: number, t: number) => boolean> = {
  '>=': (a, t) => a >= t,
  '>': (a, t) => a > t,
  '<=': (a, t) => a <= t,
  '<': (a, t) => a < t,
  // Exact: a tolerance would be a hidden threshold. Use two checks for a range.
  '==': (a, t) => a === t,
};

/** Judges metrics against checks. A gate with no checks passes. */
export function evaluateGate(
  name: string,
  checks: GateCheck[],
  metrics: Record<string, number>,
  context: GateContext = {},
): GateResult {
  const results = checks.flatMap((check): GateCheckResult[] => {
    if ('fairness' in check) return [_fairnessCheck(_parse(name, fairnessCheckSchema, check), context.fairness)];
    if ('greater_is_better' in check || 'min_absolute_change' in check || 'min_relative_change' in check) {
      return _championChecks(_parse(name, metricThresholdCheckSchema, check), metrics, context.baseline);
    }
    const c = _parse(name, absoluteCheckSchema, check);
    const value = _lookup(metrics, c.metric, 'Metric', 'available metrics');
    return [_compare({ kind: 'threshold', metric: c.metric, op: c.op, threshold: c.threshold, severity: c.severity }, value, c.metric)];
  });
  const failed = results.filter((r) => !r.passed);
  const status: GateStatus = failed.some((r) => r.severity === 'fail') ? 'fail' : failed.length > 0 ? 'warn' : 'pass';
  return { gate: name, status, checks: results };
}

/**
 * Terminal text: a header line, then one line per check ending in ✓ (passed), ✗ (failed),
 * ⚠ (failed with severity warn) or – (skipped), e.g. "  accuracy 0.8512 >= 0.83 ✓".
 */
export function formatGateResult(result: GateResult): string {
  const lines = [`gate ${result.gate}: ${result.status}`];
  for (const c of result.checks) {
    const mark = c.skipped ? '–' : c.passed ? '✓' : c.severity === 'warn' ? '⚠' : '✗';
    lines.push(`  ${c.message} ${mark}`);
  }
  return lines.join('\n');
}

/** Up to 4 decimals, trailing zeros dropped; tiny values keep 3 significant digits. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  if (Math.abs(x) < 1e-3) return x.toPrecision(3);
  return String(Number(x.toFixed(4)));
}

type Base = Pick<GateCheckResult, 'kind' | 'metric' | 'op' | 'threshold' | 'severity'> & Partial<GateCheckResult>;
type Lookup = { value: number } | { missing: string };

/** Checks usually come from YAML: re-check what the types promise. */
function _parse<S extends z.ZodType>(gate: string, schema: S, check: unknown): z.output<S> {
  const parsed = schema.safeParse(check);
  if (parsed.success) return parsed.data;
  const c = check as Record<string, unknown>;
  const what = 'fairness' in c ? `fairness check '${c.fairness}' on '${c.attribute}'` : `metric '${c.metric}'`;
  const issue = parsed.error.issues[0];
  const field = issue.path.length > 0 ? `${issue.path.join('.')} for ` : '';
  throw new SluiceError('USAGE', `Gate '${gate}': ${field}${what} is invalid (${issue.message})`);
}

function _lookup(map: Record<string, number>, metric: string, noun: string, listName: string): Lookup {
  const value = Object.hasOwn(map, metric) ? map[metric] : undefined;
  if (typeof value === 'number' && !Number.isNaN(value)) return { value };
  const why = value === undefined ? 'is missing' : `is ${typeof value === 'number' ? 'NaN' : `not a number ('${String(value)}')`}`;
  const available = Object.keys(map).filter((k) => typeof map[k] === 'number' && !Number.isNaN(map[k])).sort();
  return { missing: `${noun} '${metric}' ${why} (${listName}: ${available.length > 0 ? available.join(', ') : 'none'})` };
}

function _compare(base: Base, found: Lookup, label: string, note = ''): GateCheckResult {
  if ('missing' in found) return { ...base, actual: null, passed: false, message: found.missing };
  const passed = OPS[base.op](found.value, base.threshold);
  return { ...base, actual: found.value, passed, message: `${label} ${formatNumber(found.value)} ${base.op} ${formatNumber(base.threshold)}${note}` };
}

function _championChecks(
  c: z.output<typeof metricThresholdCheckSchema>,
  metrics: Record<string, number>,
  baseline: Record<string, number> | null | undefined,
): GateCheckResult[] {
  const { metric, severity, greater_is_better: greater } = c;
  const op: GateOp = greater ? '>=' : '<=';
  const candidate = _lookup(metrics, metric, 'Metric', 'available metrics');
  if ('missing' in candidate) {
    const kind: GateCheckKind = c.threshold !== undefined ? 'threshold' : c.min_absolute_change !== undefined ? 'min_absolute_change' : 'min_relative_change';
    return [{ kind, metric, op, threshold: c.threshold ?? c.min_absolute_change ?? c.min_relative_change ?? NaN, severity, actual: null, passed: false, message: candidate.missing }];
  }
  const results: GateCheckResult[] = [];
  if (c.threshold !== undefined) results.push(_compare({ kind: 'threshold', metric, op, threshold: c.threshold, severity }, candidate, metric));
  const changes = [
    ['min_absolute_change', c.min_absolute_change],
    ['min_relative_change', c.min_relative_change],
  ] as const;
  for (const [kind, change] of changes) {
    if (change === undefined) continue;
    const base: Base = { kind, metric, op, threshold: change, severity, baseline: null };
    if (!baseline) {
      results.push({ ...base, actual: null, passed: true, skipped: true, message: `${metric}: no champion to compare with, ${kind} ${formatNumber(change)} skipped` });
      continue;
    }
    const champion = _lookup(baseline, metric, 'Champion metric', 'champion metrics');
    if ('missing' in champion) {
      results.push({ ...base, actual: null, passed: false, message: champion.missing });
      continue;
    }
    const b = champion.value;
    const sign = greater ? '+' : '−';
    if (kind === 'min_absolute_change' || b === 0) {
      const delta = kind === 'min_absolute_change' ? change : 1e-10;
      const note = kind === 'min_absolute_change'
        ? ` (champion ${formatNumber(b)} ${sign} min_absolute_change ${formatNumber(change)})`
        : ` (champion is 0, so min_relative_change means beating it)`;
      results.push(_compare({ ...base, baseline: b, threshold: greater ? b + delta : b - delta }, candidate, metric, note));
      continue;
    }
    const improvement = (greater ? candidate.value - b : b - candidate.value) / Math.abs(b);
    results.push({
      ...base,
      op: '>=',
      baseline: b,
      actual: improvement,
      passed: improvement >= change,
      message: `${metric} improvement ${_percent(improvement)} >= ${formatNumber(change * 100)}% (${formatNumber(candidate.value)} vs champion ${formatNumber(b)})`,
    });
  }
  return results;
}

function _fairnessCheck(c: z.output<typeof fairnessCheckSchema>, report: FairnessReport | null | undefined): GateCheckResult {
  const base: Base = { kind: 'fairness', metric: c.fairness, attribute: c.attribute, op: c.op, threshold: c.threshold, severity: c.severity };
  const label = `${c.fairness} for '${c.attribute}'`;
  if (!report) return { ...base, actual: null, passed: false, message: `${label}: no fairness report to judge (no sensitive attributes were evaluated)` };
  const attribute = report.attributes.find((a) => a.attribute === c.attribute);
  if (!attribute) {
    const names = report.attributes.map((a) => a.attribute).join(', ') || 'none';
    return { ...base, actual: null, passed: false, message: `Sensitive attribute '${c.attribute}' is not in the fairness report (attributes: ${names})` };
  }
  const value = attribute.metrics[c.fairness];
  if (Number.isNaN(value)) return { ...base, actual: null, passed: false, message: `${label} is NaN (a ratio of 0 / 0)` };
  const ci = attribute.intervals?.[c.fairness];
  const note = ci && report.bootstrap
    ? ` (${formatNumber(report.bootstrap.confidence * 100)}% CI ${formatNumber(ci.low)} to ${formatNumber(ci.high)})`
    : '';
  return _compare(base, { value }, label, note);
}

function _percent(x: number): string {
  return `${x > 0 ? '+' : ''}${formatNumber(x * 100)}%`;
}
