import { afterEach, beforeEach, expect, it } from 'vitest';
import { attachCheckResults, insertCheckResults, insertCiRun, lastRunOnBranch, listCheckResults } from '../../src/ci/records.js';
import type { Store } from '../../src/store/store.js';
import { describeStoreBackends } from '../helpers/backends.js';

describeStoreBackends('CI records', (backend) => {
  let store: Store;
  beforeEach(async () => {
    store = await backend.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const check = (name: string, status: 'passed' | 'failed', startedAt: number) => ({ name, stage: 'check', command: `run ${name}`, status, exitCode: status === 'passed' ? 0 : 1, durationMs: 1234, outputTail: `${name} out`, startedAt });

  it('attaches the results of a commit to a pipeline run once, showing the newest per check', async () => {
    const ctx = { branch: 'feature', commit: 'c1' };
    await insertCheckResults(store.db, { project: 'p', ...ctx, results: [check('lint', 'failed', 1), check('tests', 'passed', 2)], pipelineRunId: null });
    await insertCheckResults(store.db, { project: 'p', ...ctx, results: [check('lint', 'passed', 3)], pipelineRunId: null });
    await insertCheckResults(store.db, { project: 'p', branch: 'feature', commit: 'c2', results: [check('lint', 'failed', 4)], pipelineRunId: null });
    await insertCheckResults(store.db, { project: 'other', ...ctx, results: [check('lint', 'failed', 5)], pipelineRunId: null });
    expect(await attachCheckResults(store.db, { project: 'p', commit: 'c1', pipelineRunId: 'run-1' })).toBe(2);
    const shown = await listCheckResults(store.db, 'run-1');
    expect(shown.map((c) => [c.name, c.status, c.exitCode, c.durationMs, c.startedAt])).toEqual([
      ['tests', 'passed', 0, 1234, 2],
      ['lint', 'passed', 0, 1234, 3],
    ]);
    expect(await attachCheckResults(store.db, { project: 'p', commit: 'c1', pipelineRunId: 'run-2' })).toBe(0);
  });

  it('finds the last run on a branch, not counting the run asking', async () => {
    const figures = (acc: number) => ({ evaluation: 'test', metrics: { accuracy: acc }, fairness: { sex: { equalized_odds_difference: 0.1 } } });
    expect(await lastRunOnBranch(store.db, { project: 'p', branch: 'main' })).toBeUndefined();
    await insertCiRun(store.db, { project: 'p', pipelineRunId: 'r1', branch: 'main', commit: 'a', platform: 'github', pullRequest: null, sampled: false, outcome: 'pass', figures: figures(0.8), createdAt: 1000 });
    await insertCiRun(store.db, { project: 'p', pipelineRunId: 'r2', branch: 'feature', commit: 'b', platform: 'github', pullRequest: '4', sampled: true, outcome: 'fail', figures: figures(0.7), createdAt: 2000 });
    await insertCiRun(store.db, { project: 'p', pipelineRunId: 'r3', branch: 'main', commit: 'c', platform: 'gitlab', pullRequest: null, sampled: false, outcome: 'warn', figures: figures(0.85), createdAt: 3000 });
    expect(await lastRunOnBranch(store.db, { project: 'p', branch: 'main' })).toMatchObject({ pipelineRunId: 'r3', commit: 'c', sampled: false, createdAt: 3000, figures: figures(0.85) });
    expect((await lastRunOnBranch(store.db, { project: 'p', branch: 'main', exclude: 'r3' }))?.pipelineRunId).toBe('r1');
    expect(await lastRunOnBranch(store.db, { project: 'q', branch: 'main' })).toBeUndefined();
    expect(await lastRunOnBranch(store.db, { project: 'p', branch: 'feature' })).toMatchObject({ sampled: true, pullRequest: '4' });
    // Like for like when there is one: a sampled run on main is preferred by a sampled run.
    await insertCiRun(store.db, { project: 'p', pipelineRunId: 'r4', branch: 'main', commit: 'd', platform: 'local', pullRequest: null, sampled: true, outcome: 'pass', figures: figures(0.7), createdAt: 2500 });
    expect((await lastRunOnBranch(store.db, { project: 'p', branch: 'main', sampled: true }))?.pipelineRunId).toBe('r4');
    expect((await lastRunOnBranch(store.db, { project: 'p', branch: 'main', sampled: false }))?.pipelineRunId).toBe('r3');
    expect((await lastRunOnBranch(store.db, { project: 'p', branch: 'feature', sampled: false }))?.pipelineRunId).toBe('r2');
  });
});
