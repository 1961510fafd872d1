/**
 * Starts a model server for a registered model version and stops it cleanly. The model is
 * loaded and checked before the port is opened: a server that listens is ready.
 */
import { pino } from 'pino';
import { SluiceError, isSluiceError } from '../errors.js';
import { openProject, type Project } from '../project.js';
import type { ModelSignature } from '../training/package/index.js';
import { buildModelApp, DEFAULT_BODY_LIMIT } from './app.js';
import { loadServedModel, type ServedModel } from './model.js';

export interface ModelServerOptions {
  /** `income@champion`, `income@3`, or `income` (the latest version). */
  model: string;
  /** A project folder (opened, and closed with the server) or an opened project. Default '.'. */
  project?: string | Pick<Project, 'store' | 'artifacts'>;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 8080; 0 picks a free port (read it from `port` or `url`). */
  port?: number;
  /** A label on metrics and logged predictions: stable (default), canary, shadow, ... */
  route?: string;
  /** Most rows in one model call (default 64). */
  maxBatch?: number;
  /** Longest a batch waits for requests still being received (default 2 ms). */
  maxWaitMs?: number;
  /** Share of requests written to the prediction log, 0 to 1 (default 1). */
  logSample?: number;
  /** Largest request body in bytes (default 16 MiB). */
  bodyLimit?: number;
  /** pino level of the server's own log, written to stderr (default 'silent'). */
  logLevel?: string;
}

export interface ModelServer {
  /** http://host:port */
  url: string;
  host: string;
  port: number;
  model: { name: string; version: number; source: string };
  signature: ModelSignature;
  /**
   * Readiness off (503); after `drainMs` (default 0) stop taking connections, answer the requests
   * in flight, write the prediction log, release the model. Safe to call twice.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  _checkOptions(options);
  const given = options.project ?? '.';
  const opened = typeof given === 'string' ? await openProject(given) : undefined;
  const project = opened ?? (given as Pick<Project, 'store' | 'artifacts'>);
  const release = async () => {
    await opened?.close();
  };
  let model: ServedModel;
  try {
    model = await loadServedModel(project, options.model);
  } catch (e) {
    await release();
    throw e;
  }
  const logger = options.logLevel && options.logLevel !== 'silent' ? pino({ level: options.logLevel }, pino.destination(2)) : undefined;
  const served = await buildModelApp({
    model,
    store: project.store,
    route: options.route,
    maxBatch: options.maxBatch,
    maxWaitMs: options.maxWaitMs,
    logSample: options.logSample,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger,
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await served.app.listen({ host, port: options.port ?? 8080 });
  } catch (e) {
    await served.close().catch(() => {});
    await model.dispose();
    await release();
    throw _listenError(e, host, options.port ?? 8080);
  }
  const address = served.app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    host,
    port,
    model: { name: model.name, version: model.version, source: model.source },
    signature: model.signature,
    close: (closeOptions) =>
      (closing ??= (async () => {
        try {
          await served.close(closeOptions);
        } finally {
          await model.dispose();
          await release();
        }
      })()),
  };
}

function _checkOptions(o: ModelServerOptions): void {
  const bad = (what: string, value: unknown, hint: string) => new SluiceError('USAGE', `Invalid ${what} '${String(value)}'`, { hint });
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) throw bad('port', o.port, 'Give a port from 0 to 65535 (0 picks a free one).');
  if (o.maxBatch !== undefined && !(Number.isInteger(o.maxBatch) && o.maxBatch >= 1 && o.maxBatch <= 1_000_000)) throw bad('maximum batch size', o.maxBatch, 'Give a whole number of rows from 1.');
  if (o.maxWaitMs !== undefined && !(Number.isFinite(o.maxWaitMs) && o.maxWaitMs >= 0 && o.maxWaitMs <= 10_000)) throw bad('maximum wait', o.maxWaitMs, 'Give milliseconds from 0 to 10000.');
  if (o.logSample !== undefined && !(o.logSample >= 0 && o.logSample <= 1)) throw bad('log sample', o.logSample, 'Give the share of requests to log, from 0 (none) to 1 (all).');
  if (o.bodyLimit !== undefined && !(Number.isInteger(o.bodyLimit) && o.bodyLimit > 0)) throw bad('body limit', o.bodyLimit, 'Give a number of bytes.');
  if (o.route !== undefined && !/^[\w.-]{1,64}$/.test(o.route)) throw bad('route', o.route, 'Use up to 64 letters, digits, _ . - (e.g. stable, canary, shadow).');
}

function _listenError(e: unknown, host: string, port: number): SluiceError {
  if (isSluiceError(e)) return e;
  const code = (e as { code?: string }).code;
  const reason = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : (e as Error).message;
  return new SluiceError('USAGE', `Cannot listen on ${host}:${port}: ${reason}`, { hint: 'Pick another --port (0 picks a free one) or --host.', cause: e });
}
