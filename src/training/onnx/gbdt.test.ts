import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../data/table.js';
import { mulberry32 } from '../../random.js';
import { DEFAULT_PARAMS, predictGbdt, trainGbdt, type GbdtModel, type GbdtOptions } from '../gbdt/index.js';
import { predictTable } from '../package/predict.js';
import { readAdult } from '../../../test/helpers/adult.js';
import { onnxVsTypeScript } from '../../../test/helpers/onnx-compare.js';
import { gbdtSignature, gbdtToOnnx } from './gbdt.js';

async function runOnnx(model: GbdtModel, table: Table) {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(gbdtToOnnx(model));
  return predictTable(session, gbdtSignature(model), table);
}

/** Largest |ONNX - TypeScript| over every class probability (or value) of every row. */
function maxDiff(model: GbdtModel, table: Table): Promise<{ abs: number; rel: number }> {
  return onnxVsTypeScript(gbdtToOnnx(model), gbdtSignature(model), model, table, predictGbdt(model, table));
}

describe('gbdtToOnnx on UCI Adult', () => {
  it('matches predictGbdt within 1e-5 on the whole test set (50 iterations)', async () => {
    const { model } = trainGbdt(readAdult('adult.data'), { task: 'binary', target: 'Y', positive: '>50K', params: { max_iter: 50 } });
    const test = readAdult('adult.test');
    // The model does use categorical splits and sends missing values both ways.
    const splits = model.trees.flatMap((t) => t.nodes.filter((n) => n.feature >= 0));
    expect(splits.some((n) => n.categories)).toBe(true);
    expect(new Set(splits.map((n) => n.missingGoesLeft)).size).toBe(2);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-5);
    const onnx = await runOnnx(model, test);
    const p = predictGbdt(model, test);
    expect(onnx.labels!.filter((l, i) => (l === '>50K') !== p[i] > 0.5).length).toBe(0);
  });
});

describe('gbdtToOnnx', () => {
  // x1 with 10% missing, x2 uniform, c with 10% missing and a rare category; the test set has unseen categories.
  const n = 3000;
  const rand = mulberry32(3);
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
  const options = (task: GbdtOptions['task']): GbdtOptions => ({ task, target: 'y', params: { max_iter: 30 } });

  it('exports multiclass models (softmax over one score per class)', async () => {
    const { model } = trainGbdt(train({ name: 'y', type: 'string', values: three }), options('multiclass'));
    expect(model.classes).toEqual(['k0', 'k1', 'k2']);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-6);
  });

  it('exports a two-class multiclass model as the sigmoid of the score difference', async () => {
    const two = three.map((v) => (v === 'k1' ? 'k1' : 'k0'));
    const { model } = trainGbdt(train({ name: 'y', type: 'string', values: two }), options('multiclass'));
    expect(model.outputs).toBe(2);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-6);
  });

  it('exports regression models (float32 output: relative error below 1e-6)', async () => {
    const y = Float64Array.from({ length: n }, (_, i) => 10 * x2[i] + (c[i] === 'b' ? 50 : 0) + (Number.isNaN(x1[i]) ? -30 : 10 * x1[i]));
    const { model } = trainGbdt(train({ name: 'y', type: 'number', values: y }), options('regression'));
    expect((await maxDiff(model, test)).rel).toBeLessThan(1e-6);
    expect(gbdtSignature(model).outputs).toEqual([{ name: 'value', type: 'float32', shape: [null, 1], role: 'value' }]);
  });

  it('routes missing values and unseen categories like TypeScript', async () => {
    const y = Array.from({ length: n }, (_, i) => (Number.isNaN(x1[i]) || c[i] === null || c[i] === 'e' ? 'yes' : 'no'));
    const { model } = trainGbdt(train({ name: 'y', type: 'string', values: y }), { ...options('binary'), positive: 'yes' });
    const missingOnly: Table = {
      rowCount: 4,
      columns: [
        { name: 'x1', type: 'number', values: Float64Array.from([NaN, 0.3, NaN, 0.9]) },
        { name: 'x2', type: 'number', values: Float64Array.from([NaN, NaN, 50, 50]) },
        { name: 'c', type: 'string', values: [null, 'never-seen', 'e', null] },
      ],
    };
    expect((await maxDiff(model, missingOnly)).abs).toBeLessThan(1e-6);
    expect((await maxDiff(model, test)).abs).toBeLessThan(1e-6);
  });

  it('gives the right label and probabilities when every leaf weight is >= 0', async () => {
    // A model that could not split: one leaf per tree. Score 0.3 + 0 → p = 0.574, label 'b'.
    const leaf = { feature: -1, missingGoesLeft: false, left: -1, right: -1, value: 0, count: 4, gain: 0 };
    const model: GbdtModel = {
      format: 'sluice-gbdt', version: 1, task: 'binary', target: 'y', classes: ['a', 'b'],
      features: [{ name: 'x', kind: 'numeric', thresholds: [], hadMissing: false }],
      baseScore: [0.3], trees: [{ output: 0, nodes: [leaf] }], outputs: 1, params: DEFAULT_PARAMS, seed: 0,
    };
    const tiny: Table = { rowCount: 2, columns: [{ name: 'x', type: 'number', values: Float64Array.from([1, NaN]) }] };
    const onnx = await runOnnx(model, tiny);
    expect(onnx.labels).toEqual(['b', 'b']);
    expect((await maxDiff(model, tiny)).abs).toBeLessThan(1e-7);
  });

  it('describes categories and the positive class in the signature', () => {
    const y = three.map((v) => (v === 'k1' ? 'k1' : 'k0'));
    const { model } = trainGbdt(train({ name: 'y', type: 'string', values: y }), { ...options('binary'), positive: 'k1' });
    const s = gbdtSignature(model);
    expect(s.positiveClass).toBe('k1');
    expect(s.classes).toEqual(['k0', 'k1']);
    expect(s.inputs.map((i) => [i.name, i.type])).toEqual([['x1', 'float64'], ['x2', 'float64'], ['c', 'string']]);
    expect(s.inputs[2].categories).toEqual(model.features[2].kind === 'categorical' ? model.features[2].categories : []);
  });
});
