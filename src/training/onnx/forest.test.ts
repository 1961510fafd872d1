import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../data/table.js';
import { mulberry32 } from '../../random.js';
import { DEFAULT_PARAMS, predictForest, trainForest, type ForestModel, type ForestOptions } from '../forest/index.js';
import { predictTable } from '../package/predict.js';
import { readAdult } from '../../../test/helpers/adult.js';
import { onnxVsTypeScript } from '../../../test/helpers/onnx-compare.js';
import { forestSignature, forestToOnnx } from './forest.js';
import { toOnnx } from './index.js';

async function runOnnx(model: ForestModel, table: Table) {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(forestToOnnx(model));
  return predictTable(session, forestSignature(model), table);
}

/** Largest |ONNX - TypeScript| over every class probability (or value) of every row. */
function maxDiff(model: ForestModel, table: Table): Promise<{ abs: number; rel: number }> {
  return onnxVsTypeScript(forestToOnnx(model), forestSignature(model), model, table, predictForest(model, table));
}

describe('forestToOnnx on UCI Adult', () => {
  it('matches predictForest within 1e-5 on the whole test set, labels included (30 trees)', async () => {
    const { model } = trainForest(readAdult('adult.data'), { task: 'binary', target: 'Y', positive: '>50K', params: { n_estimators: 30 } });
    const test = readAdult('adult.test');
    const splits = model.trees.flatMap((t) => t.feature.map((f, i) => ({ f, i, t })).filter((s) => s.f >= 0));
    expect(splits.some((s) => model.features[s.f].kind === 'categorical')).toBe(true);
    expect(new Set(splits.map((s) => s.t.missingGoesLeft[s.i])).size).toBe(2);
    const diff = await maxDiff(model, test);
    expect(diff.abs).toBeLessThan(1e-5);
    // The label is "p > 0.5", except at a tie of votes (p = 0.5 up to rounding), where onnxruntime's
    // sum of p / T per tree may land on either side.
    const onnx = await runOnnx(model, test);
    const p = predictForest(model, test);
    const clear = (i: number) => Math.abs(p[i] - 0.5) > 1e-9;
    expect(onnx.labels!.filter((l, i) => clear(i) && (l === '>50K') !== p[i] > 0.5).length).toBe(0);
    expect(Array.from(p).filter((_, i) => !clear(i)).length).toBeLessThan(test.rowCount / 50); // 210 ties here
  });
});

describe('forestToOnnx on UCI Adult, multiclass', () => {
  it('matches predictForest within 1e-5 for race (5 classes, 20 trees, many categorical splits)', async () => {
    const { model } = trainForest(readAdult('adult.data'), { task: 'multiclass', target: 'race', exclude: ['Y'], seed: 1, params: { n_estimators: 20 } });
    expect(model.classes.length).toBe(5);
    expect((await maxDiff(model, readAdult('adult.test'))).abs).toBeLessThan(1e-5);
  });
});

