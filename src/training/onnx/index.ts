/**
 * Export of the built-in models to ONNX (ai.onnx 17, ai.onnx.ml 3), preprocessing included, and
 * the signature of each exported graph.
 */
import { SluiceError } from '../../errors.js';
import type { GbdtModel } from '../gbdt/types.js';
import type { LogisticModel } from '../logistic.js';
import type { ModelSignature } from '../package/signature.js';
import { gbdtSignature, gbdtToOnnx } from './gbdt.js';
import { logisticSignature, logisticToOnnx } from './logistic.js';

export { gbdtSignature, gbdtToOnnx } from './gbdt.js';
export { logisticSignature, logisticToOnnx } from './logistic.js';
export { MISSING_STRING } from './_common.js';
export { OPSET_ML, OPSET_ONNX } from './proto.js';

/** Either built-in model as ONNX bytes with its signature: what writeModelPackage takes. */
export function toOnnx(model: LogisticModel | GbdtModel): { onnx: Uint8Array; signature: ModelSignature } {
  if ('format' in model && model.format === 'sluice-gbdt') return { onnx: gbdtToOnnx(model), signature: gbdtSignature(model) };
  if ('type' in model && model.type === 'logistic_regression') return { onnx: logisticToOnnx(model), signature: logisticSignature(model) };
  throw new SluiceError('USAGE', 'Only Sluice GBDT and logistic regression models can be exported to ONNX here');
}
