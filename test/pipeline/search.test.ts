/** Hyperparameter search as a pipeline step: each trial a child tracking run, the best one kept. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { getRun, listRuns } from '../../src/tracking/index.js';
import { incomeProject, sluiceJson } from '../helpers/cli.js';

describe('search steps', () => {
  it('runs a grid, records every trial under the search run, and keeps the best model', async () => {
    const dir = incomeProject();
    const path = join(dir, 'sluice.yaml');
    const yaml = readFileSync(path, 'utf8')
      .replace(/register:[\s\S]*$/, '')
      .replace(/gates:\n[\s\S]*?\n\n/, '')
      .replace(
        '  test:\n    kind: evaluate\n    model: train',
        `  tune:
    kind: search
    trainer: gbdt
    train: split.train
    validation: split.validation
    target: income
    positive: ">50K"
    exclude: [fnlwgt]
    params: { max_iter: 30 }
    space: { learning_rate: [0.05, 0.3], max_leaf_nodes: [7, 31] }
    metric: validation_roc_auc
  test:
    kind: evaluate
    model: tune`,
      );
    writeFileSync(path, yaml);
    const r = sluiceJson<{ status: string; runId: string; errors: unknown[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);

    const store = await openStore({ workspace: join(dir, '.sluice') });
    try {
      const runs = await listRuns(store.db, { pipelineRunId: r.data.runId });
      const parent = runs.find((x) => x.runName.startsWith('tune-') && !x.runName.includes('trial'));
      expect(parent).toBeDefined();
      const trials = [];
      for (const t of runs.filter((x) => x.runName.includes('-trial-'))) trials.push(await getRun(store.db, t.runId));
      expect(trials).toHaveLength(4);
      for (const t of trials) expect(t.tags['mlflow.parentRunId']).toBe(parent?.runId);
      const scores = trials.map((t) => t.metrics.validation_roc_auc.value);
      const best = trials.find((t) => t.tags['sluice.best_trial'] === 'true');
      expect(best?.metrics.validation_roc_auc.value).toBe(Math.max(...scores));
      const searchRun = await getRun(store.db, parent!.runId);
      expect(searchRun.params.learning_rate).toBe(best?.params.learning_rate);
      expect(searchRun.params.max_leaf_nodes).toBe(best?.params.max_leaf_nodes);
      expect(searchRun.metrics.trials.value).toBe(4);
    } finally {
      await store.close();
    }
  });
});
