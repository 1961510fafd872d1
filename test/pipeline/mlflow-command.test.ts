/**
 * A command step logs with the real `mlflow` Python client into the tracking run Sluice gave it:
 * `sluice run` sets MLFLOW_TRACKING_URI (a tracking server on loopback for the run) and
 * MLFLOW_RUN_ID. CI installs mlflow-skinny (scripts/ci/python.sh); elsewhere it is skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { getMetricHistory, getRun, listRuns } from '../../src/tracking/index.js';
import { repoRoot, sluiceJson, tempDir } from '../helpers/cli.js';

const hasMlflow = spawnSync('python3', ['-c', 'import mlflow']).status === 0;

describe('command steps and the MLflow client', () => {
  it.skipIf(!hasMlflow && !process.env.CI)("a Python step's params, metric history and artifact land in its tracking run", async () => {
    if (!hasMlflow) throw new Error('CI needs the mlflow client: run scripts/ci/python.sh');
    const dir = tempDir('sluice-mlflow-');
    cpSync(join(repoRoot, 'examples', 'mlflow-command'), dir, { recursive: true });
    const r = sluiceJson<{ runId: string; errors: unknown[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    const store = await openStore({ workspace: join(dir, '.sluice') });
    try {
      const [info] = await listRuns(store.db, { pipelineRunId: r.data.runId });
      expect(info.stepName).toBe('fit');
      const run = await getRun(store.db, info.runId);
      expect(run.info.status).toBe('FINISHED');
      expect(Object.keys(run.params).length).toBeGreaterThan(0);
      expect(run.metrics.rmse.value).toBeLessThan(1);
      expect((await getMetricHistory(store.db, info.runId, 'loss')).length).toBeGreaterThan(10);
      expect(run.artifacts.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
