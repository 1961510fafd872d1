import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import type { Column, Table } from '../../data/table.js';
import { mulberry32 } from '../../random.js';
import { predictGbdt, predictRawGbdt, trainGbdt, type GbdtModel, type GbdtOptions } from './index.js';

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
    const signal = x1[i] > 0.6 || c[i] === 'red';
    y.push(signal !== rand() < 0.05 ? 'yes' : 'no');
  }
  return table(num('x1', x1), num('x2', x2), str('c', c), str('y', y));
}

const binary: GbdtOptions = { task: 'binary', target: 'y', positive: 'yes' };

function logLoss(model: GbdtModel, t: Table): number {
  const p = predictGbdt(model, t);
  const labels = t.columns.find((c) => c.name === model.target)!.values as string[];
  let sum = 0;
  labels.forEach((v, i) => (sum -= v === model.classes[1] ? Math.log(p[i]) : Math.log(1 - p[i])));
  return sum / labels.length;
}

function errorOf(err: () => unknown): SluiceError {
  try {
    err();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a SluiceError');
}

describe('binary classification', () => {
  const train = binaryData(3000, 1);
  const test = binaryData(2000, 2);
  const result = trainGbdt(train, { ...binary, params: { max_iter: 60 } });

  it('learns the signal', () => {
    const p = predictGbdt(result.model, test);
    const y = test.columns[3].values as string[];
    const wrong = y.filter((v, i) => (p[i] >= 0.5) !== (v === 'yes')).length;
    expect(wrong / y.length).toBeLessThan(0.08); // 5% label noise
    expect(result.model.classes).toEqual(['no', 'yes']);
    expect(result.model.trees.length).toBe(60);
    expect(result.history.map((h) => h.trainLoss).every((l, i, a) => i === 0 || l <= a[i - 1] + 1e-12)).toBe(true);
  });

  it('predicts on raw values exactly what training computed on bins', () => {
    // the last history entry is the training loss from bin-space scores
    expect(logLoss(result.model, train)).toBeCloseTo(result.history[59].trainLoss, 12);
  });

  it('is deterministic and its model survives JSON', () => {
    const again = trainGbdt(train, { ...binary, params: { max_iter: 60 } });
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(result.model));
    const parsed = JSON.parse(JSON.stringify(result.model)) as GbdtModel;
    expect(parsed).toEqual(result.model); // no Infinity / NaN / typed array lost on the way
    expect(Array.from(predictGbdt(parsed, test))).toEqual(Array.from(predictGbdt(result.model, test)));
  });

  it('keeps trees within max_leaf_nodes, max_depth and min_samples_leaf', () => {
    const r = trainGbdt(train, { ...binary, params: { max_iter: 5, max_leaf_nodes: 6, max_depth: 2, min_samples_leaf: 100 } });
    for (const tree of r.model.trees) {
      const leaves = tree.nodes.filter((n) => n.feature < 0);
      expect(leaves.length).toBeLessThanOrEqual(4); // depth 2 allows 4
      for (const leaf of leaves) expect(leaf.count).toBeGreaterThanOrEqual(100);
      const depth = (i: number): number => (tree.nodes[i].feature < 0 ? 0 : 1 + Math.max(depth(tree.nodes[i].left), depth(tree.nodes[i].right)));
      expect(depth(0)).toBeLessThanOrEqual(2);
    }
    const wide = trainGbdt(train, { ...binary, params: { max_iter: 3, max_leaf_nodes: 7 } });
    for (const tree of wide.model.trees) expect(tree.nodes.filter((n) => n.feature < 0).length).toBeLessThanOrEqual(7);
  });

  it('defaults the positive class to the second label in sorted order', () => {
    const r = trainGbdt(train, { task: 'binary', target: 'y', params: { max_iter: 2 } });
    expect(r.model.classes).toEqual(['no', 'yes']);
    const flipped = trainGbdt(train, { task: 'binary', target: 'y', positive: 'no', params: { max_iter: 2 } });
    expect(flipped.model.classes).toEqual(['yes', 'no']);
  });

  it('uses only the chosen features', () => {
    const r = trainGbdt(train, { ...binary, exclude: ['c'], params: { max_iter: 3 } });
    expect(r.model.features.map((f) => f.name)).toEqual(['x1', 'x2']);
    const f = trainGbdt(train, { ...binary, features: ['c'], params: { max_iter: 3 } });
    expect(f.model.features.map((x) => x.name)).toEqual(['c']);
  });
});

