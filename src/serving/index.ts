/**
 * Serving: the model server. Open Inference Protocol v2, MLflow scoring and a plain /predict,
 * validated against the model's signature, micro-batched, logged to the prediction log, with
 * feedback and Prometheus metrics.
 */
export { startModelServer, type ModelServer, type ModelServerOptions } from './start.js';
export { buildModelApp, DEFAULT_BODY_LIMIT, type ModelApp, type ModelAppOptions } from './app.js';
export { loadServedModel, type ServedModel } from './model.js';
export { listPredictions, type ListPredictionsOptions, type LoggedPrediction } from './predictions.js';
export type { PredictionRecord } from './outputs.js';
export { LATENCY_BUCKETS, BATCH_BUCKETS } from './metrics.js';
