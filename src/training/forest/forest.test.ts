import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import type { Column, Table } from '../../data/table.js';
import { mulberry32 } from '../../random.js';
import { predictForest, trainForest, type ForestModel, type ForestOptions, type ForestTree, type MaxFeatures } from './index.js';

const num = (name: string, values: ArrayLike<number>): Column => ({ name, type: 'number', values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ name, type: 'string', values });
const table = (...columns: Column[]): Table => ({ rowCount: columns[0].values.length, columns });

/** x1 uniform, x2 noise, c in {red, green, blue}; y = 'yes' mostly when x1 > 0.6 or c is red. */
function binaryData(n: number, seed: number): Table {
  const rand = mulberry32(seed);
  const x1: number[] = [];
  const x2: number[] = [];
  const c: string[] = [];
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    x1.push(rand());
    x2.push(rand());
    c.push(['red', 'green', 'blue'][Math.floor(rand() * 3)]);
    y.push((x1[i] > 0.6 || c[i] === 'red') !== rand() < 0.05 ? 'yes' : 'no');
  }
  return table(num('x1', x1), num('x2', x2), str('c', c), str('y', y));
}

const binary: ForestOptions = { task: 'binary', target: 'y', positive: 'yes', params: { n_estimators: 30 } };

function errorRate(model: ForestModel, t: Table): number {
  const p = predictForest(model, t);
  const y = t.columns.find((c) => c.name === 'y')!.values as string[];
  return y.filter((v, i) => p[i] > 0.5 !== (v === 'yes')).length / y.length;
}

function errorOf(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a SluiceError');
}

const depthOf = (t: ForestTree, i = 0): number => (t.feature[i] < 0 ? 0 : 1 + Math.max(depthOf(t, t.left[i]), depthOf(t, t.left[i] + 1)));
const leaves = (t: ForestTree): number[] => t.feature.flatMap((f, i) => (f < 0 ? [i] : []));

