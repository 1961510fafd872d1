/**
 * The model server's HTTP application: request ids, body parsing and limits, the protocols'
 * routes, metrics, and errors in each protocol's own format. Bad input is always a 4xx with
 * a message naming what is wrong; only a fault of the server itself is a 5xx.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SluiceError, isSluiceError } from '../errors.js';
import type { Store } from '../store/index.js';
import { Batcher } from './batcher.js';
import type { Protocol, RouteConfig, ServingContext } from './context.js';
import { REQUEST_ID } from './feedback.js';
import { createMetrics, type ServingMetrics } from './metrics.js';
import { mlflowRoutes } from './mlflow.js';
import type { ServedModel } from './model.js';
import { oipRoutes } from './oip.js';
import { predictRoutes } from './predict.js';
import { PredictionLog } from './prediction-log.js';

export interface ModelAppOptions {
  model: ServedModel;
  /** Where the prediction log and feedback are written. */
  store: Store;
  /** A label for metrics and the log: stable, canary, shadow, ... (default 'stable'). */
  route?: string;
  maxBatch?: number;
  maxWaitMs?: number;
  /** Share of requests written to the prediction log, 0 to 1 (default 1). */
  logSample?: number;
  /** Largest request body in bytes (default 16 MiB); larger ones get 413. */
  bodyLimit?: number;
  logger?: FastifyBaseLogger;
}

export interface ModelApp {
  app: FastifyInstance;
  metrics: ServingMetrics;
  /** Not ready; after `drainMs` (default 0) stop taking connections, finish requests in flight, write the prediction log. */
  close(options?: { drainMs?: number }): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export async function buildModelApp(options: ModelAppOptions): Promise<ModelApp> {
  const { model, store } = options;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const labels = { model: model.name, version: String(model.version), route: options.route ?? 'stable' };
  let ready = true;
  // The callbacks below run only once requests come, after `metrics` exists.
  const queue = new Batcher({
    maxBatch: options.maxBatch ?? 64,
    maxWaitMs: options.maxWaitMs ?? 2,
    width: model.signature.classes?.length ?? 1,
    run: (batch) => model.runtime.run(batch),
    onBatch: (rows, seconds) => metrics.batch(rows, seconds),
  });
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // While closing, requests on open connections are still answered, each with Connection:
    // close (below), so a client or proxy moves to another server without a failed request.
    return503OnClosing: false,
    genReqId: (req) => {
      const id = req.headers['x-request-id'];
      return typeof id === 'string' && REQUEST_ID.test(id) ? id : randomUUID();
    },
    frameworkErrors: (error, request, reply) => _sendError(error, request, reply as unknown as FastifyReply, bodyLimit),
  });
  const predictionLog = new PredictionLog({
    store,
    signature: model.signature,
    model: model.name,
    version: model.version,
    route: labels.route,
    sample: options.logSample,
    onWritten: (rows) => metrics.logWritten(rows),
    onDropped: (rows) => metrics.logDropped(rows),
    onError: (e) => {
      metrics.logFailed();
      app.log.error({ err: e }, 'prediction log write failed');
    },
  });
  const metrics = createMetrics(labels, { queueDepth: () => queue.depth, logBuffered: () => predictionLog.buffered });
  metrics.setReady(true);

  const ctx: ServingContext = {
    model,
    store,
    metrics,
    isReady: () => ready,
    async predict(request, batch) {
      const timing = request.sluiceTiming!;
      timing.arrived();
      const outputs = await queue.submit(batch);
      metrics.predicted(batch.rows);
      predictionLog.record({ requestId: request.id, at: timing.at, latencyMs: performance.now() - timing.t0, batch, outputs });
      return outputs;
    },
  };

  app.decorateRequest('sluiceTiming', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const endpoint = (request.routeOptions.config as Partial<RouteConfig>).endpoint;
    if (endpoint) {
      const t0 = performance.now();
      const arrived = queue.announce();
      request.sluiceTiming = { t0, at: Date.now(), arrived };
      metrics.inFlight(1);
      // 'close' comes once the response is sent or the client went away: count it either way.
      reply.raw.once('close', () => {
        arrived();
        metrics.inFlight(-1);
        metrics.request(endpoint, reply.raw.writableFinished ? String(reply.raw.statusCode) : 'aborted', (performance.now() - t0) / 1000);
      });
    }
    done();
  });

  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!ready) reply.header('connection', 'close');
    done(null, payload);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, _parseJson(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  oipRoutes(app, ctx);
  mlflowRoutes(app, ctx);
  predictRoutes(app, ctx);
  app.get('/metrics', { config: { protocol: 'sluice' } satisfies RouteConfig }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0].slice(0, 200);
    const e = new SluiceError('NOT_FOUND', `No endpoint ${request.method} ${path}`, {
      hint: 'Endpoints: /v2/... (Open Inference Protocol), /invocations, /ping, /health, /version (MLflow), /predict, /feedback, /metrics.',
    });
    return _sendError(e, request, reply, bodyLimit);
  });
  app.setErrorHandler(async (error, request, reply) => {
    if (_status(error) >= 500) request.log.error({ err: error }, 'request failed');
    return _sendError(error, request, reply, bodyLimit);
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    metrics,
    close: (options = {}) =>
      (closing ??= (async () => {
        ready = false;
        metrics.setReady(false);
        // Readiness reports 503 while requests are still served: a load balancer polling it stops sending first.
        if (options.drainMs) await new Promise((resolve) => setTimeout(resolve, options.drainMs));
        await app.close();
        await queue.drained();
        await predictionLog.close();
      })()),
  };
}

