/**
 * The OpenAPI 3.1 document of the server, generated from the same route objects (and zod
 * schemas) that register and validate the routes, so it cannot drift from what is served.
 */
import { z } from 'zod';
import { MlflowErrorBody } from './mlflow/schemas.js';
import type { Route } from './route.js';
import { ErrorBody } from './v1/schemas.js';

export interface Api {
  prefix: string;
  routes: Route[];
  /** The error body this API answers with. */
  error: 'mlflow' | 'sluice';
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

export function openApiDocument(apis: Api[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const api of apis) {
    for (const r of api.routes) {
      const path = `${api.prefix}/${r.path}`.replace(/:(\w+)/g, '{$1}');
      const pathParams = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const input = schemaOf(r.input, 'input');
      const operation: Record<string, unknown> = {
        operationId: `${r.method.toLowerCase()}_${path.replace(/[^\w]+/g, '_').replace(/^_|_$/g, '')}`,
        summary: r.summary,
        tags: [r.tag],
        responses: {
          '200': { description: 'OK', content: { [r.contentType ?? 'application/json']: { schema: schemaOf(r.output, 'output') } } },
          default: {
            description: api.error === 'mlflow' ? 'MLflow error: 400 INVALID_PARAMETER_VALUE, 404 RESOURCE_DOES_NOT_EXIST, 413 body too large, …' : 'Sluice error',
            content: { 'application/json': { schema: { $ref: api.error === 'mlflow' ? '#/components/schemas/MlflowError' : '#/components/schemas/SluiceError' } } },
          },
        },
      };
      const properties = input.properties ?? {};
      const required = new Set(input.required ?? []);
      const inQuery = r.method === 'GET';
      const parameters = Object.entries(properties)
        .filter(([name]) => inQuery || pathParams.includes(name))
        .map(([name, schema]) => ({ name, in: pathParams.includes(name) ? 'path' : 'query', required: pathParams.includes(name) || required.has(name), schema }));
      if (parameters.length) operation.parameters = parameters;
      if (!inQuery) {
        const body = { ...input, properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !pathParams.includes(name))) };
        operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
      }
      (paths[path] ??= {})[r.method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sluice API',
      version,
      description:
        "Sluice's own API (/api/v1) and the MLflow tracking and registry REST API (/api/2.0/mlflow, also served under /ajax-api/2.0/mlflow). " +
        'Artifacts are uploaded and downloaded through /api/2.0/mlflow-artifacts/artifacts/<experiment_id>/<run_id>/artifacts/<path> (PUT, GET, DELETE; GET …/artifacts?path= lists).',
    },
    paths,
    components: { schemas: { MlflowError: schemaOf(MlflowErrorBody, 'output'), SluiceError: schemaOf(ErrorBody, 'output') } },
  };
}
