/**
 * Histogram gradient-boosted decision trees on typed arrays: binary, multiclass and regression,
 * native missing values and categorical (string) features, early stopping on a validation table.
 * See README.md in this folder for behaviour on degenerate data.
 */
export { trainGbdt } from './train.js';
export { predictGbdt, predictRawGbdt } from './predict.js';
export { DEFAULT_PARAMS } from './types.js';
export type {
  FeatureInfo,
  GbdtHistoryEntry,
  GbdtModel,
  GbdtNode,
  GbdtOptions,
  GbdtParams,
  GbdtResult,
  GbdtTask,
  GbdtTree,
  OnIteration,
} from './types.js';
