/** The pipeline part's public face. */
export { runPipeline, type RunOptions } from './runner.js';
export { runExitCode, type RunSummary } from './finalize.js';
export type { RunEvent } from './events.js';
export { buildPlan, type Plan, type PlanNode } from './plan.js';
export { LocalExecutor, type Executor, type ExecRequest, type ExecResult } from './executor.js';
export {
  listPipelineRuns,
  getPipelineRun,
  listStepRuns,
  listGateResults,
  listDatasetVersions,
  getDatasetVersion,
  cachedLogOrigin,
} from './records.js';
export { liveLogPath } from './logs.js';
