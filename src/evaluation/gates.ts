/**
 * Gates: named sets of threshold checks on metrics. A failed check with severity 'fail' fails the
 * gate; one with severity 'warn' only warns. A missing or NaN metric fails its check (it never
 * passes silently).
 */
import { SluiceError } from '../errors.js';

export type GateOp = '>=' | '>' | '<=' | '<' | '==';
export type GateSeverity = 'fail' | 'warn';
export type GateStatus = 'pass' | 'warn' | 'fail';

export interface GateCheck {
  metric: string;
  op: GateOp;
  threshold: number;
  /** Default 'fail'. */
  severity?: GateSeverity;
}

export interface GateCheckResult {
  metric: string;
  op: GateOp;
  threshold: number;
  /** null when the metric was missing or NaN. */
  actual: number | null;
  passed: boolean;
  severity: GateSeverity;
  message: string;
}

export interface GateResult {
  gate: string;
  status: GateStatus;
  checks: GateCheckResult[];
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
export function evaluateGate(name: string, checks: GateCheck[], metrics: Record<string, number>): GateResult {
  const available = Object.keys(metrics)
    .filter((k) => typeof metrics[k] === 'number' && !Number.isNaN(metrics[k]))
    .sort();
  const results = checks.map((check): GateCheckResult => {
    const { metric, op, threshold } = check;
    const severity = check.severity ?? 'fail';
    // Checks usually come from YAML: re-check what the types promise.
    if (!Object.hasOwn(OPS, op)) {
      throw new SluiceError('USAGE', `Gate '${name}': unknown operator '${op}' for metric '${metric}' (use >=, >, <=, < or ==)`);
    }
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
      throw new SluiceError('USAGE', `Gate '${name}': threshold for metric '${metric}' must be a number, got '${threshold}'`);
    }
    if (severity !== 'fail' && severity !== 'warn') {
      throw new SluiceError('USAGE', `Gate '${name}': severity for metric '${metric}' must be 'fail' or 'warn', got '${severity}'`);
    }
    const value = Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      const why = value === undefined ? 'is missing' : `is ${typeof value === 'number' ? 'NaN' : `not a number ('${String(value)}')`}`;
      const list = available.length > 0 ? available.join(', ') : 'none';
      return {
        metric, op, threshold, actual: null, passed: false, severity,
        message: `Metric '${metric}' ${why} (available metrics: ${list})`,
      };
    }
    const passed = OPS[op](value, threshold);
    return {
      metric, op, threshold, actual: value, passed, severity,
      message: `${metric} ${formatNumber(value)} ${op} ${formatNumber(threshold)}`,
    };
  });
  const failed = results.filter((r) => !r.passed);
  const status: GateStatus = failed.some((r) => r.severity === 'fail') ? 'fail' : failed.length > 0 ? 'warn' : 'pass';
  return { gate: name, status, checks: results };
}

/**
 * Terminal text: a header line, then one line per check ending in ✓ (passed), ✗ (failed) or
 * ⚠ (failed with severity warn), e.g. "  accuracy 0.8512 >= 0.83 ✓".
 */
export function formatGateResult(result: GateResult): string {
  const lines = [`gate ${result.gate}: ${result.status}`];
  for (const c of result.checks) {
    const mark = c.passed ? '✓' : c.severity === 'warn' ? '⚠' : '✗';
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
