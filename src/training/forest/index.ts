/**
 * Random forest on typed arrays: binary, multiclass and regression, with the GBDT's binning,
 * native missing values and categorical (string) features. See README.md in this folder.
 */
export { trainForest } from './train.js';
export { predictForest } from './predict.js';
export { DEFAULT_PARAMS } from './types.js';
export type {
  FeatureInfo,
  ForestHistoryEntry,
  ForestModel,
  ForestOptions,
  ForestParams,
  ForestResult,
  ForestTask,
  ForestTree,
  MaxFeatures,
  OnIteration,
} from './types.js';
