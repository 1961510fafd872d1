/** Sluice's own API under /api/v1: JSON in and out, errors as `{"error": {code, message, hint}}`. */
import type { FastifyInstance } from 'fastify';
import { SluiceError, isSluiceError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import type { Route } from '../route.js';

export const V1_PREFIX = '/api/v1';

export async function v1Api(app: FastifyInstance, options: { ctx: ServerContext; routes: Route[] }): Promise<void> {
  const { ctx, routes } = options;
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    const e = isSluiceError(error)
      ? error
      : typeof status === 'number' && status >= 400 && status < 500
        ? new SluiceError('USAGE', error instanceof Error ? error.message : String(error))
        : new SluiceError('INTERNAL', error instanceof Error ? error.message : String(error));
    if (e.status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.code(e.code === 'USAGE' && status ? status : e.status).type('application/json').send(JSON.stringify({ error: e.toJSON() }));
  });
  for (const r of routes) {
    app.route({
      method: r.method,
      url: `${V1_PREFIX}/${r.path}`,
      handler: async (request, reply) => {
        const raw = { ...(request.query as object), ...(request.body && typeof request.body === 'object' ? request.body : {}), ...(request.params as object) };
        const parsed = r.input.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new SluiceError('USAGE', `Invalid value for '${issue.path.join('.')}': ${issue.message}`, { hint: 'See /docs for the parameters of each call.' });
        }
        const result = await r.handler(parsed.data, ctx, request, reply);
        // A streaming route (server-sent events) took over the connection and answers itself.
        if (reply.sent) return reply;
        return reply.type('application/json').send(JSON.stringify(result));
      },
    });
  }
}
