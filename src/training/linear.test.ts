import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { SluiceError } from '../errors.js';
import { predictLinear, trainLinearRegression } from './linear.js';

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
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

// Inputs and scikit-learn's results, written by test/reference/linear_reference.py.
const ref = JSON.parse(readFileSync(new URL('../../test/reference/linear_case.json', import.meta.url), 'utf8'));
const refTable = table([
  num('a', ref.table.a),
  num('b', ref.table.b.map((v: number | null) => v ?? NaN)),
  num('const', ref.table.const),
  str('c', ref.table.c),
  str('d', ref.table.d),
  num('y', ref.table.y),
]);

describe('trainLinearRegression', () => {
  for (const r of ref.ridge as { l2: number; weights: number[]; intercept: number; predictions: number[] }[]) {
    it(`matches scikit-learn's Ridge(alpha = l2 · n) within 1e-8 for l2 = ${r.l2}`, () => {
      const { model, aliased } = trainLinearRegression(refTable, { target: 'y', l2: r.l2 });
      expect(model.featureNames).toEqual(ref.featureNames);
      expect(aliased).toEqual([]);
      expect(maxAbs(model.weights, r.weights)).toBeLessThan(1e-8);
      expect(Math.abs(model.intercept - r.intercept)).toBeLessThan(1e-8);
      expect(maxAbs(predictLinear(model, refTable), r.predictions)).toBeLessThan(1e-8);
      expect(model.weights[model.featureNames.indexOf('const')]).toBe(0);
    });
  }

  it('with l2 = 0 fits the least-squares values, giving collinear columns weight 0 (as R drops aliased coefficients)', () => {
    const { model, aliased } = trainLinearRegression(refTable, { target: 'y', l2: 0 });
    // const is all zeros once standardised; d=z is 1 - d=x - d=y, collinear with the intercept.
    expect(aliased).toEqual(['const', 'd=z']);
    expect(model.weights[model.featureNames.indexOf('d=z')]).toBe(0);
    expect(maxAbs(predictLinear(model, refTable), ref.ols.predictions)).toBeLessThan(1e-8);
  });

  it('reports training and validation mean squared errors, and survives JSON', () => {
    const r = trainLinearRegression(refTable, { target: 'y' }, refTable);
    const p = predictLinear(r.model, refTable);
    const mse = Array.from(p).reduce((s, v, i) => s + (v - ref.table.y[i]) ** 2, 0) / p.length;
    expect(r.loss).toBeCloseTo(mse, 12);
    expect(r.validationLoss).toBe(r.loss);
    const back = JSON.parse(JSON.stringify(r.model));
    expect(back).toEqual(r.model);
    expect(predictLinear(back, refTable)).toEqual(p);
    expect(r.model).toMatchObject({ type: 'linear_regression', target: 'y', l2: 1e-3 });
  });

  it('is deterministic: two runs give bit-identical weights', () => {
    const a = trainLinearRegression(refTable, { target: 'y', l2: 0.01 }).model;
    const b = trainLinearRegression(refTable, { target: 'y', l2: 0.01 }).model;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('uses every column but the target and the excluded ones by default', () => {
    const { model } = trainLinearRegression(refTable, { target: 'y', exclude: ['b', 'const'] });
    expect(model.encoder.features.map((f) => f.name)).toEqual(['a', 'c', 'd']);
    const only = trainLinearRegression(refTable, { target: 'y', features: ['a'] }).model;
    expect(only.featureNames).toEqual(['a']);
  });

  it('predicts on rows with unseen categories or missing values (mean and all-zero one-hot), without the target', () => {
    const { model } = trainLinearRegression(refTable, { target: 'y' });
    const rows = table([num('a', [40, 40, 40]), num('b', [NaN, NaN, NaN]), num('const', [5, 5, 5]), str('c', ['nowhere', null, null]), str('d', ['x', 'x', 'y'])]);
    const p = predictLinear(model, rows);
    expect(p[0]).toBe(p[1]);
    const bMean = (model.encoder.features[1] as { mean: number }).mean;
    const withMean = predictLinear(model, table([num('a', [40]), num('b', [bMean]), num('const', [5]), str('c', [null]), str('d', ['x'])]));
    expect(p[0]).toBeCloseTo(withMean[0], 12);
  });

  it('fits a constant target exactly: zero weights, the constant as intercept', () => {
    const t = table([num('x', [1, 2, 3, 4]), str('c', ['a', 'b', 'a', 'b']), num('y', [7, 7, 7, 7])]);
    const { model, loss } = trainLinearRegression(t, { target: 'y' });
    expect(model.weights.every((w) => Math.abs(w) < 1e-12)).toBe(true);
    expect(model.intercept).toBeCloseTo(7, 12);
    expect(loss).toBeLessThan(1e-24);
  });
});

describe('trainLinearRegression on bad input', () => {
  it('rejects a non-numeric, missing, NaN or infinite target', () => {
    const x = num('x', [1, 2, 3]);
    expect(thrown(() => trainLinearRegression(table([x, str('y', ['a', 'b', 'c'])]), { target: 'y' })).message).toMatch(/must be a number column/);
    expect(thrown(() => trainLinearRegression(table([x, num('y', [1, NaN, 3])]), { target: 'y' })).message).toMatch(/missing or non-finite value at row 1/);
    expect(thrown(() => trainLinearRegression(table([x, num('y', [1, 2, Infinity])]), { target: 'y' })).message).toMatch(/row 2 .*\(Infinity\)/);
    expect(thrown(() => trainLinearRegression(table([x]), { target: 'y' })).message).toMatch(/Target column 'y' is not in the training table/);
  });

  it('rejects an infinite feature, an all-missing feature, an empty table and a bad l2', () => {
    const y = num('y', [1, 2, 3]);
    expect(thrown(() => trainLinearRegression(table([num('x', [1, -Infinity, 3]), y]), { target: 'y' })).message).toMatch(/Column 'x' has 1 infinite value/);
    expect(thrown(() => trainLinearRegression(table([num('x', [1, 2, 3]), num('gone', [NaN, NaN, NaN]), y]), { target: 'y' })).message).toMatch(/Feature column 'gone' has only missing values/);
    expect(thrown(() => trainLinearRegression({ rowCount: 0, columns: [num('x', []), num('y', [])] }, { target: 'y' })).code).toBe('DATA_INVALID');
    for (const l2 of [-1, NaN, Infinity]) expect(thrown(() => trainLinearRegression(table([num('x', [1, 2, 3]), y]), { target: 'y', l2 })).code).toBe('USAGE');
    expect(thrown(() => trainLinearRegression(table([num('x', [1, 2, 3]), y]), { target: 'y', features: ['x', 'y'] })).code).toBe('USAGE');
  });

  it('rejects a foreign model and a column of the wrong type at prediction', () => {
    const { model } = trainLinearRegression(refTable, { target: 'y' });
    expect(thrown(() => predictLinear({ ...model, type: 'logistic_regression' } as never, refTable)).code).toBe('ARTIFACT_CORRUPT');
    const wrong = table([str('a', ['1']), num('b', [1]), num('const', [1]), str('c', ['east']), str('d', ['x'])]);
    expect(thrown(() => predictLinear(model, wrong)).code).toBe('SCHEMA_MISMATCH');
  });
});
