import { describe, expect, it } from 'vitest';
import { attr, DataType, doubles, encodeModel, readGraphInterface } from './proto.js';

describe('encodeModel', () => {
  // Every attribute kind and an initializer, checked by running the bytes in onnxruntime.
  const bytes = encodeModel({
    name: 'all_kinds',
    inputs: [
      { name: 'x', dataType: DataType.FLOAT, shape: [null, 1] },
      { name: 'd', dataType: DataType.DOUBLE, shape: [null, 1] },
      { name: 'c', dataType: DataType.STRING, shape: [null, 1] },
    ],
    outputs: [
      { name: 'scaled', dataType: DataType.FLOAT, shape: [null, 1] },
      { name: 'shifted', dataType: DataType.DOUBLE, shape: [null, 1] },
      { name: 'onehot', dataType: DataType.FLOAT, shape: [null, 2] },
    ],
    nodes: [
      // floats + float
      { op: 'Imputer', domain: 'ai.onnx.ml', inputs: ['x'], outputs: ['imputed'], attributes: { imputed_value_floats: attr.floats([7]), replaced_value_float: attr.float(NaN) } },
      { op: 'Scaler', domain: 'ai.onnx.ml', inputs: ['imputed'], outputs: ['scaled'], attributes: { offset: attr.floats([1]), scale: attr.floats([0.5]) } },
      // initializer (double raw_data)
      { op: 'Add', inputs: ['d', 'shift'], outputs: ['shifted'] },
      // strings + int, then an int64 initializer
      { op: 'OneHotEncoder', domain: 'ai.onnx.ml', inputs: ['c'], outputs: ['onehot3d'], attributes: { cats_strings: attr.strings(['a', 'é']), zeros: attr.int(1) } },
      { op: 'Reshape', inputs: ['onehot3d', 'shape'], outputs: ['onehot'] },
    ],
    initializers: [
      { ...doubles([0.1]), name: 'shift', dims: [1, 1] },
      { name: 'shape', dataType: DataType.INT64, dims: [2], values: [-1, 2] },
    ],
  });

  it('writes a model that onnxruntime loads and runs', async () => {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from([3, NaN]), [2, 1]),
      d: new ort.Tensor('float64', Float64Array.from([1e-17, 2]), [2, 1]),
      c: new ort.Tensor('string', ['é', 'zzz'], [2, 1]),
    });
    expect(Array.from(out.scaled.data as Float32Array)).toEqual([1, 3]);
    expect(Array.from(out.shifted.data as Float64Array)).toEqual([1e-17 + 0.1, 2.1]); // double all the way
    expect(Array.from(out.onehot.data as Float32Array)).toEqual([0, 1, 0, 0]);
  });

  it('reads back the graph inputs and outputs with their element types', () => {
    expect(readGraphInterface(bytes)).toEqual({
      inputs: [
        { name: 'x', dataType: DataType.FLOAT },
        { name: 'd', dataType: DataType.DOUBLE },
        { name: 'c', dataType: DataType.STRING },
      ],
      outputs: [
        { name: 'scaled', dataType: DataType.FLOAT },
        { name: 'shifted', dataType: DataType.DOUBLE },
        { name: 'onehot', dataType: DataType.FLOAT },
      ],
    });
  });
});