describe('early stopping', () => {
  it('stops when the validation loss stalls and keeps the best iteration', () => {
    const seen: [number, number, number | undefined][] = [];
    const r = trainGbdt(binaryData(2000, 3), { ...binary, params: { learning_rate: 0.5, max_iter: 300 } }, binaryData(1000, 4), (i, t, v) =>
      seen.push([i, t, v]),
    );
    expect(r.history.length).toBeLessThan(300);
    expect(r.history.length).toBe(r.bestIteration + 1 + 10); // n_iter_no_change
    expect(r.model.trees.length).toBe(r.bestIteration + 1);
    const val = r.history.map((h) => h.valLoss!);
    expect(Math.min(...val)).toBe(val[r.bestIteration]);
    expect(seen.map(([i]) => i)).toEqual(r.history.map((h) => h.iteration));
    expect(seen.every(([, t, v]) => Number.isFinite(t) && v !== undefined)).toBe(true);
  });

  it('rejects a validation table that does not fit the model', () => {
    const train = binaryData(200, 5);
    const noColumn = table(...train.columns.filter((c) => c.name !== 'x2'));
    expect(errorOf(() => trainGbdt(train, binary, noColumn)).code).toBe('SCHEMA_MISMATCH');
    const newLabel = table(...train.columns.slice(0, 3), str('y', new Array<string>(train.rowCount).fill('maybe')));
    expect(errorOf(() => trainGbdt(train, binary, newLabel)).message).toMatch(/'maybe'.*not a training class/);
  });
});

describe('multiclass', () => {
  it('grows one tree per class per iteration and predicts probabilities', () => {
    const rand = mulberry32(9);
    const n = 3000;
    const x = Array.from({ length: n }, () => rand() * 3);
    const y = x.map((v) => ['low', 'mid', 'high'][Math.min(2, Math.floor(v))]);
    const r = trainGbdt(table(num('x', x), str('y', y)), { task: 'multiclass', target: 'y', params: { max_iter: 20 } });
    expect(r.model.classes).toEqual(['high', 'low', 'mid']);
    expect(r.model.outputs).toBe(3);
    expect(r.model.trees.length).toBe(60);
    expect(r.model.trees.map((t) => t.output).slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    const p = predictGbdt(r.model, table(num('x', [0.5, 1.5, 2.5]), str('y', ['low', 'mid', 'high'])));
    for (let i = 0; i < 3; i++) expect(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2]).toBeCloseTo(1, 12);
    expect(p[1]).toBeGreaterThan(0.9); // row 0 is 'low'
    expect(p[5]).toBeGreaterThan(0.9); // row 1 is 'mid'
    expect(p[6]).toBeGreaterThan(0.9); // row 2 is 'high'
  });

  it('accepts numeric labels, ordered as numbers', () => {
    const x = Array.from({ length: 300 }, (_, i) => i);
    const r = trainGbdt(table(num('x', x), num('y', x.map((v) => (v < 100 ? 10 : v < 200 ? 2 : 1)))), {
      task: 'multiclass',
      target: 'y',
      params: { max_iter: 2 },
    });
    expect(r.model.classes).toEqual(['1', '2', '10']);
  });
});

describe('regression', () => {
  it('fits a smooth function', () => {
    const rand = mulberry32(11);
    const x = Array.from({ length: 2000 }, () => rand() * 10);
    const y = x.map((v) => Math.sin(v) * 5 + 20);
    const r = trainGbdt(table(num('x', x), num('y', y)), { task: 'regression', target: 'y' });
    const grid = Array.from({ length: 50 }, (_, i) => 0.1 + i * 0.19);
    const p = predictGbdt(r.model, table(num('x', grid), num('y', grid)));
    const rmse = Math.sqrt(grid.reduce((s, v, i) => s + (p[i] - (Math.sin(v) * 5 + 20)) ** 2, 0) / grid.length);
    expect(rmse).toBeLessThan(0.15);
    expect(r.history[r.history.length - 1].trainLoss).toBeLessThan(0.01);
  });

  it('predicts a constant target as that constant', () => {
    const x = Array.from({ length: 200 }, (_, i) => i);
    const r = trainGbdt(table(num('x', x), num('y', x.map(() => 0.3))), { task: 'regression', target: 'y', params: { max_iter: 5 } });
    for (const v of predictGbdt(r.model, table(num('x', [-1, 50, 1e9]), num('y', [0, 0, 0])))) expect(v).toBeCloseTo(0.3, 12);
  });

  it('rejects a missing or infinite target', () => {
    expect(errorOf(() => trainGbdt(table(num('x', [1, 2]), num('y', [1, NaN])), { task: 'regression', target: 'y' })).message).toMatch(/row 1/);
    expect(errorOf(() => trainGbdt(table(num('x', [1, 2]), num('y', [Infinity, 1])), { task: 'regression', target: 'y' })).code).toBe('DATA_INVALID');
    expect(errorOf(() => trainGbdt(table(num('x', [1]), str('y', ['a'])), { task: 'regression', target: 'y' })).code).toBe('SCHEMA_MISMATCH');
  });
});