function _parseJson(body: string): unknown {
  if (body.length === 0) throw new SluiceError('DATA_INVALID', 'The request body is empty: send JSON');
  try {
    return JSON.parse(body);
  } catch (e) {
    const nonJson = /\b(NaN|-?Infinity)\b/.test(body);
    throw new SluiceError('DATA_INVALID', `Malformed JSON body: ${(e as Error).message.slice(0, 200)}`, {
      hint: nonJson ? 'JSON has no NaN or Infinity: write null for a missing value.' : 'Send a JSON document (Content-Type: application/json).',
    });
  }
}

function _status(error: unknown): number {
  if (isSluiceError(error)) return error.status;
  const s = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

/** The error in the format of the protocol the route belongs to. */
function _sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, bodyLimit: number): FastifyReply {
  const status = _status(error);
  const config = (request.routeOptions?.config ?? {}) as Partial<RouteConfig>;
  const protocol: Protocol = config.protocol ?? (request.url.startsWith('/v2') ? 'oip' : 'sluice');
  let message = error instanceof Error ? error.message : String(error);
  let hint = isSluiceError(error) ? error.hint : undefined;
  if (status === 413) {
    message = `The request body is larger than this server's limit of ${bodyLimit} bytes`;
    hint = 'Send fewer rows per request, or start the server with a larger body limit.';
  } else if (status === 415) {
    const type = String(request.headers['content-type'] ?? 'none').slice(0, 100);
    message = `Content-Type '${type}' is not supported: send application/json${protocol === 'oip' ? '' : ' or text/csv'}`;
  } else if (status >= 500 && !isSluiceError(error)) message = `Internal error: ${message}`;
  const code = isSluiceError(error)
    ? error.code
    : status === 413
      ? 'BODY_TOO_LARGE'
      : status === 415
        ? 'UNSUPPORTED_MEDIA_TYPE'
        : ((error as FastifyError | null)?.code ?? (status >= 500 ? 'INTERNAL' : 'USAGE'));

  let body: unknown;
  if (protocol === 'oip') body = { error: hint ? `${message} (${hint})` : message };
  else if (protocol === 'mlflow') {
    const errorCode = status === 413 ? 'RESOURCE_LIMIT_EXCEEDED' : status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : status === 503 ? 'TEMPORARILY_UNAVAILABLE' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
    body = { error_code: errorCode, message: hint ? `${message} (${hint})` : message };
  } else {
    const details = isSluiceError(error) ? error.details : undefined;
    body = { error: { code, message, ...(hint ? { hint } : {}), ...(details ? { details } : {}) } };
  }
  return reply.code(status).type('application/json').send(body);
}
