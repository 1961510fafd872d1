/**
 * The MLflow REST API under /api/2.0/mlflow/ and /ajax-api/2.0/mlflow/, with MLflow's transport
 * quirks: POST needs Content-Type application/json; an empty body is {}; a body that is a JSON
 * string is parsed again; DELETE carries a JSON body; GET takes the query string, where a
 * repeated field may appear once or as `x[]=`. Every error is `{"error_code", "message"}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import type { Route } from '../route.js';
import { LIMITS } from './fields.js';
import { MlflowError, toMlflowError, validationError } from './errors.js';

export const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

export async function mlflowApi(app: FastifyInstance, options: { ctx: ServerContext; routes: Route[] }): Promise<void> {
  const { ctx, routes } = options;
  // Bodies arrive as text whatever their type; the content type is checked per method below.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error, request, reply) => {
    const e = toMlflowError(error);
    if (e.status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.code(e.status).type('application/json').send(JSON.stringify(e.toJSON()));
  });

  for (const r of routes) {
    const lists = listFields(r.input);
    for (const prefix of MLFLOW_PREFIXES) {
      app.route({
        method: r.method,
        url: `${prefix}/${r.path}`,
        bodyLimit: r.bodyLimit ?? LIMITS.body,
        handler: async (request, reply) => {
          const raw = requestInput(request, lists);
          const parsed = r.input.safeParse(raw);
          if (!parsed.success) throw validationError(parsed.error, raw);
          const result = await r.handler(parsed.data, ctx, request, reply);
          return reply.type('application/json').send(JSON.stringify(result));
        },
      });
    }
  }
}

/** The request's fields: query for GET, JSON body for the rest (DELETE falls back to the query). */
function requestInput(request: FastifyRequest, lists: Set<string>): Record<string, unknown> {
  if (request.method === 'GET') return normaliseQuery(request.query as Record<string, unknown>, lists);
  if (request.method === 'POST' || request.method === 'PUT') checkContentType(request.headers['content-type']);
  const body = parseBody(request.body);
  if (request.method === 'DELETE' && Object.keys(body).length === 0) return normaliseQuery(request.query as Record<string, unknown>, lists);
  return body;
}

function checkContentType(header: string | undefined): void {
  if (header === undefined) throw new MlflowError('INVALID_PARAMETER_VALUE', 'Bad Request. Content-Type header is missing.');
  if (header.split(';')[0].trim().toLowerCase() !== 'application/json') {
    throw new MlflowError('INVALID_PARAMETER_VALUE', 'Bad Request. Content-Type must be one of [application/json]');
  }
}

function parseBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || (typeof body === 'string' && body.trim() === '')) return {};
  let value: unknown = body;
  // A JSON document whose value is itself JSON text (some clients encode twice).
  for (let depth = 0; typeof value === 'string' && depth < 2; depth++) {
    try {
      value = JSON.parse(value);
    } catch {
      throw new MlflowError('INVALID_PARAMETER_VALUE', 'Malformed request: the body is not valid JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', 'Malformed request: the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** `x[]` is `x`; a list field is always a list, any other field takes its first value. */
function normaliseQuery(query: Record<string, unknown>, lists: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(query ?? {})) {
    const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
    const values = [...((out[key] as unknown[] | undefined) ?? []), ...(Array.isArray(value) ? value : [value])];
    out[key] = values;
  }
  for (const key of Object.keys(out)) if (!lists.has(key)) out[key] = (out[key] as unknown[])[0];
  return out;
}

/** Names of the top-level fields that are lists, read from the schema's JSON Schema. */
function listFields(schema: z.ZodType): Set<string> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: string }> };
  return new Set(Object.entries(json.properties ?? {}).filter(([, p]) => p.type === 'array').map(([k]) => k));
}