describe('forestToOnnx', () => {
  // x1 with 10% missing, x2 uniform, c with 10% missing and a rare category; the test set has unseen categories.
  const n = 2000;
  const rand = mulberry32(5);
  const x1 = Float64Array.from({ length: n }, () => (rand() < 0.1 ? NaN : rand()));
  const x2 = Float64Array.from({ length: n }, () => rand() * 100);
  const c = Array.from({ length: n }, (_, i) => (rand() < 0.1 ? null : i % 500 === 0 ? 'rare' : ['a', 'b', 'c', 'd', 'e'][Math.floor(rand() * 5)]));
  const three = Array.from({ length: n }, (_, i) => (c[i] === 'a' ? 'k0' : x1[i] > 0.5 ? 'k1' : rand() < 0.5 ? 'k2' : 'k0'));
  const features: Column[] = [
    { name: 'x1', type: 'number', values: x1 },
    { name: 'x2', type: 'number', values: x2 },
    { name: 'c', type: 'string', values: c },
  ];
  const train = (y: Column): Table => ({ rowCount: n, columns: [...features, y] });
  const test: Table = {
    rowCount: n,
    columns: [features[0], features[1], { name: 'c', type: 'string', values: c.map((v, i) => (i % 7 === 0 ? 'unseen' : v)) }],
  };
  const options = (task: ForestOptions['task']): ForestOptions => ({ task, target: 'y', params: { n_estimators: 20 } });

  it('exports multiclass forests (class shares averaged over the trees)', async () => {
    const { model } = trainForest(train({ name: 'y', type: 'string', values: three }), options('multiclass'));
    expect(model.classes).toEqual(['k0', 'k1', 'k2']);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-6);
    const onnx = await runOnnx(model, test);
    const p = predictForest(model, test);
    // The label is the most probable class, wherever one class is strictly the most probable.
    let checked = 0;
    for (let i = 0; i < test.rowCount; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      const top = Math.max(...row);
      if (row.filter((v) => v === top).length > 1) continue;
      expect(onnx.labels![i]).toBe(model.classes[row.indexOf(top)]);
      checked++;
    }
    expect(checked).toBeGreaterThan(test.rowCount / 2);
  });

  it('exports a two-class multiclass forest like a binary one', async () => {
    const two = three.map((v) => (v === 'k1' ? 'k1' : 'k0'));
    const { model } = trainForest(train({ name: 'y', type: 'string', values: two }), options('multiclass'));
    expect(model.outputs).toBe(2);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-6);
  });

  it('exports regression forests (AVERAGE of the trees; float32 output: relative error below 1e-6)', async () => {
    const y = Float64Array.from({ length: n }, (_, i) => 10 * x2[i] + (c[i] === 'b' ? 50 : 0) + (Number.isNaN(x1[i]) ? -30 : 10 * x1[i]));
    const { model } = trainForest(train({ name: 'y', type: 'number', values: y }), options('regression'));
    expect((await maxDiff(model, test)).rel).toBeLessThan(1e-6);
    expect(forestSignature(model).outputs).toEqual([{ name: 'value', type: 'float32', shape: [null, 1], role: 'value' }]);
  });

  it('routes missing values and unseen categories like TypeScript', async () => {
    const y = Array.from({ length: n }, (_, i) => (Number.isNaN(x1[i]) || c[i] === null || c[i] === 'e' ? 'yes' : 'no'));
    const { model } = trainForest(train({ name: 'y', type: 'string', values: y }), { ...options('binary'), positive: 'yes' });
    const odd: Table = {
      rowCount: 4,
      columns: [
        { name: 'x1', type: 'number', values: Float64Array.from([NaN, 0.3, NaN, 0.9]) },
        { name: 'x2', type: 'number', values: Float64Array.from([NaN, NaN, 50, 50]) },
        { name: 'c', type: 'string', values: [null, 'never-seen', 'e', null] },
      ],
    };
    expect((await maxDiff(model, odd)).abs).toBeLessThan(1e-6);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-6);
  });

  it('exports a forest that could not split (every tree one leaf)', async () => {
    const y: Column = { name: 'y', type: 'string', values: ['a', 'b', 'b', 'a', 'b', 'b'] };
    const flat: Column = { name: 'x', type: 'number', values: Float64Array.from([1, 1, 1, 1, 1, 1]) };
    const { model, warnings } = trainForest({ rowCount: 6, columns: [flat, y] }, { task: 'binary', target: 'y', params: { n_estimators: 3 } });
    expect(warnings.join(' ')).toMatch(/never used: it is constant/);
    expect(model.trees.every((t) => t.feature.length === 1)).toBe(true);
    const rows: Table = { rowCount: 2, columns: [{ name: 'x', type: 'number', values: Float64Array.from([1, NaN]) }] };
    const onnx = await runOnnx(model, rows);
    const p = predictForest(model, rows);
    onnx.probabilities!.forEach((row, i) => expect(Math.abs(row[1] - p[i])).toBeLessThan(1e-7));
    expect(onnx.labels).toEqual(Array.from(p, (v) => (v > 0.5 ? 'b' : 'a')));
  });

  it('keeps two categorical splits on one feature apart when the chain of the first ends in the second', async () => {
    // Root: code 4 right, every other code left, to node 1: code 3 left. The root's chain tests {4}
    // and its false end is node 1's chain on the same feature: onnxruntime >= 1.21 would fuse the
    // two into one set test (as if they shared their true branch) without the bridge node.
    const onehot = (k: number) => [0, 1, 2].map((j) => (j === k ? 1 : 0));
    const model: ForestModel = {
      format: 'sluice-forest', version: 1, task: 'multiclass', target: 'y', classes: ['a', 'b', 'c'],
      features: [{ name: 'c', kind: 'categorical', categories: ['p', 'q', 'r', 's', 't'], hadMissing: true }], outputs: 3,
      trees: [{
        feature: [0, 0, -1, -1, -1], threshold: [0, 0, 0, 0, 0], categories: { 0: [0, 1, 2, 3, 5], 1: [3] }, missingGoesLeft: [1, 0, 0, 0, 0],
        left: [1, 3, -1, -1, -1], value: [...onehot(0), ...onehot(0), ...onehot(2), ...onehot(1), ...onehot(0)], count: [5, 4, 1, 1, 3],
      }],
      importance: [1], params: DEFAULT_PARAMS, featuresPerSplit: 1, seed: 0,
    };
    const rows: Table = { rowCount: 6, columns: [{ name: 'c', type: 'string', values: ['p', 's', 't', null, 'unseen', 'q'] }] };
    expect(Array.from(predictForest(model, rows))).toEqual([0, 1, 2, 0, 0, 0].flatMap(onehot));
    expect((await maxDiff(model, rows)).abs).toBe(0);
  });

  it('is what toOnnx returns for a forest, with categories and the positive class in the signature', () => {
    const y = three.map((v) => (v === 'k1' ? 'k1' : 'k0'));
    const { model } = trainForest(train({ name: 'y', type: 'string', values: y }), { ...options('binary'), positive: 'k1', params: { n_estimators: 2 } });
    const { signature } = toOnnx(model);
    expect(signature).toEqual(forestSignature(model));
    expect(signature.positiveClass).toBe('k1');
    expect(signature.inputs.map((i) => [i.name, i.type])).toEqual([['x1', 'float64'], ['x2', 'float64'], ['c', 'string']]);
    expect(signature.inputs[2].categories).toEqual(model.features[2].kind === 'categorical' ? model.features[2].categories : []);
  });
});
