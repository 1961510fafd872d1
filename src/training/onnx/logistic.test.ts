import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import type { Column, Table } from '../../data/table.js';
import { predictProba, trainLogisticRegression, type LogisticModel } from '../logistic.js';
import { predictTable } from '../package/predict.js';
import { readAdult } from '../../../test/helpers/adult.js';
import { logisticSignature, logisticToOnnx } from './logistic.js';

async function onnxProba(model: LogisticModel, table: Table) {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(logisticToOnnx(model));
  return predictTable(session, logisticSignature(model), table);
}

function maxDiff(model: LogisticModel, onnx: { probabilities?: number[][] }, expected: Float64Array): number {
  const k = model.classes.indexOf(model.positive);
  let max = 0;
  onnx.probabilities!.forEach((row, i) => {
    max = Math.max(max, Math.abs(row[k] - expected[i]), Math.abs(row[1 - k] - (1 - expected[i])));
  });
  return max;
}

describe('logisticToOnnx on UCI Adult', () => {
  it('matches predictProba within 1e-5 on the whole test set', async () => {
    const { model } = trainLogisticRegression(readAdult('adult.data'), { target: 'Y', positive: '>50K' });
    const test = readAdult('adult.test');
    const onnx = await onnxProba(model, test);
    const expected = predictProba(model, test);
    expect(onnx.rows).toBe(16281);
    expect(maxDiff(model, onnx, expected)).toBeLessThan(1e-5);
    // The label is the positive class exactly when its probability is above one half.
    const disagree = onnx.labels!.filter((l, i) => (l === '>50K') !== expected[i] > 0.5).length;
    expect(disagree).toBe(0);
  });
});

describe('logisticToOnnx', () => {
  const num = (name: string, values: number[]): Column => ({ name, type: 'number', values: Float64Array.from(values) });
  const str = (name: string, values: (string | null)[]): Column => ({ name, type: 'string', values });
  const train: Table = {
    rowCount: 8,
    columns: [
      num('x', [1, 2, 3, 4, 5, 6, 7, NaN]),
      str('colour', ['red', 'blue', 'red', 'blue', 'red', 'green', null, 'green']),
      str('y', ['no', 'no', 'yes', 'no', 'yes', 'yes', 'no', 'yes']),
    ],
  };
  const test: Table = {
    rowCount: 4,
    columns: [num('x', [NaN, 2.5, 100, 4]), str('colour', [null, 'purple', 'red', 'green'])],
  };

  it('imputes missing numbers with the mean and encodes missing or unseen categories as zeros, like TypeScript', async () => {
    const { model } = trainLogisticRegression(train, { target: 'y', positive: 'yes', l2: 0.1 });
    const onnx = await onnxProba(model, test);
    expect(maxDiff(model, onnx, predictProba(model, test))).toBeLessThan(1e-6);
  });

  it('keeps the probabilities in class order when the positive class sorts first', async () => {
    const { model } = trainLogisticRegression(train, { target: 'y', positive: 'no', l2: 0.1 });
    expect(model.classes).toEqual(['no', 'yes']);
    const onnx = await onnxProba(model, test);
    const expected = predictProba(model, test); // P('no')
    onnx.probabilities!.forEach((row, i) => expect(row[0]).toBeCloseTo(expected[i], 6));
    expect(onnx.labels).toEqual(Array.from(expected, (p) => (p > 0.5 ? 'no' : 'yes')));
  });

  it('describes its inputs and outputs in the signature', () => {
    const { model } = trainLogisticRegression(train, { target: 'y', positive: 'yes', l2: 0.1 });
    const s = logisticSignature(model);
    expect(s.inputs).toEqual([
      { name: 'x', type: 'float32', shape: [null, 1], nullable: true, missing: 'NaN' },
      { name: 'colour', type: 'string', shape: [null, 1], nullable: true, missing: '', categories: ['blue', 'green', 'red'] },
    ]);
    expect(s.outputs.map((o) => [o.name, o.role])).toEqual([['label', 'label'], ['probabilities', 'probabilities']]);
    expect(s.classes).toEqual(['no', 'yes']);
  });

  it('refuses a feature named like an output and an empty-string category', () => {
    const { model } = trainLogisticRegression(train, { target: 'y', positive: 'yes', l2: 0.1 });
    const renamed = structuredClone(model);
    renamed.encoder.features[0].name = 'label';
    expect(() => logisticToOnnx(renamed)).toThrow(/feature 'label' clashes/);
    const empty = structuredClone(model);
    (empty.encoder.features[1] as { categories: string[] }).categories.push('');
    const err = (() => {
      try {
        logisticToOnnx(empty);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).message).toMatch(/column 'colour' has the empty string as a category/);
  });
});
