import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { SluiceError } from '../errors.js';
import { predictProba, trainLogisticRegression } from './logistic.js';

const num = (name: string, values: number[]) => ({ name, type: 'number' as const, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]) => ({ name, type: 'string' as const, values });
function table(columns: Table['columns']): Table {
  return { rowCount: columns[0].values.length, columns };
}
function thrown(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected a throw');
}

// Inputs and scikit-learn's weights, written by test/reference/logistic_reference.py.
const ref = JSON.parse(readFileSync(new URL('../../test/reference/logistic_case.json', import.meta.url), 'utf8'));
const refTable = table([
  num('a', ref.table.a),
  num('b', ref.table.b.map((v: number | null) => v ?? NaN)),
  num('const', ref.table.const),
  str('c', ref.table.c),
  str('label', ref.table.label),
]);

describe('trainLogisticRegression', () => {
  it("matches scikit-learn's LogisticRegression(C = 1 / (l2 · n)) on the encoded features", () => {
    const { model, converged } = trainLogisticRegression(refTable, {
      target: 'label', positive: 'yes', l2: ref.l2, tolerance: 1e-14,
    });
    expect(converged).toBe(true);
    expect(model.featureNames).toEqual(ref.expected.featureNames);
    model.weights.forEach((w, j) => expect(Math.abs(w - ref.expected.weights[j])).toBeLessThan(1e-10));
    expect(Math.abs(model.intercept - ref.expected.intercept)).toBeLessThan(1e-10);
    const p = predictProba(model, refTable);
    p.forEach((v, i) => expect(Math.abs(v - ref.expected.proba[i])).toBeLessThan(1e-9));
    // the constant column carries no information and gets weight 0
    expect(model.weights[model.featureNames.indexOf('const')]).toBe(0);
  });

  it('uses every column but the target and the excluded ones by default', () => {
    const { model } = trainLogisticRegression(refTable, { target: 'label', positive: 'yes', exclude: ['b', 'const'] });
    expect(model.encoder.features.map((f) => f.name)).toEqual(['a', 'c']);
    expect(model).toMatchObject({ target: 'label', positive: 'yes', negative: 'no', classes: ['no', 'yes'] });
  });

  it('records a history, validation loss and calls onIteration, with decreasing training loss', () => {
    const calls: number[] = [];
    const r = trainLogisticRegression(refTable, { target: 'label', positive: 'yes' }, refTable, (it) => calls.push(it));
    expect(r.iterations).toBe(r.history.length);
    expect(calls).toEqual(r.history.map((h) => h.iteration));
    for (let i = 1; i < r.history.length; i++) expect(r.history[i].loss).toBeLessThanOrEqual(r.history[i - 1].loss);
    // validation on the training table: same loss
    for (const h of r.history) expect(h.validationLoss).toBeCloseTo(h.loss, 12);
    expect(r.iterations).toBeLessThan(15);
  });

  it('stops at maxIter without claiming convergence', () => {
    const r = trainLogisticRegression(refTable, { target: 'label', positive: 'yes', maxIter: 1, tolerance: 0 });
    expect(r).toMatchObject({ iterations: 1, converged: false });
  });

  it('produces a JSON-serialisable model that predicts the same after a round trip', () => {
    const { model } = trainLogisticRegression(refTable, { target: 'label', positive: 'yes' });
    const back = JSON.parse(JSON.stringify(model));
    expect(back).toEqual(model);
    expect(predictProba(back, refTable)).toEqual(predictProba(model, refTable));
  });

  it('predicts on rows with an unseen category or missing values, without the target column', () => {
    const { model } = trainLogisticRegression(refTable, { target: 'label', positive: 'yes', exclude: ['const'] });
    const p = predictProba(model, table([num('a', [40, 40]), num('b', [NaN, NaN]), str('c', ['nowhere', null])]));
    // unseen and missing categories both encode as zeros: identical rows, identical predictions
    expect(p[0]).toBe(p[1]);
    expect(p[0]).toBeGreaterThan(0);
    expect(p[0]).toBeLessThan(1);
  });

  it('refuses a target with one class, more than two, missing labels, or an absent positive class', () => {
    const x = num('x', [1, 2, 3, 4]);
    let e = thrown(() => trainLogisticRegression(table([x, str('y', ['a', 'a', 'a', 'a'])]), { target: 'y', positive: 'a' }));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain("only one class ('a')");
    e = thrown(() => trainLogisticRegression(table([x, str('y', ['a', 'b', 'c', 'a'])]), { target: 'y', positive: 'a' }));
    expect(e.message).toContain("3 classes ('a', 'b', 'c')");
    e = thrown(() => trainLogisticRegression(table([x, str('y', ['a', null, 'b', null])]), { target: 'y', positive: 'a' }));
    expect(e.message).toContain("'y' has 2 missing value(s)");
    e = thrown(() => trainLogisticRegression(table([x, str('y', ['a', 'b', 'b', 'a'])]), { target: 'y', positive: 'c' }));
    expect(e.message).toContain("Positive class 'c'");
    e = thrown(() => trainLogisticRegression(table([x, num('y', [0, 1, 0, 1])]), { target: 'y', positive: '1' }));
    expect(e.message).toContain('must be a string column');
  });

  it('refuses an all-missing or infinite feature column and an unknown validation label', () => {
    const y = str('y', ['a', 'b', 'a', 'b']);
    let e = thrown(() => trainLogisticRegression(table([num('x', [NaN, NaN, NaN, NaN]), y]), { target: 'y', positive: 'a' }));
    expect(e.message).toContain("'x' has only missing values");
    e = thrown(() => trainLogisticRegression(table([num('x', [1, Infinity, 2, 3]), y]), { target: 'y', positive: 'a' }));
    expect(e.message).toContain("'x' has 1 infinite value(s)");
    const train = table([num('x', [1, 2, 3, 4]), y]);
    e = thrown(() => trainLogisticRegression(train, { target: 'y', positive: 'a' }, table([num('x', [1]), str('y', ['z'])])));
    expect(e.message).toContain("unknown class 'z'");
  });

  it('fits separable data with l2 = 0 without blowing up, and is deterministic', () => {
    // x perfectly separates the classes and c is collinear with the intercept: the l2 = 0
    // Hessian is singular and the optimum is at infinity; training must still stop cleanly.
    const t = table([num('x', [1, 2, 3, 4, 5, 6]), str('c', ['k', 'k', 'k', 'k', 'k', 'k']), str('y', ['n', 'n', 'n', 'p', 'p', 'p'])]);
    const a = trainLogisticRegression(t, { target: 'y', positive: 'p', l2: 0, maxIter: 50 });
    const b = trainLogisticRegression(t, { target: 'y', positive: 'p', l2: 0, maxIter: 50 });
    expect(a.model.weights).toEqual(b.model.weights);
    const p = predictProba(a.model, t);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
    expect(p[0]).toBeLessThan(0.01);
    expect(p[5]).toBeGreaterThan(0.99);
  });
});
