/** Model packages: model.onnx with its signature, metadata and model card; loading and running them. */
export { modelCard, type DatasetDescription, type FairnessRow, type MetricRow, type ModelCardInput } from './card.js';
export {
  CARD_FILE,
  METADATA_FILE,
  MetadataSchema,
  readModelPackage,
  SIGNATURE_FILE,
  writeModelPackage,
  type ModelMetadata,
  type ModelPackage,
  type ModelPackageInput,
} from './files.js';
export { loadOnnxSession, MODEL_FILE, predictRecords, predictTable, type Predictions } from './predict.js';
export {
  SignatureSchema,
  TENSOR_TYPES,
  type ModelSignature,
  type SignatureInput,
  type SignatureOutput,
  type TensorType,
} from './signature.js';
