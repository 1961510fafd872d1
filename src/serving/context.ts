/** What the protocol routes share: the model, and `predict`, which runs a validated batch. */
import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import type { Batch } from './columns.js';
import type { ServingMetrics } from './metrics.js';
import type { ServedModel } from './model.js';
import type { ModelOutputs } from './session.js';

export const SERVING_VERSION = '0.1.0';

export type Protocol = 'oip' | 'mlflow' | 'sluice';

/** Route config: which error format the route answers in, and which endpoint metrics name it by. */
export interface RouteConfig {
  protocol: Protocol;
  endpoint?: 'infer' | 'invocations' | 'predict';
}

export interface ServingContext {
  model: ServedModel;
  store: Store;
  metrics: ServingMetrics;
  /** False from the moment the server starts shutting down. */
  isReady(): boolean;
  /** Runs a validated batch through the batcher, counts it and logs it. */
  predict(request: FastifyRequest, batch: Batch): Promise<ModelOutputs>;
}

/** Per inference request, set when it arrives. */
export interface RequestTiming {
  /** performance.now() at arrival. */
  t0: number;
  /** Epoch milliseconds at arrival. */
  at: number;
  /** Tells the batcher this request is queued or gone. */
  arrived(): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    sluiceTiming: RequestTiming | null;
  }
}
