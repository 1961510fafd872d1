/**
 * Linear regression to ONNX, with the encoder inside the graph, as for the logistic regression
 * (see logistic.ts): Imputer and Scaler per number column, OneHotEncoder per string column, one
 * Concat, then LinearRegressor → value [N,1]. The ai.onnx.ml operators compute in float32, so the
 * output is float32 and agrees with TypeScript's float64 to about 1e-7 relatively.
 */
import type { LinearModel } from '../linear.js';
import type { ModelSignature } from '../package/signature.js';
import { checkExportable, INTERNAL, MISSING_STRING } from './_common.js';
import { attr, DataType, encodeModel, type Node, type Tensor, type ValueInfo } from './proto.js';

const ML = 'ai.onnx.ml';

export function linearToOnnx(model: LinearModel): Uint8Array {
  const { features } = model.encoder;
  checkExportable('linear regression', features, ['value']);
  const inputs: ValueInfo[] = [];
  const nodes: Node[] = [];
  const columns: string[] = [];
  const initializers: Tensor[] = [];
  for (const f of features) {
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
      initializers.push({ name: shape, dataType: DataType.INT64, dims: [2], values: [-1, f.categories.length] });
      nodes.push(
        { op: 'OneHotEncoder', domain: ML, inputs: [name], outputs: [onehot], attributes: { cats_strings: attr.strings(f.categories), zeros: attr.int(1) } },
        { op: 'Reshape', inputs: [onehot, shape], outputs: [flat] },
      );
      columns.push(flat);
    }
  }
  const X = `${INTERNAL}features`;
  nodes.push({ op: 'Concat', inputs: columns, outputs: [X], attributes: { axis: attr.int(1) } });
  nodes.push({
    op: 'LinearRegressor',
    domain: ML,
    inputs: [X],
    outputs: ['value'],
    attributes: { coefficients: attr.floats(model.weights), intercepts: attr.floats([model.intercept]), targets: attr.int(1) },
  });
  return encodeModel(
    { name: 'sluice_linear_regression', inputs, outputs: [{ name: 'value', dataType: DataType.FLOAT, shape: [null, 1] }], nodes, initializers },
    { doc: `Sluice linear regression predicting '${model.target}'`, metadata: { target: model.target } },
  );
}

/** The signature of linearToOnnx's model. */
export function linearSignature(model: LinearModel): ModelSignature {
  return {
    format: 'sluice-signature',
    version: 1,
    task: 'regression',
    inputs: model.encoder.features.map((f) =>
      f.kind === 'numeric'
        ? { name: f.name, type: 'float32', shape: [null, 1], nullable: true, missing: 'NaN' as const }
        : { name: f.name, type: 'string', shape: [null, 1], nullable: true, missing: MISSING_STRING, categories: f.categories.slice() },
    ),
    outputs: [{ name: 'value', type: 'float32', shape: [null, 1], role: 'value' }],
  };
}