describe('missing values', () => {
  it('learns where missing values go (here: with the high values)', () => {
    const n = 2000;
    const x = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? NaN : (i % 100) / 100));
    const y = x.map((v) => (Number.isNaN(v) || v > 0.5 ? 'yes' : 'no'));
    const r = trainGbdt(table(num('x', x), str('y', y)), { ...binary, params: { max_iter: 50 } });
    const p = predictGbdt(r.model, table(num('x', [NaN, 0.9, 0.1]), str('y', ['yes', 'yes', 'no'])));
    expect(p[0]).toBeGreaterThan(0.95);
    expect(p[1]).toBeGreaterThan(0.95);
    expect(p[2]).toBeLessThan(0.05);
  });

  it('sends missing values to the bigger child when training had none', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const r = trainGbdt(table(num('x', x), str('y', x.map((v) => (v > 0.7 ? 'yes' : 'no')))), { ...binary, params: { max_iter: 10 } });
    const p = predictGbdt(r.model, table(num('x', [NaN, 0.1]), str('y', ['no', 'no'])));
    expect(p[0]).toBe(p[1]);
  });

  it('treats a missing category as a category of its own', () => {
    const c = Array.from({ length: 900 }, (_, i) => [null, 'a', 'b'][i % 3]);
    const r = trainGbdt(table(str('c', c), str('y', c.map((v) => (v === null ? 'yes' : 'no')))), { ...binary, params: { max_iter: 50 } });
    const p = predictGbdt(r.model, table(str('c', [null, 'a', 'b']), str('y', ['yes', 'no', 'no'])));
    expect(p[0]).toBeGreaterThan(0.95);
    expect(p[1]).toBeLessThan(0.05);
    const root = r.model.trees[0].nodes[0];
    expect(root.missingGoesLeft).toBe(!root.categories!.includes(0)); // missing and 'a' (code 0) apart
  });
});

describe('categories at prediction', () => {
  it('routes a category never seen in training like the rare ones folded into other', () => {
    // a: 'no'; b: 'yes'; 40 rare categories of 5 rows each, all 'yes', fold into 'other'
    const c: string[] = [];
    for (let i = 0; i < 400; i++) c.push('a', 'b');
    for (let k = 0; k < 40; k++) for (let i = 0; i < 5; i++) c.push(`rare${k}`);
    const r = trainGbdt(table(str('c', c), str('y', c.map((v) => (v === 'a' ? 'no' : 'yes')))), { ...binary, params: { max_iter: 50 } });
    const info = r.model.features[0];
    expect(info.kind === 'categorical' && info.categories).toEqual(['a', 'b']);
    const p = predictGbdt(r.model, table(str('c', ['never-seen', 'rare3', 'a']), str('y', ['yes', 'yes', 'no'])));
    expect(p[0]).toBe(p[1]);
    expect(p[0]).toBeGreaterThan(0.95);
    expect(p[2]).toBeLessThan(0.05);
  });

  it('routes an unseen category to the bigger child when no training row was "other"', () => {
    const c = Array.from({ length: 800 }, (_, i) => (i % 4 === 0 ? 'b' : 'a'));
    const r = trainGbdt(table(str('c', c), str('y', c.map((v) => (v === 'a' ? 'no' : 'yes')))), { ...binary, params: { max_iter: 10 } });
    const p = predictGbdt(r.model, table(str('c', ['zzz', 'a', 'b']), str('y', ['no', 'no', 'yes'])));
    expect(p[0]).toBe(p[1]); // 'a' holds 600 of the 800 rows
    expect(p[0]).not.toBe(p[2]);
  });
});

