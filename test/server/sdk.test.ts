import { afterAll, beforeAll, expect, it } from 'vitest';
import { TrackingApiError, TrackingClient } from '../../src/sdk/index.js';
import { storeBackends } from '../helpers/backends.js';
import { startTestServer, type TestServer } from './_server.js';

let server: TestServer;
let client: TrackingClient;
beforeAll(async () => {
  server = await startTestServer(storeBackends()[0]);
  client = new TrackingClient({ trackingUri: server.url });
});
afterAll(async () => {
  await server?.close();
});

it('the TypeScript client logs, searches, reads history, moves artifacts and registers a model', async () => {
  const experimentId = await client.getOrCreateExperiment('sdk');
  expect(await client.getOrCreateExperiment('sdk')).toBe(experimentId);
  const run = await client.createRun({ experimentId, runName: 'ts', tags: { team: 'ml' } });
  const id = run.info.run_id;
  // 2500 points and 150 params: split into requests within MLflow's limits.
  await client.logBatch(id, {
    metrics: Array.from({ length: 2500 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step })),
    params: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i])),
  });
  await client.logMetrics(id, { auc: 0.9, odd: Number.NaN }, { step: 1 });
  await client.logParam(id, 'lr', 0.1);
  await client.logArtifact(id, 'reports/summary.txt', 'all good');
  await client.endRun(id);

  const got = await client.getRun(id);
  expect(got.info.status).toBe('FINISHED');
  expect(Object.keys(Object.fromEntries((got.data.params ?? []).map((p) => [p.key, p.value])))).toHaveLength(151);
  expect(got.data.metrics?.find((m) => m.key === 'odd')?.value).toBe('NaN');
  expect(await client.getMetricHistory(id, 'loss')).toHaveLength(2500);
  const found = [];
  for await (const r of client.searchAllRuns({ experiment_ids: [experimentId], filter: 'metrics.auc > 0.5', max_results: 1 })) found.push(r.info.run_id);
  expect(found).toEqual([id]);
  expect(new TextDecoder().decode(await client.downloadArtifact(id, 'reports/summary.txt'))).toBe('all good');
  expect(await client.listArtifacts(id)).toEqual([{ path: 'reports', is_dir: true }]);

  await client.createRegisteredModel('sdk-model', { tags: { owner: 'ml' } });
  const mv = await client.createModelVersion('sdk-model', `${got.info.artifact_uri}/model`, { runId: id });
  await client.setAlias('sdk-model', 'champion', mv.version);
  expect((await client.getModelVersionByAlias('sdk-model', 'champion')).version).toBe('1');

  const error = await client.logParam(id, 'lr', 0.2).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TrackingApiError);
  expect(error).toMatchObject({ status: 400, errorCode: 'INVALID_PARAMETER_VALUE' });
});
