/**
 * Linear regression to ONNX, with the encoder inside the graph, as for the logistic regression
 * (see logistic.ts): Imputer and Scaler per number column, OneHotEncoder per string column, one
 * Concat, then LinearRegressor → value [N,1]. The ai.onnx.ml operators compute in float32, so the
 * output is float32 and agrees with TypeScript's float64 to about 1e-7 relatively.
 */
import type { LinearModel } from '../linear.js';
import type { ModelSignature } from '../package/signature.js';
import { MISSING_STRING } from './_common.js';
import { encoderFront } from './_encoder-front.js';
import { attr, DataType, encodeModel } from './proto.js';

const ML = 'ai.onnx.ml';

export function linearToOnnx(model: LinearModel): Uint8Array {
  const { inputs, nodes, initializers, features: X } = encoderFront('linear regression', model.encoder, ['value']);
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
