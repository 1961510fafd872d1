/** Built-in trainers: feature encoding and logistic regression on typed arrays. */
export {
  encode,
  fitEncoder,
  type CategoricalEncoding,
  type EncodedMatrix,
  type Encoder,
  type FeatureEncoding,
  type FitEncoderOptions,
  type NumericEncoding,
} from './encoding.js';
export {
  predictProba,
  trainLogisticRegression,
  type LogisticModel,
  type OnIteration,
  type TrainingHistoryEntry,
  type TrainLogisticOptions,
  type TrainLogisticResult,
} from './logistic.js';
