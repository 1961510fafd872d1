/**
 * The front of a linear model's graph, shared by the logistic and the linear regression: one
 * input per feature (float numbers, strings), numbers imputed with the training mean and
 * standardised, strings one-hot encoded (unseen → all zeros), concatenated into one matrix.
 */
import type { Encoder } from '../encoding.js';
import { checkExportable, INTERNAL } from './_common.js';
import { attr, DataType, type Node, type Tensor, type ValueInfo } from './proto.js';

const ML = 'ai.onnx.ml';

export function encoderFront(what: string, encoder: Encoder, outputNames: string[]): { inputs: ValueInfo[]; nodes: Node[]; initializers: Tensor[]; features: string } {
  checkExportable(what, encoder.features, outputNames);
  const inputs: ValueInfo[] = [];
  const nodes: Node[] = [];
  const columns: string[] = [];
  const initializers: Tensor[] = [];
  for (const f of encoder.features) {
    const name = f.name;
    if (f.kind === 'numeric') {
      inputs.push({ name, dataType: DataType.FLOAT, shape: [null, 1] });
      const imputed = `${INTERNAL}imputed:${name}`;
      const scaled = `${INTERNAL}scaled:${name}`;
      nodes.push(
        { op: 'Imputer', domain: ML, inputs: [name], outputs: [imputed], attributes: { imputed_value_floats: attr.floats([f.mean]), replaced_value_float: attr.float(NaN) } },
        { op: 'Scaler', domain: ML, inputs: [imputed], outputs: [scaled], attributes: { offset: attr.floats([f.mean]), scale: attr.floats([1 / f.std]) } },
      );
      columns.push(scaled);
    } else {
      inputs.push({ name, dataType: DataType.STRING, shape: [null, 1] });
      const onehot = `${INTERNAL}onehot:${name}`;
      const flat = `${INTERNAL}onehot2d:${name}`;
      const shape = `${INTERNAL}shape:${name}`;
      // OneHotEncoder appends a dimension: [N,1] → [N,1,C]; Reshape drops the middle one.
      initializers.push({ name: shape, dataType: DataType.INT64, dims: [2], values: [-1, f.categories.length] });
      nodes.push(
        { op: 'OneHotEncoder', domain: ML, inputs: [name], outputs: [onehot], attributes: { cats_strings: attr.strings(f.categories), zeros: attr.int(1) } },
        { op: 'Reshape', inputs: [onehot, shape], outputs: [flat] },
      );
      columns.push(flat);
    }
  }
  const features = `${INTERNAL}features`;
  nodes.push({ op: 'Concat', inputs: columns, outputs: [features], attributes: { axis: attr.int(1) } });
  return { inputs, nodes, initializers, features };
}
