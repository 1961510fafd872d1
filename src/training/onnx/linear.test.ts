import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../data/table.js';
import { predictLinear, trainLinearRegression, type LinearModel } from '../linear.js';
import { predictTable } from '../package/predict.js';
import { readAdult } from '../../../test/helpers/adult.js';
import { toOnnx } from './index.js';
import { linearSignature, linearToOnnx } from './linear.js';

async function onnxValues(model: LinearModel, table: Table): Promise<number[]> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(linearToOnnx(model));
  return (await predictTable(session, linearSignature(model), table)).values!;
}

function diff(onnx: number[], ts: Float64Array): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  onnx.forEach((v, i) => {
    abs = Math.max(abs, Math.abs(v - ts[i]));
    rel = Math.max(rel, Math.abs(v - ts[i]) / Math.max(Math.abs(ts[i]), 1e-300));
  });
  return { abs, rel };
}

describe('linearToOnnx on UCI Adult', () => {
  it('matches predictLinear within 1e-5 on the whole test set (hours-per-week from the other columns)', async () => {
    const train = readAdult('adult.data');
    const test = readAdult('adult.test');
    const { model } = trainLinearRegression(train, { target: 'hours-per-week', exclude: ['fnlwgt'] });
    expect(model.featureNames.length).toBeGreaterThan(90);
    const d = diff(await onnxValues(model, test), predictLinear(model, test));
    // Values are around 40: float32 rounding alone is about 2e-6 at that size.
    expect(d.abs).toBeLessThan(1e-5);
    expect(d.rel).toBeLessThan(1e-6);
  });
});

describe('linearToOnnx', () => {
  const num = (name: string, values: number[]): Column => ({ name, type: 'number', values: Float64Array.from(values) });
  const str = (name: string, values: (string | null)[]): Column => ({ name, type: 'string', values });
  const train: Table = {
    rowCount: 8,
    columns: [
      num('x', [1, 2, 3, 4, 5, 6, 7, NaN]),
      str('colour', ['red', 'blue', 'red', 'blue', 'red', 'green', null, 'green']),
      num('y', [1.5, 2.1, 3.9, 3.7, 5.8, 6.1, 6.6, 8.2]),
    ],
  };
  const test: Table = { rowCount: 4, columns: [num('x', [NaN, 2.5, 100, 4]), str('colour', [null, 'purple', 'red', 'green'])] };

  it('imputes missing numbers with the mean and encodes missing or unseen categories as zeros, like TypeScript', async () => {
    const { model } = trainLinearRegression(train, { target: 'y', l2: 0.1 });
    const d = diff(await onnxValues(model, test), predictLinear(model, test));
    expect(d.abs).toBeLessThan(1e-5);
  });

  it('is what toOnnx returns for a linear regression, with a regression signature', () => {
    const { model } = trainLinearRegression(train, { target: 'y' });
    const { signature } = toOnnx(model);
    expect(signature).toEqual(linearSignature(model));
    expect(signature.task).toBe('regression');
    expect(signature.inputs).toEqual([
      { name: 'x', type: 'float32', shape: [null, 1], nullable: true, missing: 'NaN' },
      { name: 'colour', type: 'string', shape: [null, 1], nullable: true, missing: '', categories: ['blue', 'green', 'red'] },
    ]);
    expect(signature.outputs).toEqual([{ name: 'value', type: 'float32', shape: [null, 1], role: 'value' }]);
  });

  it('refuses a feature named like the output', () => {
    const { model } = trainLinearRegression(train, { target: 'y' });
    const renamed = structuredClone(model);
    renamed.encoder.features[0].name = 'value';
    expect(() => linearToOnnx(renamed)).toThrow(/feature 'value' clashes/);
  });
});
