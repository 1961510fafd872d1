import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
import { fairnessReport } from './fairness.js';
import { gateCheckSchema } from './gate-schemas.js';
import { evaluateGate, formatGateResult, formatNumber, type GateCheck } from './gates.js';

const metrics = { accuracy: 0.8512, roc_auc: 0.9031, log_loss: 0.3215, rows: 16281, broken: NaN };

describe('evaluateGate', () => {
  it('passes when every check holds', () => {
    const r = evaluateGate('accuracy', [
      { metric: 'accuracy', op: '>=', threshold: 0.83 },
      { metric: 'log_loss', op: '<', threshold: 0.4 },
      { metric: 'rows', op: '==', threshold: 16281 },
    ], metrics);
    expect(r.status).toBe('pass');
    expect(r.checks[0]).toEqual({
      kind: 'threshold', metric: 'accuracy', op: '>=', threshold: 0.83, actual: 0.8512, passed: true, severity: 'fail',
      message: 'accuracy 0.8512 >= 0.83',
    });
  });

  it('warns when only warn-severity checks fail, and fails when a fail-severity check fails', () => {
    const warnOnly: GateCheck[] = [
      { metric: 'accuracy', op: '>', threshold: 0.8 },
      { metric: 'roc_auc', op: '>=', threshold: 0.95, severity: 'warn' },
    ];
    expect(evaluateGate('g', warnOnly, metrics).status).toBe('warn');
    const failing = [...warnOnly, { metric: 'accuracy', op: '<=', threshold: 0.85 } as const];
    const r = evaluateGate('g', failing, metrics);
    expect(r.status).toBe('fail');
    expect(r.checks.map((c) => c.passed)).toEqual([true, false, false]);
  });

  it('fails a check on a missing or NaN metric, naming it and listing the available metrics', () => {
    const r = evaluateGate('g', [
      { metric: 'acuracy', op: '>=', threshold: 0.8 },
      { metric: 'broken', op: '>=', threshold: 0.8, severity: 'warn' },
    ], metrics);
    expect(r.status).toBe('fail');
    expect(r.checks[0]).toMatchObject({ actual: null, passed: false });
    expect(r.checks[0].message).toBe("Metric 'acuracy' is missing (available metrics: accuracy, log_loss, roc_auc, rows)");
    expect(r.checks[1].message).toContain("Metric 'broken' is NaN");
  });

  it('passes a gate with no checks', () => {
    expect(evaluateGate('empty', [], metrics).status).toBe('pass');
  });

  it('refuses an unknown operator or a non-numeric threshold', () => {
    expect(() => evaluateGate('g', [{ metric: 'accuracy', op: '=>' as '>=', threshold: 1 }], metrics)).toThrow(SluiceError);
    expect(() => evaluateGate('g', [{ metric: 'accuracy', op: '>=', threshold: '0.8' as unknown as number }], metrics)).toThrow(
      /threshold for metric 'accuracy'/,
    );
  });
});

describe('formatGateResult', () => {
  it('prints a header and one line per check with ✓, ✗ or ⚠', () => {
    const r = evaluateGate('accuracy', [
      { metric: 'accuracy', op: '>=', threshold: 0.83 },
      { metric: 'roc_auc', op: '>=', threshold: 0.95, severity: 'warn' },
      { metric: 'f1', op: '>=', threshold: 0.6 },
    ], metrics);
    expect(formatGateResult(r)).toBe([
      'gate accuracy: fail',
      '  accuracy 0.8512 >= 0.83 ✓',
      '  roc_auc 0.9031 >= 0.95 ⚠',
      "  Metric 'f1' is missing (available metrics: accuracy, log_loss, roc_auc, rows) ✗",
    ].join('\n'));
  });

  it('formats numbers compactly', () => {
    expect([formatNumber(0.85123456), formatNumber(16281), formatNumber(0.00001234), formatNumber(0.5)]).toEqual([
      '0.8512', '16281', '0.0000123', '0.5',
    ]);
  });
});

