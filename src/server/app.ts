/**
 * The HTTP server of a project: Sluice's API (/api/v1), the MLflow tracking and registry API
 * (/api/2.0/mlflow, /ajax-api/2.0/mlflow), MLflow's proxied artifacts, the OpenAPI document
 * (/openapi.json) and its reference page (/docs). Stateless: everything lives in the stores,
 * so replicas can share them behind a load balancer.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { ArtifactStore } from '../artifacts/index.js';
import { SluiceError } from '../errors.js';
import type { Store } from '../store/index.js';
import type { LocalProject, ServerContext } from './context.js';
import { DOCS_PAGE } from './docs-page.js';
import { ARTIFACT_PREFIXES, artifactsApi } from './mlflow/artifacts-plugin.js';
import { MlflowError, toMlflowError } from './mlflow/errors.js';
import { experimentRoutes } from './mlflow/experiment-routes.js';
import { LIMITS } from './mlflow/fields.js';
import { MLFLOW_PREFIXES, mlflowApi } from './mlflow/plugin.js';
import { loggedModelRoutes } from './mlflow/logged-model-routes.js';
import { registryRoutes } from './mlflow/registry-routes.js';
import { runRoutes } from './mlflow/run-routes.js';
import { openApiDocument } from './openapi.js';
import { isUiPath, uiFiles } from './static-ui.js';
import { V1_PREFIX, v1Api } from './v1/plugin.js';
import { readRoutes } from './v1/read-routes.js';
import { monitoringRoutes } from './v1/monitoring-routes.js';
import { triggerRoutes } from './v1/trigger-routes.js';
import { v1Routes } from './v1/routes.js';

export const SERVER_VERSION = '0.1.0';
export const MLFLOW_ROUTES = [...experimentRoutes, ...runRoutes, ...loggedModelRoutes, ...registryRoutes];
export const V1_ROUTES = [...v1Routes, ...readRoutes, ...triggerRoutes, ...monitoringRoutes];

export interface BuildServerOptions {
  store: Store;
  artifacts: ArtifactStore;
  /** The project's name: /api/v1 shows its pipeline runs and datasets. */
  project: string;
  /** Recorded as the actor of registry changes made through the MLflow API (default "mlflow-api"). */
  actor?: string;
  /** pino options (level, …), or false for none. */
  logger?: FastifyServerOptions['logger'];
  /** The opened project (live logs, DAG, environments); absent when serving bare stores. */
  local?: LocalProject;
  /** The web UI's built files (default dist/ui beside the compiled server); null: no UI. */
  uiDir?: string | null;
  /** The scheduler (src/pipeline/triggers), for POST /api/v1/runs. */
  triggers?: ServerContext['triggers'];
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: LIMITS.body,
    // Artifact paths (<experiment>/<run>/artifacts/<path>) are longer than find-my-way's default 100.
    routerOptions: { maxParamLength: 4096 },
    // A malformed URL or an over-long path parameter, found before any route: same error bodies.
    frameworkErrors: (error, request, reply) => {
      const { status, body } = errorResponse(error, request.url);
      void (reply as unknown as FastifyReply).code(status).type('application/json').send(body);
    },
  });
  const ctx: ServerContext = { store: options.store, artifacts: options.artifacts, project: options.project, actor: options.actor ?? 'mlflow-api', local: options.local, triggers: options.triggers };

  await app.register(mlflowApi, { ctx, routes: MLFLOW_ROUTES });
  await app.register(artifactsApi, { ctx });
  await app.register(v1Api, { ctx, routes: V1_ROUTES });
  const ui = uiFiles(options.uiDir);

  const document = JSON.stringify(
    openApiDocument(
      [
        { prefix: V1_PREFIX, routes: V1_ROUTES, error: 'sluice' },
        { prefix: MLFLOW_PREFIXES[0], routes: MLFLOW_ROUTES, error: 'mlflow' },
      ],
      SERVER_VERSION,
    ),
  );
  app.get('/openapi.json', async (_req, reply) => reply.type('application/json').send(document));
  app.get('/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE));
  app.get('/health', async (_req, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_req, reply) => reply.type('text/plain').send(SERVER_VERSION));

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0];
    // The web UI: its files, and index.html for any other page path (deep links), never for an API path.
    if ((request.method === 'GET' || request.method === 'HEAD') && isUiPath(path)) return ui.serve(path, reply);
    if (isMlflow(path)) {
      const e = new MlflowError('ENDPOINT_NOT_FOUND', `No endpoint ${request.method} ${path.slice(0, 300)}`);
      return reply.code(404).type('application/json').send(JSON.stringify(e.toJSON()));
    }
    const e = new SluiceError('NOT_FOUND', `No endpoint ${request.method} ${path.slice(0, 300)}`, { hint: 'GET /docs lists the endpoints.' });
    return reply.code(404).type('application/json').send(JSON.stringify({ error: e.toJSON() }));
  });
  app.setErrorHandler(async (error, request, reply) => {
    const { status, body } = errorResponse(error, request.url);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).type('application/json').send(body);
  });
  return app;
}

const isMlflow = (url: string) => [...MLFLOW_PREFIXES, ...ARTIFACT_PREFIXES].some((p) => url.startsWith(p));

/** An error outside the APIs' own handlers, in the error format of the API the URL belongs to. */
function errorResponse(error: unknown, url: string): { status: number; body: string } {
  const e = toMlflowError(error);
  if (isMlflow(url)) return { status: e.status, body: JSON.stringify(e.toJSON()) };
  const code = e.status === 404 ? 'NOT_FOUND' : e.status < 500 ? 'USAGE' : 'INTERNAL';
  return { status: e.status, body: JSON.stringify({ error: { code, message: e.message } }) };
}
