/**
 * The environment that points a step's process (a Python script using `mlflow`, or anything
 * speaking MLflow's REST API) at its tracking run: with these set, `mlflow.start_run()` and
 * `mlflow.log_*` resume and log into that run on this server.
 */
export function trackingEnvFor(runId: string, serverUrl: string): Record<string, string> {
  const url = serverUrl.replace(/\/+$/, '');
  return {
    MLFLOW_TRACKING_URI: url,
    MLFLOW_REGISTRY_URI: url,
    MLFLOW_RUN_ID: runId,
    SLUICE_TRACKING_URI: url,
    SLUICE_TRACKING_RUN_ID: runId,
  };
}