describe('binary classification', () => {
  const train = binaryData(3000, 1);
  const test = binaryData(2000, 2);
  const result = trainForest(train, binary);

  it('learns the signal', () => {
    expect(errorRate(result.model, test)).toBeLessThan(0.08); // 5% label noise
    expect(result.model.classes).toEqual(['no', 'yes']);
    expect(result.model.trees.length).toBe(30);
    expect(result.model.featuresPerSplit).toBe(1); // floor(sqrt(3))
    expect(result.warnings).toEqual([]);
    const [x1, x2, c] = result.model.importance;
    expect(x1 + x2 + c).toBeCloseTo(1, 12);
    expect(Math.min(x1, c)).toBeGreaterThan(x2);
  });

  it('is deterministic for a seed, differs across seeds, and its model survives JSON', () => {
    const again = trainForest(train, binary);
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(result.model));
    const other = trainForest(train, { ...binary, seed: 1 });
    expect(JSON.stringify(other.model.trees)).not.toBe(JSON.stringify(result.model.trees));
    const parsed = JSON.parse(JSON.stringify(result.model)) as ForestModel;
    expect(parsed).toEqual(result.model);
    expect(Array.from(predictForest(parsed, test))).toEqual(Array.from(predictForest(result.model, test)));
  });

  it('averages its trees: probabilities are shares of bootstrap draws, between 0 and 1', () => {
    const p = predictForest(result.model, test);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    for (const t of result.model.trees) {
      expect(t.count[0]).toBe(3000); // a bootstrap sample has n draws
      for (const i of leaves(t)) expect(t.value[i] * t.count[i]).toBeCloseTo(Math.round(t.value[i] * t.count[i]), 9);
    }
  });

  it('fits the training rows exactly with one full tree on every row and every feature', () => {
    // Under 255 rows every value has a bin of its own, so every leaf can be pure.
    const small = binaryData(200, 9);
    const r = trainForest(small, { ...binary, params: { n_estimators: 1, bootstrap: false, max_features: 'all' } });
    expect(errorRate(r.model, small)).toBe(0);
    expect(r.oob).toBeUndefined();
    expect(r.history[0].oobLoss).toBeNaN();
  });

  it('keeps trees within max_depth and min_samples_leaf', () => {
    const r = trainForest(train, { ...binary, params: { n_estimators: 5, max_depth: 3, min_samples_leaf: 50, bootstrap: false } });
    for (const t of r.model.trees) {
      expect(depthOf(t)).toBeLessThanOrEqual(3);
      for (const i of leaves(t)) expect(t.count[i]).toBeGreaterThanOrEqual(50);
    }
    const deep = trainForest(train, { ...binary, params: { n_estimators: 2 } });
    expect(Math.min(...deep.model.trees.map((t) => depthOf(t)))).toBeGreaterThan(3);
  });

  it('reports the out-of-bag and validation losses after every tree', () => {
    const seen: [number, number, number | undefined][] = [];
    const r = trainForest(train, binary, test, (i, oob, val) => seen.push([i, oob, val]));
    expect(seen.map(([i]) => i)).toEqual(r.history.map((h) => h.iteration));
    expect(seen.map(([, o, v]) => [o, v])).toEqual(r.history.map((h) => [h.oobLoss, h.valLoss]));
    expect(r.history.length).toBe(30);
    // More trees: lower losses (log loss is unforgiving with few trees, which say 0 or 1).
    expect(r.history[29].valLoss!).toBeLessThan(r.history[0].valLoss!);
    expect(r.history[29].oobLoss).toBeLessThan(r.history[2].oobLoss);
    expect(r.oob!.rows).toBe(3000);
    expect(r.oob!.loss).toBe(r.history[29].oobLoss);
    // The validation loss is the log loss of the final model on the validation table.
    const p = predictForest(r.model, test);
    const y = test.columns[3].values as string[];
    const clip = (v: number) => Math.min(1 - 1e-15, Math.max(1e-15, v));
    const loss = y.reduce((s, v, i) => s - Math.log(clip(v === 'yes' ? p[i] : 1 - p[i])), 0) / y.length;
    expect(r.history[29].valLoss!).toBeCloseTo(loss, 10);
  });

  it('uses only the chosen features, and resolves max_features', () => {
    expect(trainForest(train, { ...binary, exclude: ['c'], params: { n_estimators: 2 } }).model.features.map((f) => f.name)).toEqual(['x1', 'x2']);
    expect(trainForest(train, { ...binary, features: ['c'], params: { n_estimators: 2 } }).model.features.map((f) => f.name)).toEqual(['c']);
    const per = (max_features: MaxFeatures) =>
      trainForest(train, { ...binary, params: { n_estimators: 1, max_features } }).model.featuresPerSplit;
    expect([per('all'), per('log2'), per(2), per(0.5), per(10)]).toEqual([3, 1, 2, 1, 3]);
  });
});

describe('multiclass', () => {
  it('learns three classes and gives probabilities summing to 1', () => {
    const rand = mulberry32(7);
    const make = (n: number) => {
      const x = Array.from({ length: n }, () => rand() * 3);
      const c = Array.from({ length: n }, () => (rand() < 0.5 ? 'p' : 'q'));
      const y = x.map((v, i) => (v < 1 ? 'a' : v < 2 ? (c[i] === 'p' ? 'b' : 'c') : 'c'));
      return table(num('x', x), str('c', c), str('y', y));
    };
    const train = make(2000);
    const test = make(1000);
    const { model } = trainForest(train, { task: 'multiclass', target: 'y', params: { n_estimators: 20 } });
    expect(model.classes).toEqual(['a', 'b', 'c']);
    expect(model.outputs).toBe(3);
    const p = predictForest(model, test);
    const y = test.columns[2].values as string[];
    let wrong = 0;
    for (let i = 0; i < test.rowCount; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      if (model.classes[row.indexOf(Math.max(...row))] !== y[i]) wrong++;
    }
    expect(wrong / test.rowCount).toBeLessThan(0.02);
  });
});

