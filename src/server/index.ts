/** The HTTP server: Sluice's API, the MLflow-compatible tracking API, OpenAPI and its reference page. */
export { buildServer, MLFLOW_ROUTES, SERVER_VERSION, type BuildServerOptions } from './app.js';
export { startServer, type StartServerOptions, type RunningServer } from './start.js';
export { trackingEnvFor } from './tracking-env.js';
