/** Tracking: MLflow-shaped experiments and runs (params, metrics, tags, inputs, artifacts). */
export { getOrCreateExperiment, getExperimentByName } from './experiments.js';
export { createRun, endRun, getRun, getRunInfo, listRuns, type CreateRunOptions, type ListRunsOptions } from './runs.js';
export { logParams } from './params.js';
export { logMetrics, getMetricHistory } from './metrics.js';
export { setTags } from './tags.js';
export { logArtifact } from './artifacts.js';
export { logInputs } from './inputs.js';
export type * from './types.js';
