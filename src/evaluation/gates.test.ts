import { describe, expect, it } from 'vitest';
import { SluiceError } from '../errors.js';
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
      metric: 'accuracy', op: '>=', threshold: 0.83, actual: 0.8512, passed: true, severity: 'fail',
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
