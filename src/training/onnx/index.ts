/**
 * Export of the built-in models to ONNX (ai.onnx 17, ai.onnx.ml 3), preprocessing included, and
 * the signature of each exported graph.
 */
import { SluiceError } from '../../errors.js';
import type { ForestModel } from '../forest/types.js';
import type { GbdtModel } from '../gbdt/types.js';
import type { LinearModel } from '../linear.js';
import type { LogisticModel } from '../logistic.js';
import type { ModelSignature } from '../package/signature.js';
import { forestSignature, forestToOnnx } from './forest.js';
import { gbdtSignature, gbdtToOnnx } from './gbdt.js';
import { linearSignature, linearToOnnx } from './linear.js';
import { logisticSignature, logisticToOnnx } from './logistic.js';

export { forestSignature, forestToOnnx } from './forest.js';
export { gbdtSignature, gbdtToOnnx } from './gbdt.js';
export { linearSignature, linearToOnnx } from './linear.js';
export { logisticSignature, logisticToOnnx } from './logistic.js';
export { MISSING_STRING } from './_common.js';
export { OPSET_ML, OPSET_ONNX } from './proto.js';

/** Any built-in model as ONNX bytes with its signature: what writeModelPackage takes. */
export function toOnnx(model: LogisticModel | GbdtModel | ForestModel | LinearModel): { onnx: Uint8Array; signature: ModelSignature } {
  if ('format' in model && model.format === 'sluice-gbdt') return { onnx: gbdtToOnnx(model), signature: gbdtSignature(model) };
  if ('format' in model && model.format === 'sluice-forest') return { onnx: forestToOnnx(model), signature: forestSignature(model) };
  if ('type' in model && model.type === 'logistic_regression') return { onnx: logisticToOnnx(model), signature: logisticSignature(model) };
  if ('type' in model && model.type === 'linear_regression') return { onnx: linearToOnnx(model), signature: linearSignature(model) };
  throw new SluiceError('USAGE', 'Only Sluice GBDT, random forest, logistic and linear regression models can be exported to ONNX here');
}
