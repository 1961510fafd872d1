/**
 * Sluice's own plain JSON endpoints: POST /predict with `{"records": [...]}` or a bare list of
 * records (or a text/csv body), answered with one `{label, probabilities}` (or `{value}`) per
 * record; POST /feedback with `{request_id, label}` or a list of them.
 */
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../errors.js';
import { describe } from './columns.js';
import type { RouteConfig, ServingContext } from './context.js';
import { csvToBatch } from './csv.js';
import { parseFeedback, recordFeedback } from './feedback.js';
import { outputRecords } from './outputs.js';
import { recordsToBatch } from './records.js';

export function predictRoutes(app: FastifyInstance, ctx: ServingContext): void {
  const { model } = ctx;
  app.post('/predict', { config: { protocol: 'sluice', endpoint: 'predict' } satisfies RouteConfig }, async (request) => {
    const body = request.body;
    let batch;
    if (typeof body === 'string') batch = csvToBatch(model.signature, body);
    else if (Array.isArray(body)) batch = recordsToBatch(model.signature, body);
    else {
      const extra = body !== null && typeof body === 'object' ? Object.keys(body).find((k) => k !== 'records') : undefined;
      if (body === null || typeof body !== 'object' || extra !== undefined || !Object.hasOwn(body, 'records')) {
        throw new SluiceError('DATA_INVALID', `The body must be {"records": [...]} or a list of records; got ${extra !== undefined ? `a field '${extra}'` : describe(body)}`);
      }
      batch = recordsToBatch(model.signature, (body as { records: unknown }).records);
    }
    const out = await ctx.predict(request, batch);
    return { model: model.name, version: model.version, request_id: request.id, predictions: outputRecords(model.signature, out) };
  });

  app.post('/feedback', { config: { protocol: 'sluice' } satisfies RouteConfig }, async (request) => {
    const items = parseFeedback(request.body);
    await recordFeedback(ctx.store, model.name, items);
    ctx.metrics.feedback(items.length);
    return { recorded: items.length };
  });
}