describe('regression', () => {
  const rand = mulberry32(11);
  const make = (n: number) => {
    const x1 = Array.from({ length: n }, () => rand());
    const x2 = Array.from({ length: n }, () => (rand() < 0.1 ? NaN : rand()));
    const c = Array.from({ length: n }, () => ['u', 'v', 'w'][Math.floor(rand() * 3)]);
    const y = x1.map((v, i) => 10 * v + (c[i] === 'v' ? 5 : 0) + (Number.isNaN(x2[i]) ? -3 : x2[i]) + rand() * 0.5);
    return table(num('x1', x1), num('x2', x2), str('c', c), num('y', y));
  };
  const train = make(3000);
  const test = make(1000);

  it('learns a function of numbers, a category and missingness; predictions stay within the training range', () => {
    const { model, oob } = trainForest(train, { task: 'regression', target: 'y', params: { n_estimators: 30 } });
    expect(model.featuresPerSplit).toBe(1); // a third of 3
    const p = predictForest(model, test);
    const y = test.columns[3].values as Float64Array;
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    let sse = 0;
    let sst = 0;
    y.forEach((v, i) => {
      sse += (v - p[i]) ** 2;
      sst += (v - mean) ** 2;
    });
    expect(1 - sse / sst).toBeGreaterThan(0.95);
    const ys = train.columns[3].values as Float64Array;
    expect(Math.min(...p)).toBeGreaterThanOrEqual(Math.min(...ys));
    expect(Math.max(...p)).toBeLessThanOrEqual(Math.max(...ys));
    expect(oob!.loss).toBeLessThan(0.05 * (sst / y.length));
  });
});

describe('missing values and categories', () => {
  it('splits on missingness, and sends missing values where the training rows went', () => {
    const rand = mulberry32(3);
    const x = Array.from({ length: 1000 }, () => (rand() < 0.3 ? NaN : rand()));
    const y = x.map((v) => (Number.isNaN(v) || v > 0.8 ? 'yes' : 'no'));
    const { model } = trainForest(table(num('x', x), str('y', y)), { ...binary, params: { n_estimators: 10 } });
    const p = predictForest(model, table(num('x', [NaN, 0.1, 0.95])));
    expect(Array.from(p, (v) => v > 0.5)).toEqual([true, false, true]);
  });

  it('gives an unseen category the code of rare ones, and a missing category its own branch', () => {
    const rand = mulberry32(4);
    const c = Array.from({ length: 2000 }, (_, i) => (i % 200 === 0 ? `rare${i}` : rand() < 0.2 ? null : ['a', 'b'][Math.floor(rand() * 2)]));
    const y = c.map((v) => (v === null || v === 'a' ? 'yes' : 'no'));
    const { model } = trainForest(table(str('c', c), str('y', y)), { ...binary, params: { n_estimators: 10 } });
    const info = model.features[0];
    expect(info.kind === 'categorical' && info.categories).toEqual(['b', 'a']);
    const p = predictForest(model, table(str('c', [null, 'a', 'b', 'never-seen', 'rare0'])));
    expect(p[0]).toBeGreaterThan(0.9);
    expect(p[1]).toBeGreaterThan(0.9);
    expect(p[2]).toBeLessThan(0.1);
    expect(p[3]).toBe(p[4]); // unseen and rare share the 'other' code
  });

  it('treats an infinite value at prediction as an ordinary number (beyond every threshold)', () => {
    const { model } = trainForest(binaryData(500, 5), { ...binary, params: { n_estimators: 5 } });
    const row = (x1: number) => table(num('x1', [x1]), num('x2', [0.5]), str('c', ['green']));
    expect(predictForest(model, row(Infinity))[0]).toBe(predictForest(model, row(1e300))[0]);
    expect(predictForest(model, row(-Infinity))[0]).toBe(predictForest(model, row(-1e300))[0]);
  });
});

