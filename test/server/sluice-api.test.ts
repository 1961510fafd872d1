import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerModelVersion } from '../../src/registry/index.js';
import { storeBackends } from '../helpers/backends.js';
import { call, startTestServer, type TestServer } from './_server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(storeBackends()[0]);
});
afterAll(async () => {
  await server?.close();
});

it('serves an OpenAPI 3.1 document of every route, a reference page and a health check', async () => {
  const doc = (await call(server, 'GET', '/openapi.json')).body;
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/pipeline-runs/{ref}', '/api/2.0/mlflow/runs/log-batch', '/api/2.0/mlflow/registered-models/alias']));
  const logBatch = doc.paths['/api/2.0/mlflow/runs/log-batch'].post;
  expect(logBatch.requestBody.content['application/json'].schema.properties.metrics).toMatchObject({ type: 'array', maxItems: 1000 });
  expect(doc.paths['/api/2.0/mlflow/metrics/get-history'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['run_id', 'metric_key']));
  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops as Record<string, { operationId: string }>).map((o) => o.operationId));
  expect(new Set(ids).size).toBe(ids.length);
  const page = await fetch(`${server.url}/docs`);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('/openapi.json');
  expect(await (await fetch(`${server.url}/health`)).text()).toBe('OK');
});

it('/api/v1 lists and shows models, versions and history, with Sluice error bodies', async () => {
  await registerModelVersion(server.store, { name: 'income', runId: null, source: 'b'.repeat(64), datasets: { train: 'ds-1' }, params: {}, metrics: { auc: 0.9 }, gates: [], actor: 'ci' });
  const models = await call(server, 'GET', '/api/v1/models');
  expect(models.body.models).toEqual([expect.objectContaining({ name: 'income', latestVersion: 1 })]);
  const version = await call(server, 'GET', '/api/v1/models/income/versions/latest');
  expect(version.body.version).toMatchObject({ version: 1, metrics: { auc: 0.9 }, datasets: { train: 'ds-1' } });
  expect((await call(server, 'GET', '/api/v1/models/income/history')).body.events[0]).toMatchObject({ action: 'register', actor: 'ci' });
  expect((await call(server, 'GET', '/api/v1/pipeline-runs')).body).toEqual({ pipeline_runs: [] });
  expect((await call(server, 'GET', '/api/v1/datasets?limit=5')).body).toEqual({ dataset_versions: [] });
  expect(await call(server, 'GET', '/api/v1/models/nope/versions')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  expect(await call(server, 'GET', '/api/v1/pipeline-runs?limit=0')).toMatchObject({ status: 400, body: { error: { code: 'USAGE' } } });
  expect(await call(server, 'GET', '/api/v1/nothing')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
});
