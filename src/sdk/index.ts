/**
 * Sluice's TypeScript client for the MLflow-compatible tracking API (`sluice/sdk`):
 *
 *   const client = new TrackingClient({ trackingUri: 'http://127.0.0.1:5000' });
 *   const run = await client.createRun({ experimentId: await client.getOrCreateExperiment('income') });
 *   await client.logMetrics(run.info.run_id, { loss: 0.3 }, { step: 1 });
 *   await client.endRun(run.info.run_id);
 *
 * In a pipeline command step, MLFLOW_TRACKING_URI and MLFLOW_RUN_ID are set: `currentRunId()`
 * gives the step's run.
 */
export { TrackingClient, type TrackingClientOptions, type Experiment, type Run, type RunInfo, type RunStatus, type Metric, type ModelVersion, type RegisteredModel, type FileInfo } from './client.js';
export { TrackingApiError } from './errors.js';

/** The tracking run a pipeline step runs in (MLFLOW_RUN_ID), if any. */
export function currentRunId(): string | undefined {
  return process.env.MLFLOW_RUN_ID || undefined;
}