describe('degenerate data', () => {
  it('refuses a target with one class', () => {
    const e = errorOf(() => trainGbdt(table(num('x', [1, 2, 3]), str('y', ['a', 'a', 'a'])), { task: 'binary', target: 'y' }));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toMatch(/only one class \('a'\)/);
    expect(errorOf(() => trainGbdt(table(num('x', [1, 2]), str('y', ['a', 'a'])), { task: 'multiclass', target: 'y' })).code).toBe('DATA_INVALID');
  });

  it('refuses a binary task with three classes, and a missing label', () => {
    expect(errorOf(() => trainGbdt(table(num('x', [1, 2, 3]), str('y', ['a', 'b', 'c'])), { task: 'binary', target: 'y' })).hint).toMatch(/multiclass/);
    expect(errorOf(() => trainGbdt(table(num('x', [1, 2, 3]), str('y', ['a', null, 'b'])), { task: 'binary', target: 'y' })).message).toMatch(/row 1/);
    expect(errorOf(() => trainGbdt(table(num('x', [1, 2]), str('y', ['a', 'b'])), { task: 'binary', target: 'y', positive: 'c' })).code).toBe('USAGE');
  });

  it('never uses a constant or an all-missing column, and says so', () => {
    const t = binaryData(1000, 6);
    t.columns.push(num('const', new Array<number>(1000).fill(4)), num('empty', new Array<number>(1000).fill(NaN)), str('id', Array.from({ length: 1000 }, (_, i) => `id${i}`)));
    const r = trainGbdt(t, { ...binary, params: { max_iter: 10 } });
    expect(r.warnings).toEqual([
      "Feature 'const' is never used: it is constant",
      "Feature 'empty' is never used: all its values are missing",
      "Feature 'id' is never used: no category has min_category_count (10) rows",
    ]);
    const used = new Set(r.model.trees.flatMap((tr) => tr.nodes.map((n) => n.feature)));
    for (const f of [3, 4, 5]) expect(used.has(f)).toBe(false);
    // at prediction those columns may hold anything
    const odd = { ...t, columns: t.columns.map((c) => (c.name === 'const' ? num('const', new Array<number>(1000).fill(-7)) : c)) };
    expect(Array.from(predictGbdt(r.model, odd))).toEqual(Array.from(predictGbdt(r.model, t)));
  });

  it('predicts the base rate when no feature can split', () => {
    const r = trainGbdt(table(num('x', new Array<number>(100).fill(1)), str('y', Array.from({ length: 100 }, (_, i) => (i < 25 ? 'yes' : 'no')))), binary);
    expect(r.history.length).toBe(1);
    expect(r.warnings.join(' ')).toMatch(/no feature could split/);
    expect(predictGbdt(r.model, table(num('x', [1, 2]), str('y', ['no', 'no'])))[0]).toBeCloseTo(0.25, 6);
  });

  it('refuses infinite feature values in training, naming the column', () => {
    const t = binaryData(100, 7);
    (t.columns[1].values as Float64Array)[17] = -Infinity;
    const e = errorOf(() => trainGbdt(t, binary));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain("Column 'x2'");
    expect(e.message).toContain('row 17');
  });

  it('treats infinite values at prediction as values beyond every threshold', () => {
    const train = binaryData(2000, 8);
    const r = trainGbdt(train, { ...binary, params: { max_iter: 20 } });
    const at = (x1: number) => predictGbdt(r.model, table(num('x1', [x1]), num('x2', [0.5]), str('c', ['green']), str('y', ['no'])))[0];
    expect(at(Infinity)).toBe(at(1));
    expect(at(-Infinity)).toBe(at(0));
  });

  it('reports bad options and tables clearly', () => {
    const t = binaryData(100, 9);
    expect(errorOf(() => trainGbdt(t, { ...binary, params: { max_leaf_nodes: 1 } })).message).toMatch(/max_leaf_nodes must be an integer >= 2/);
    expect(errorOf(() => trainGbdt(t, { ...binary, params: { learnin_rate: 0.1 } as never })).message).toMatch(/Unknown GBDT parameter 'learnin_rate'/);
    expect(errorOf(() => trainGbdt(t, { ...binary, target: 'nope' })).code).toBe('SCHEMA_MISMATCH');
    expect(errorOf(() => trainGbdt(t, { ...binary, features: ['x1', 'y'] })).code).toBe('USAGE');
    expect(errorOf(() => trainGbdt({ rowCount: 0, columns: t.columns.map((c) => ({ ...c, values: [] }) as Column) }, binary)).code).toBe('DATA_INVALID');
    const model = trainGbdt(t, { ...binary, params: { max_iter: 2 } }).model;
    expect(errorOf(() => predictGbdt(model, table(num('x1', [1])))).message).toMatch(/'x2' is missing/);
    expect(errorOf(() => predictGbdt(model, table(num('x1', [1]), num('x2', [1]), num('c', [1])))).message).toMatch(/'c' holds numbers/);
  });
});

describe('model structure', () => {
  it('holds ONNX-ready nodes: finite thresholds, sorted category codes, leaves marked -1', () => {
    const { model } = trainGbdt(binaryData(1000, 10), { ...binary, params: { max_iter: 5 } });
    expect(model.format).toBe('sluice-gbdt');
    for (const tree of model.trees) {
      tree.nodes.forEach((n, i) => {
        if (n.feature < 0) return expect([n.left, n.right, n.gain]).toEqual([-1, -1, 0]);
        expect(n.left).toBeGreaterThan(i);
        expect(n.right).toBeGreaterThan(i);
        const info = model.features[n.feature];
        if (info.kind === 'numeric') expect(Number.isFinite(n.threshold)).toBe(true);
        else expect(n.categories).toEqual([...n.categories!].sort((a, b) => a - b));
      });
    }
    // raw scores are margins: sigmoid(raw) = probability
    const t = binaryData(10, 11);
    const raw = predictRawGbdt(model, t);
    const p = predictGbdt(model, t);
    raw.forEach((m, i) => expect(1 / (1 + Math.exp(-m))).toBeCloseTo(p[i], 15));
  });
});
