import { describe, expect, test } from 'vitest';
import { parseProject } from '../../config/index.js';
import type { LoggedPrediction } from '../../serving/index.js';
import { analyzeWindow } from './analyze.js';
import { REFERENCE_FORMAT, type PreparedReference } from './reference.js';

/** A monitor config as sluice.yaml gives it. */
function monitor(yaml = ''): ReturnType<typeof parseProject>['monitors'][string] {
  return parseProject(`project: p
sources: { s: { path: s.csv, columns: { x: integer } } }
monitors:
  m:
    model: m
    min_rows: 10
    performance: { min_labels: 5 }
${yaml}`).monitors.m;
}

function reference(task: PreparedReference['task'], rows: number): PreparedReference {
  return {
    format: REFERENCE_FORMAT, dataset: 'ds-ref', modelSource: 'x', rows, task,
    columns: [
      { name: 'x', type: 'number', values: Array.from({ length: rows }, (_, i) => i % 10) },
      { name: 'c', type: 'string', values: Array.from({ length: rows }, (_, i) => ['a', 'b', 'c'][i % 3]) },
    ],
    inputs: ['x', 'c'], classes: task === 'regression' ? [] : ['a', 'b', 'c'], positiveClass: null,
    scores: task === 'regression' ? Array.from({ length: rows }, (_, i) => i % 10) : null,
    labels: task === 'multiclass' ? Array.from({ length: rows }, (_, i) => ['a', 'b', 'c'][i % 3]) : null,
    expectations: [], expectationsFrom: null,
  };
}

function logged(n: number, f: (i: number) => Pick<LoggedPrediction, 'inputs' | 'outputs'> & { feedback?: string | number }): LoggedPrediction[] {
  return Array.from({ length: n }, (_, i) => ({ requestId: `r${i}`, row: 0, model: 'm', version: 1, route: 'stable', at: i, latencyMs: 1, ...f(i) }));
}

describe('analyzeWindow()', () => {
  test('regression: MAE and RMSE from the labels, drift of the predicted values', () => {
    const window = logged(60, (i) => ({ inputs: { x: i % 10, c: 'a' }, outputs: { value: (i % 10) + 5 }, feedback: i % 10 }));
    const a = analyzeWindow(reference('regression', 300), window, monitor(), 'm');
    expect(a.performance).toMatchObject({ task: 'regression', labeled: 60, metrics: { mae: 5, rmse: 5 } });
    expect(a.predictionDrift).toMatchObject({ column: 'prediction', test: 'ks', drifted: true });
    // Only 'a' in the window: the categorical input drifts, the numeric one does not.
    expect(a.drift.columns.map((c) => [c.column, c.drifted])).toEqual([['x', false], ['c', true]]);
  });

  test('multiclass: accuracy of the labels; prediction drift over the predicted labels', () => {
    const window = logged(30, (i) => ({ inputs: { x: i % 10, c: ['a', 'b', 'c'][i % 3] }, outputs: { label: 'a', probabilities: { a: 0.5, b: 0.3, c: 0.2 } }, feedback: ['a', 'b', 'c'][i % 3] }));
    const a = analyzeWindow(reference('multiclass', 300), window, monitor(), 'm');
    expect(a.performance).toEqual({ task: 'multiclass', labeled: 30, metrics: { accuracy: 10 / 30 }, fairness: null });
    expect(a.predictionDrift).toMatchObject({ type: 'categorical', drifted: true });
    expect(a.status).toBe('drift');
  });

  test('no accuracy below min_labels; a column no record has is compared as all missing', () => {
    const window = logged(30, (i) => ({ inputs: { x: i % 10 }, outputs: { value: 1 }, ...(i < 4 ? { feedback: 1 } : {}) }));
    const a = analyzeWindow(reference('regression', 300), window, monitor(), 'm');
    expect(a.performance).toBeNull();
    expect(a.metrics.find((m) => m.metric === 'labeled_rows')).toMatchObject({ value: 4, threshold: 5 });
    const c = a.drift.columns.find((x) => x.column === 'c')!;
    expect(c).toMatchObject({ drifted: null, insufficientData: true });
    expect(a.quality!.columns.find((x) => x.column === 'c')!.nulls).toMatchObject({ share: 1, passed: false });
    expect(a.metrics.find((m) => m.metric === 'null_share' && m.column === 'c')).toMatchObject({ value: 1, verdict: 'fail' });
  });

  test('refuses columns the reference does not have, naming them and the ones it has', () => {
    expect(() => analyzeWindow(reference('regression', 50), [], monitor('    columns: [x, y]'), 'm')).toThrow("Monitor 'm' compares column 'y' that reference ds-ref does not have");
  });
});