describe('evaluateGate against the champion (MLflow MetricThreshold semantics)', () => {
  const candidate = { roc_auc: 0.9031, log_loss: 0.3215, r2: -0.4, brier: 0.1 };

  it('checks the absolute threshold and both minimum changes in the metric\'s direction', () => {
    const r = evaluateGate('champion', [
      { metric: 'roc_auc', threshold: 0.85, min_absolute_change: 0.005, min_relative_change: 0.001, greater_is_better: true },
    ], candidate, { baseline: { roc_auc: 0.89 } });
    expect(r.status).toBe('pass');
    expect(r.checks.map((c) => [c.kind, c.op, c.passed])).toEqual([
      ['threshold', '>=', true], ['min_absolute_change', '>=', true], ['min_relative_change', '>=', true],
    ]);
    expect(r.checks[1]).toMatchObject({ threshold: 0.895, actual: 0.9031, baseline: 0.89 });
    expect(r.checks[1].message).toBe('roc_auc 0.9031 >= 0.895 (champion 0.89 + min_absolute_change 0.005)');
    expect(r.checks[2].actual).toBeCloseTo((0.9031 - 0.89) / 0.89, 15);
  });

  it('for lower-is-better metrics requires the candidate to be below the champion minus the change', () => {
    const r = evaluateGate('champion', [{ metric: 'log_loss', min_absolute_change: 0.01, greater_is_better: false }], candidate, {
      baseline: { log_loss: 0.33 },
    });
    expect(r.status).toBe('fail');
    expect(r.checks[0]).toMatchObject({ op: '<=', actual: 0.3215, passed: false });
    expect(r.checks[0].threshold).toBeCloseTo(0.32, 15);
    expect(r.checks[0].message).toBe('log_loss 0.3215 <= 0.32 (champion 0.33 − min_absolute_change 0.01)');
  });

  it('fails a too-small relative improvement with the figures, and passes an exact one', () => {
    const r = evaluateGate('champion', [{ metric: 'roc_auc', min_relative_change: 0.01, greater_is_better: true }], candidate, {
      baseline: { roc_auc: 0.9 },
    });
    expect(r.checks[0].passed).toBe(false);
    expect(r.checks[0].message).toBe('roc_auc improvement +0.3444% >= 1% (0.9031 vs champion 0.9)');
    const exact = evaluateGate('g', [{ metric: 'brier', min_relative_change: 0.5, greater_is_better: false }], candidate, {
      baseline: { brier: 0.2 },
    });
    expect(exact.checks[0]).toMatchObject({ actual: 0.5, passed: true });
  });

  it('divides by |champion|, so a negative champion value keeps the direction (MLflow divides by the signed value)', () => {
    const r = evaluateGate('g', [{ metric: 'r2', min_relative_change: 0.1, greater_is_better: true }], candidate, { baseline: { r2: -0.5 } });
    expect(r.checks[0].actual).toBeCloseTo(0.2, 15);
    expect(r.checks[0].passed).toBe(true);
  });

  it('with a champion value of 0, requires the candidate to beat it by 1e-10 (as MLflow)', () => {
    const checks: GateCheck[] = [{ metric: 'brier', min_relative_change: 0.2, greater_is_better: true }];
    const r = evaluateGate('g', checks, candidate, { baseline: { brier: 0 } });
    expect(r.checks[0]).toMatchObject({ threshold: 1e-10, actual: 0.1, passed: true });
    expect(r.checks[0].message).toContain('champion is 0');
    expect(evaluateGate('g', checks, { brier: 0 }, { baseline: { brier: 0 } }).checks[0].passed).toBe(false);
  });

  it('without a champion skips the change checks, says so, and still applies the absolute threshold', () => {
    const checks: GateCheck[] = [{ metric: 'roc_auc', threshold: 0.95, min_absolute_change: 0.005, greater_is_better: true }];
    for (const context of [{}, { baseline: null }]) {
      const r = evaluateGate('champion', checks, candidate, context);
      expect(r.status).toBe('fail');
      expect(r.checks[1]).toMatchObject({ kind: 'min_absolute_change', passed: true, skipped: true, actual: null });
      expect(formatGateResult(r)).toBe([
        'gate champion: fail',
        '  roc_auc 0.9031 >= 0.95 ✗',
        '  roc_auc: no champion to compare with, min_absolute_change 0.005 skipped –',
      ].join('\n'));
    }
  });

  it('fails when the champion lacks the metric, or the candidate does, naming what is there', () => {
    const r = evaluateGate('g', [{ metric: 'roc_auc', min_absolute_change: 0.01, greater_is_better: true }], candidate, {
      baseline: { accuracy: 0.8 },
    });
    expect(r.checks[0]).toMatchObject({ passed: false, actual: null });
    expect(r.checks[0].message).toBe("Champion metric 'roc_auc' is missing (champion metrics: accuracy)");
    const m = evaluateGate('g', [{ metric: 'f1', threshold: 0.5, min_relative_change: 0.1, greater_is_better: true }], candidate, {
      baseline: { f1: 0.6 },
    });
    expect(m.checks).toHaveLength(1);
    expect(m.checks[0].message).toBe("Metric 'f1' is missing (available metrics: brier, log_loss, r2, roc_auc)");
  });
});

