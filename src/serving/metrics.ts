/**
 * The model server's Prometheus metrics, in a registry of its own so that several servers in
 * one process (tests, ephemeral environments) never share or clash. Names follow Prometheus
 * practice: base units, `_total` on counters, one `sluice_` prefix. Every series carries the
 * model, its version and the route (stable, canary, shadow, ...) so canary analysis can compare.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds; from 1 ms, since a tabular model answers in a few milliseconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
export const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096, 16384];

export interface ServerLabels {
  model: string;
  version: string;
  route: string;
}

export interface ServingMetrics {
  registry: Registry;
  /** An inference request answered (or abandoned: code 'aborted') after `seconds`. */
  request(endpoint: string, code: string, seconds: number): void;
  inFlight(delta: 1 | -1): void;
  /** One model call of `rows` rows that took `seconds`. */
  batch(rows: number, seconds: number): void;
  predicted(rows: number): void;
  setReady(ready: boolean): void;
  logWritten(rows: number): void;
  logDropped(rows: number): void;
  logFailed(): void;
  feedback(count: number): void;
}

export function createMetrics(labels: ServerLabels, gauges: { queueDepth(): number; logBuffered(): number }): ServingMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = ['model', 'version', 'route'] as const;
  // Counters start at 0, so a rate() over them works before the first event.
  const counter = (name: string, help: string) => {
    const child = new Counter({ name, help, labelNames: names, registers: [registry] }).labels(labels);
    child.inc(0);
    return child;
  };

  const requests = new Counter({
    name: 'sluice_inference_requests_total',
    help: 'Inference requests (OIP infer, /invocations, /predict) by endpoint and HTTP status code',
    labelNames: [...names, 'endpoint', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'sluice_inference_request_duration_seconds',
    help: 'Time from receiving an inference request to sending its response',
    labelNames: [...names, 'endpoint'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const batchSize = new Histogram({ name: 'sluice_inference_batch_size', help: 'Rows per model call: micro-batches of concurrent requests', labelNames: names, buckets: BATCH_BUCKETS, registers: [registry] }).labels(labels);
  const modelSeconds = new Histogram({ name: 'sluice_model_call_duration_seconds', help: 'Time of one model call (one batch)', labelNames: names, buckets: LATENCY_BUCKETS, registers: [registry] }).labels(labels);
  const ready = new Gauge({ name: 'sluice_model_ready', help: '1 while the model is loaded and the server takes requests, 0 once it shuts down', labelNames: names, registers: [registry] }).labels(labels);
  const inFlight = new Gauge({ name: 'sluice_inference_in_flight', help: 'Inference requests being received or processed', labelNames: names, registers: [registry] }).labels(labels);
  inFlight.set(0);
  for (const [name, help, read] of [
    ['sluice_inference_queue_depth', 'Rows waiting for a model call', gauges.queueDepth],
    ['sluice_prediction_log_buffered', 'Predictions waiting to be written to the prediction log', gauges.logBuffered],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: names,
      registers: [registry],
      collect() {
        this.set(labels, read());
      },
    });
  }
  const predictions = counter('sluice_predictions_total', 'Rows predicted');
  const written = counter('sluice_prediction_log_written_total', 'Predictions written to the prediction log');
  const dropped = counter('sluice_prediction_log_dropped_total', 'Predictions not logged: the log buffer was full, or their write failed');
  const failed = counter('sluice_prediction_log_write_errors_total', 'Failed writes of a chunk of the prediction log');
  const feedback = counter('sluice_feedback_total', 'Ground-truth labels received on /feedback');

  // Children are looked up once per (endpoint, code), not per request.
  const children = new Map<string, { count: Counter.Internal; seconds: Histogram.Internal<string> }>();
  return {
    registry,
    request(endpoint, code, seconds) {
      const key = `${endpoint} ${code}`;
      let child = children.get(key);
      if (!child) children.set(key, (child = { count: requests.labels({ ...labels, endpoint, code }), seconds: duration.labels({ ...labels, endpoint }) }));
      child.count.inc();
      child.seconds.observe(seconds);
    },
    inFlight: (delta) => inFlight.inc(delta),
    batch(rows, seconds) {
      batchSize.observe(rows);
      modelSeconds.observe(seconds);
    },
    predicted: (rows) => predictions.inc(rows),
    setReady: (value) => ready.set(value ? 1 : 0),
    logWritten: (rows) => written.inc(rows),
    logDropped: (rows) => dropped.inc(rows),
    logFailed: () => failed.inc(),
    feedback: (count) => feedback.inc(count),
  };
}
