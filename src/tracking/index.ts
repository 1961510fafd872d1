/** Tracking: MLflow-shaped experiments and runs (params, metrics, tags, inputs, artifacts), and their search. */
export {
  getOrCreateExperiment,
  getExperimentByName,
  getExperiment,
  createExperiment,
  renameExperiment,
  deleteExperiment,
  restoreExperiment,
  setExperimentTag,
  deleteExperimentTag,
  type CreateExperimentOptions,
} from './experiments.js';
export { createRun, endRun, getRun, getRunInfo, requireActiveRun, listRuns, type CreateRunOptions, type ListRunsOptions } from './runs.js';
export { updateRun, deleteRun, restoreRun, RUN_STATUSES, RUN_NAME_TAG, type RunUpdate } from './run-lifecycle.js';
export { logParams } from './params.js';
export { logMetrics, getMetricHistory, getMetricHistoryPage } from './metrics.js';
export { setTags, deleteTag } from './tags.js';
export { logBatch, type Batch } from './batch.js';
export { logArtifact, listArtifacts, getArtifact, deleteArtifacts, type ArtifactEntry } from './artifacts.js';
export { logInputs } from './inputs.js';
export { logDatasetInputs, listDatasetInputs, CONTEXT_TAG } from './dataset-inputs.js';
export { recordLoggedModel, LOG_MODEL_HISTORY_TAG } from './log-model.js';
export { searchRuns, RUN_GRAMMAR, MAX_RUN_RESULTS, type SearchRunsOptions, type RunsPage, type ViewType } from './search/runs.js';
export { searchExperiments, type SearchExperimentsOptions } from './search/experiments.js';
export { parseFilter, type Clause, type Grammar, type Comparator, type EntityType } from './search/filter.js';
export { parseOrderBy, type OrderBy } from './search/order-by.js';
export { encodePageToken, decodePageToken, checkMaxResults } from './search/page-token.js';
export { binary, compareText, compareNumber, dialectOf } from './search/sql.js';
export { checkArtifactPath } from './_checks.js';
export type * from './types.js';
