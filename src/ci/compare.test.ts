import { describe, expect, it } from 'vitest';
import { compareMetrics, compareValue, fairnessDirection, lineDiff, metricDirection } from './compare.js';

describe('metric directions', () => {
  it('knows which way is better for common metrics, with prefixes', () => {
    expect(metricDirection('accuracy')).toBe('higher');
    expect(metricDirection('validation_roc_auc')).toBe('higher');
    expect(metricDirection('log_loss')).toBe('lower');
    expect(metricDirection('train.rmse')).toBe('lower');
    expect(metricDirection('rows')).toBeNull();
    expect(metricDirection('something_new')).toBeNull();
    expect(fairnessDirection('demographic_parity_ratio')).toBe('parity-1');
    expect(fairnessDirection('equalized_odds_difference')).toBe('parity-0');
  });

  it('calls a rise better for accuracy and worse for log loss', () => {
    expect(compareValue('accuracy', { candidate: 0.9, baseline: 0.8, direction: 'higher' })).toMatchObject({ verdict: 'better' });
    expect(compareValue('log_loss', { candidate: 0.4, baseline: 0.3, direction: 'lower' })).toMatchObject({ verdict: 'worse' });
    expect(compareValue('x', { candidate: 0.4, baseline: null, direction: 'lower' })).toMatchObject({ verdict: 'n/a', delta: null });
    expect(compareValue('dp', { candidate: 0.9, baseline: 0.7, direction: 'parity-1' })).toMatchObject({ verdict: 'better' });
    expect(compareValue('eo', { candidate: -0.05, baseline: 0.1, direction: 'parity-0' })).toMatchObject({ verdict: 'better' });
    expect(compareValue('eo', { candidate: 0.2, baseline: 0.1, direction: 'parity-0' })).toMatchObject({ verdict: 'worse' });
  });

  it('leaves counts and dotted (train.*) metrics out of the table', () => {
    const rows = compareMetrics({ accuracy: 0.8, rows: 100, 'train.accuracy': 0.9, tp: 3 }, { accuracy: 0.7 });
    expect(rows.map((r) => r.metric)).toEqual(['accuracy']);
    expect(rows[0].delta).toBeCloseTo(0.1, 12);
  });
});

describe('lineDiff()', () => {
  it('is empty for equal texts and shows changed lines with context', () => {
    expect(lineDiff('a\nb\nc', 'a\nb\nc')).toBe('');
    const d = lineDiff('1\n2\n3\n4\n5\n6\n7\n8\n9', '1\n2\n3\n4\nFIVE\n6\n7\n8\n9');
    expect(d.split('\n')).toEqual(['…', '  3', '  4', '- 5', '+ FIVE', '  6', '  7', '…']);
  });

  it('shows added and removed lines', () => {
    expect(lineDiff('a\nb', 'a\nb\nc')).toBe('  a\n  b\n+ c');
    expect(lineDiff('a\nb\nc', 'a\nc')).toBe('  a\n- b\n  c');
  });
});
