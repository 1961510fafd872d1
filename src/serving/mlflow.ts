/**
 * MLflow's scoring protocol: POST /invocations with a JSON object holding exactly one of
 * dataframe_split, dataframe_records, instances or inputs (plus optional params, ignored: Sluice
 * signatures have none), or a text/csv body; GET /ping, /health and /version.
 * Predictions come back records-oriented, one `{label, probabilities}` (or `{value}`) per row.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SluiceError } from '../errors.js';
import type { ModelSignature } from '../training/package/index.js';
import { describe, type Batch } from './columns.js';
import { SERVING_VERSION, type RouteConfig, type ServingContext } from './context.js';
import { csvToBatch } from './csv.js';
import { outputRecords } from './outputs.js';
import { columnsToBatch, recordsToBatch, splitToBatch } from './records.js';

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
const PROTOCOL_NOTE = 'The body must be a JSON object with exactly one of dataframe_split, dataframe_records, instances or inputs (the scoring protocol changed in MLflow 2.0)';

export function mlflowRoutes(app: FastifyInstance, ctx: ServingContext): void {
  const config: RouteConfig = { protocol: 'mlflow' };
  const health = async (_req: unknown, reply: FastifyReply) => reply.code(ctx.isReady() ? 200 : 503).type('application/json').send('\n');
  app.get('/ping', { config }, health);
  app.get('/health', { config }, health);
  app.get('/version', { config }, async (_req, reply) => reply.type('text/plain; charset=utf-8').send(SERVING_VERSION));
  app.post('/invocations', { config: { protocol: 'mlflow', endpoint: 'invocations' } satisfies RouteConfig }, async (request) => {
    const batch = typeof request.body === 'string' ? csvToBatch(ctx.model.signature, request.body) : mlflowBatch(ctx.model.signature, request.body);
    const out = await ctx.predict(request, batch);
    return { predictions: outputRecords(ctx.model.signature, out) };
  });
}

export function mlflowBatch(signature: ModelSignature, body: unknown): Batch {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new SluiceError('DATA_INVALID', `${PROTOCOL_NOTE}; got ${describe(body)}`);
  const o = body as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => k !== 'params' && !(FORMATS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new SluiceError('DATA_INVALID', `${PROTOCOL_NOTE}; '${unknown}' is none of them`);
  const given = FORMATS.filter((k) => Object.hasOwn(o, k));
  if (given.length !== 1) throw new SluiceError('DATA_INVALID', `${PROTOCOL_NOTE}; got ${given.length === 0 ? 'none' : given.join(' and ')}`);
  const format = given[0];
  const value = o[format];
  if (format === 'dataframe_split') return splitToBatch(signature, value);
  if (format === 'dataframe_records') return recordsToBatch(signature, value, 'dataframe_records');
  if (Array.isArray(value)) {
    if (value.some(Array.isArray)) {
      throw new SluiceError('DATA_INVALID', `${format} must be records ({"column": value}) or an object of columns; rows as plain lists do not say which value is which column`);
    }
    return recordsToBatch(signature, value, format);
  }
  return columnsToBatch(signature, value, format);
}