describe('degenerate data', () => {
  const train = binaryData(300, 6);

  it('rejects one class, a missing label, an infinite feature and an empty table with DATA_INVALID', () => {
    const y = train.columns[3];
    const oneClass = table(train.columns[0], str('y', (y.values as string[]).map(() => 'yes')));
    expect(errorOf(() => trainForest(oneClass, { task: 'binary', target: 'y' })).message).toMatch(/only one class/);
    const missing = table(train.columns[0], str('y', (y.values as string[]).map((v, i) => (i === 7 ? null : v))));
    expect(errorOf(() => trainForest(missing, binary)).message).toMatch(/missing or non-finite label at row 7/);
    const inf = table(num('x', [1, Infinity, 2, 3]), str('y', ['yes', 'no', 'yes', 'no']));
    const e = errorOf(() => trainForest(inf, binary));
    expect([e.code, e.message]).toEqual(['DATA_INVALID', expect.stringMatching(/Column 'x' has an infinite value \(row 1\)/)]);
    expect(errorOf(() => trainForest({ rowCount: 0, columns: [num('x', []), str('y', [])] }, binary)).code).toBe('DATA_INVALID');
    const nanTarget = table(num('x', [1, 2, 3]), num('y', [1, NaN, 3]));
    expect(errorOf(() => trainForest(nanTarget, { task: 'regression', target: 'y' })).message).toMatch(/missing or non-finite value at row 1/);
  });

  it('keeps a constant or all-missing column in the model but never splits on it, with a warning', () => {
    const t = table(...train.columns.slice(0, 3), num('flat', Array(300).fill(2)), num('gone', Array(300).fill(NaN)), train.columns[3]);
    const r = trainForest(t, binary);
    expect(r.warnings).toEqual(["Feature 'flat' is never used: it is constant", "Feature 'gone' is never used: all its values are missing"]);
    const used = new Set(r.model.trees.flatMap((tr) => tr.feature.filter((f) => f >= 0)));
    expect([...used].sort()).toEqual([0, 1, 2]);
    expect(r.model.importance.slice(3)).toEqual([0, 0]);
  });

  it('predicts the training class shares when no feature can split', () => {
    const t = table(num('flat', Array(10).fill(1)), str('y', ['yes', 'yes', 'yes', 'no', 'no', 'no', 'no', 'no', 'no', 'no']));
    const r = trainForest(t, { ...binary, params: { n_estimators: 4, bootstrap: false } });
    expect(r.warnings).toContain('No feature can split the data: every tree is one leaf, the model predicts the training class shares');
    expect(Array.from(predictForest(r.model, t))).toEqual(Array(10).fill(0.3));
  });

  it('rejects unknown or out-of-range parameters, and unknown tasks, with USAGE', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ n_trees: 3 }, /Unknown random forest parameter 'n_trees'/],
      [{ n_estimators: 0 }, /n_estimators must be an integer >= 1/],
      [{ max_features: 'half' }, /max_features must be 'sqrt', 'log2', 'all'/],
      [{ max_features: 1.5 }, /max_features must be/],
      [{ min_samples_leaf: 0.5 }, /min_samples_leaf must be an integer >= 1/],
      [{ bootstrap: 'yes' }, /bootstrap must be true or false/],
    ];
    for (const [params, message] of bad) {
      const e = errorOf(() => trainForest(train, { ...binary, params: params as ForestOptions['params'] }));
      expect([e.code, e.message]).toEqual(['USAGE', expect.stringMatching(message)]);
    }
    expect(errorOf(() => trainForest(train, { ...binary, task: 'ranking' as never })).code).toBe('USAGE');
  });

  it('rejects a validation label the training data never had, a missing feature at prediction, and a foreign model', () => {
    const { model } = trainForest(train, { ...binary, params: { n_estimators: 2 } });
    const val = table(...train.columns.slice(0, 3), str('y', (train.columns[3].values as string[]).map((v, i) => (i === 2 ? 'maybe' : v))));
    expect(errorOf(() => trainForest(train, binary, val)).message).toMatch(/Label 'maybe' at row 2 of the validation data/);
    expect(errorOf(() => predictForest(model, table(train.columns[0]))).code).toBe('SCHEMA_MISMATCH');
    expect(errorOf(() => predictForest({ ...model, format: 'sluice-gbdt' } as never, train)).code).toBe('ARTIFACT_CORRUPT');
  });
});
