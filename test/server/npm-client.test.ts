/**
 * The npm `mlflow` client (2.0.7, a 1.x-era API) against Sluice's server, for what it covers:
 * experiments, runs, params, metrics with steps, tags, batches, search, history, and the error
 * shape it parses. Its known bugs (a typo'd set-experiment-tag path, a removed experiments/list
 * route) are asserted as the errors they produce, not emulated.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { storeBackends } from '../helpers/backends.js';
import { startTestServer, type TestServer } from './_server.js';

interface Client {
  Experiments: Record<string, (args?: Record<string, unknown>) => Promise<Record<string, unknown>>>;
  Runs: Record<string, (args: Record<string, unknown>) => Promise<Record<string, unknown>>>;
  Metrics: Record<string, (args: Record<string, unknown>) => Promise<Record<string, unknown>>>;
}
const MLflow = createRequire(import.meta.url)('mlflow') as new (args: { endpoint: string }) => Client;

for (const backend of storeBackends()) {
  describe.skipIf(!!backend.skip)(`npm mlflow client on ${backend.name}`, () => {
    let server: TestServer;
    let client: Client;
    beforeAll(async () => {
      server = await startTestServer(backend);
      client = new MLflow({ endpoint: server.url });
      vi.spyOn(console, 'log').mockImplementation(() => {}); // the client logs every POST body
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await server?.close();
    });

    it('logs a run with params, stepped metrics, tags and a batch, and reads it back', async () => {
      const { experiment_id } = await client.Experiments.create({ name: 'npm-client' });
      const got = await client.Experiments.get({ experiment_id });
      expect((got.experiment as { name: string }).name).toBe('npm-client');
      const { run } = await client.Runs.create({ experiment_id, start_time: Date.now(), tags: [{ key: 'team', value: 'ml' }] });
      const runId = (run as { info: { run_id: string } }).info.run_id;
      await client.Runs.logParameter({ run_id: runId, key: 'lr', value: '0.1' });
      for (let step = 0; step < 5; step++) await client.Runs.logMetric({ run_id: runId, key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step });
      await client.Runs.setTag({ run_id: runId, key: 'stage', value: 'dev' });
      await client.Runs.logBatch({ run_id: runId, metrics: [{ key: 'auc', value: 0.91, timestamp: Date.now(), step: 0 }], params: [{ key: 'depth', value: '6' }], tags: [] });
      await client.Runs.update({ run_id: runId, status: 'FINISHED', end_time: Date.now() });

      const read = (await client.Runs.get({ run_id: runId })).run as { info: { status: string }; data: { params: { key: string; value: string }[]; tags: { key: string }[] } };
      expect(read.info.status).toBe('FINISHED');
      expect(read.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.1' }, { key: 'depth', value: '6' }]));
      expect(read.data.tags.map((t) => t.key)).toEqual(expect.arrayContaining(['team', 'stage']));
      const history = (await client.Metrics.getHistory({ run_id: runId, metric_key: 'loss' })).metrics as { step: number }[];
      expect(history.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
      const found = (await client.Runs.search({ experiment_ids: [experiment_id], filter: 'metrics.auc > 0.9' })).runs as unknown[];
      expect(found).toHaveLength(1);
    });

    it('gets MLflow errors in the shape it parses, and its known bugs fail as 404s', async () => {
      const missing = await client.Runs.get({ run_id: 'f'.repeat(32) }).catch((e: Error) => e);
      const parsed = JSON.parse((missing as Error).message.replace(/^Error: /, '')) as { status: number; data: { error_code: string } };
      expect(parsed.status).toBe(404);
      expect(parsed.data.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      const typo = await client.Experiments.setExperimentTag({ experiment_id: '1', key: 'k', value: 'v' }).catch((e: Error) => e);
      expect((typo as Error).message).toContain('"status":404');
      const list = await client.Experiments.list().catch((e: Error) => e);
      expect((list as Error).message).toContain('"status":404');
    });
  });
}