describe('evaluateGate on fairness', () => {
  const y = Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 0]);
  const p = Float64Array.from([0.9, 0.9, 0.9, 0.1, 0.9, 0.1, 0.2, 0.1]);
  const report = fairnessReport([{ name: 'sex', values: ['M', 'M', 'M', 'M', 'F', 'F', 'F', 'F'] }], y, p, { bootstrap: { resamples: 200 } });

  it('judges a fairness metric of an attribute, quoting the interval', () => {
    const r = evaluateGate('fairness', [
      { fairness: 'demographic_parity_ratio', attribute: 'sex', op: '>=', threshold: 0.8 },
      { fairness: 'demographic_parity_difference', attribute: 'sex', op: '<=', threshold: 0.6, severity: 'warn' },
    ], {}, { fairness: report });
    expect(r.status).toBe('fail');
    expect(r.checks[0]).toMatchObject({ kind: 'fairness', metric: 'demographic_parity_ratio', attribute: 'sex', actual: 1 / 3, passed: false });
    const ci = report.attributes[0].intervals!.demographic_parity_ratio;
    expect(r.checks[0].message).toBe(
      `demographic_parity_ratio for 'sex' 0.3333 >= 0.8 (95% CI ${formatNumber(ci.low)} to ${formatNumber(ci.high)})`,
    );
    expect(r.checks[1].passed).toBe(true);
  });

  it('fails with a reason when there is no report, no such attribute, or the metric is NaN', () => {
    const check: GateCheck = { fairness: 'disparate_impact', attribute: 'race', op: '>=', threshold: 0.8 };
    expect(evaluateGate('g', [check], {}).checks[0].message).toBe(
      "disparate_impact for 'race': no fairness report to judge (no sensitive attributes were evaluated)",
    );
    expect(evaluateGate('g', [check], {}, { fairness: report }).checks[0].message).toBe(
      "Sensitive attribute 'race' is not in the fairness report (attributes: sex)",
    );
    const none = fairnessReport([{ name: 'race', values: new Array(8).fill('a') }], y, new Float64Array(8), { bootstrap: false });
    const r = evaluateGate('g', [{ ...check, fairness: 'demographic_parity_ratio' }], {}, { fairness: none });
    expect(r.checks[0]).toMatchObject({ passed: false, actual: null, message: "demographic_parity_ratio for 'race' is NaN (a ratio of 0 / 0)" });
  });
});

describe('gate check schemas', () => {
  it('parse the three kinds of check, defaulting severity to fail', () => {
    const parse = (x: unknown) => gateCheckSchema.parse(x);
    expect(parse({ metric: 'roc_auc', op: '>=', threshold: 0.85 })).toEqual({ metric: 'roc_auc', op: '>=', threshold: 0.85, severity: 'fail' });
    expect(parse({ metric: 'roc_auc', min_relative_change: 0.01, greater_is_better: true, severity: 'warn' })).toEqual({
      metric: 'roc_auc', min_relative_change: 0.01, greater_is_better: true, severity: 'warn',
    });
    expect(parse({ fairness: 'demographic_parity_ratio', attribute: 'sex', op: '>=', threshold: 0.8 })).toMatchObject({ severity: 'fail' });
  });

  it('reject a champion check without a bound, non-positive or out-of-range changes, unknown fairness metrics', () => {
    const bad = [
      { metric: 'roc_auc', greater_is_better: true },
      { metric: 'roc_auc', min_absolute_change: 0, greater_is_better: true },
      { metric: 'roc_auc', min_relative_change: 1.5, greater_is_better: true },
      { metric: 'roc_auc', threshold: 0.8 },
      { fairness: 'parity', attribute: 'sex', op: '>=', threshold: 0.8 },
      { metric: 'roc_auc', op: '>=', threshold: 0.8, greater_is_better: true },
    ];
    for (const x of bad) expect(gateCheckSchema.safeParse(x).success, JSON.stringify(x)).toBe(false);
  });

  it('are enforced by evaluateGate, which names the check', () => {
    const run = (check: unknown) => () => evaluateGate('g', [check as GateCheck], metrics, { baseline: {} });
    expect(run({ metric: 'accuracy', greater_is_better: true })).toThrow(
      "Gate 'g': metric 'accuracy' is invalid (expected at least one of threshold, min_absolute_change, min_relative_change)",
    );
    expect(run({ metric: 'accuracy', min_absolute_change: -1, greater_is_better: true })).toThrow(/min_absolute_change for metric 'accuracy'/);
    expect(run({ fairness: 'parity', attribute: 'sex', op: '>=', threshold: 1 })).toThrow(/fairness for fairness check 'parity' on 'sex'/);
  });
});
