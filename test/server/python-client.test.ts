import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { trackingEnvFor } from '../../src/server/index.js';
import { createRun, getMetricHistory, getOrCreateExperiment, getRun } from '../../src/tracking/index.js';
import { describeStoreBackends } from '../helpers/backends.js';
import { repoRoot } from '../helpers/cli.js';
import { startTestServer, type TestServer } from './_server.js';

const SCRIPT = fileURLToPath(new URL('./mlflow_client.py', import.meta.url));
const EXAMPLE = `${repoRoot}/examples/mlflow-command`;
const PYTHON = process.env.PYTHON ?? 'python3';
const probe = spawnSync(PYTHON, ['-c', 'import mlflow; print(mlflow.__version__)'], { encoding: 'utf8' });
const missing = probe.status === 0 ? undefined : `the Python mlflow client is not installed (${PYTHON}); install it with: bash scripts/ci/python.sh`;
if (missing && !process.env.CI) console.warn(`\n[python client test] skipped: ${missing}\n`);

describeStoreBackends('the real mlflow Python client', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  const runPython = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(PYTHON, args, { env: { ...process.env, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${args[0]} exited with ${code}:\n${stderr.slice(-4000)}`))));
    });

  it.skipIf(missing !== undefined && !process.env.CI)("a command step's script logs into the step's tracking run with trackingEnvFor()", async () => {
    if (missing) throw new Error(missing);
    // What the pipeline does for a command step: a tracking run, and its environment for the process.
    const experiment = await getOrCreateExperiment(server.store.db, 'mlflow-command');
    const run = await createRun(server.store.db, { experimentId: experiment.experimentId, runName: 'fit', stepName: 'fit' });
    const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp(`${process.env.TMPDIR ?? '/tmp'}/sluice-step-`));
    await runPython([`${EXAMPLE}/train.py`], { ...trackingEnvFor(run.runId, server.url), SLUICE_PROJECT_DIR: EXAMPLE, SLUICE_OUTPUT_MODEL: `${dir}/model.json`, EPOCHS: '20' });
    const logged = await getRun(server.store.db, run.runId);
    expect(logged.params).toMatchObject({ epochs: '20', learning_rate: '0.05', rows: '200' });
    expect(logged.metrics.rmse.value).toBeLessThan(1);
    expect(logged.tags.trainer).toBe('train.py');
    expect(logged.artifacts.map((a) => a.path)).toEqual(['model/model.json']);
    expect((await getMetricHistory(server.store.db, run.runId, 'loss')).map((p) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(logged.info.status).toBe('FINISHED');
    await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
  });

  it.skipIf(missing !== undefined && !process.env.CI)('logs, searches, downloads and registers through MLFLOW_TRACKING_URI alone', async () => {
    // In CI a missing client is a failure, not a skip: CI must prove compatibility.
    if (missing) throw new Error(missing);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(PYTHON, [SCRIPT], { env: { ...process.env, MLFLOW_TRACKING_URI: server.url, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`mlflow_client.py exited with ${code}:\n${stderr.slice(-4000)}`))));
    });
    const seen = JSON.parse(output.trim().split('\n').pop()!);
    expect(seen).toMatchObject({
      status: 'FINISHED',
      params: { lr: '0.1', depth: '6' },
      metrics: { auc: 0.91, acc: 0.87, loss: 0.2 },
      tags: { team: 'ml', stage: 'dev', 'mlflow.runName': 'py-train' },
      search: [seen.run_id],
      ordered: [0.7, 0.91],
      history: [
        [0, 1],
        [1, 0.5],
        [2, 1 / 3],
        [3, 0.25],
        [4, 0.2],
      ],
      artifacts: ['config', 'model', 'notes'],
      model_files: ['model/MLmodel', 'model/weights.bin'],
      downloaded: 'hello sluice\n',
      version: '1',
      version_run: seen.run_id,
      alias_version: '1',
      alias_tags: { validated: 'true' },
      model_aliases: { champion: '1' },
      found: ['py-model'],
      versions: ['1'],
      param_conflict: 'INVALID_PARAMETER_VALUE',
    });
    expect(seen.model_dir_files).toEqual(expect.arrayContaining(['MLmodel', 'weights.bin']));
    // The same version through Sluice's own API.
    const sluice = await (await fetch(`${server.url}/api/v1/models/py-model/versions/champion`)).json();
    expect(sluice.version).toMatchObject({ name: 'py-model', version: 1, runId: seen.run_id, aliases: ['champion'], tags: { validated: 'true' } });
  });
});
