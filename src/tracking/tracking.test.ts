import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStoreBackends } from '../../test/helpers/backends.js';
import type { Store } from '../store/index.js';
import {
  createRun,
  endRun,
  getExperimentByName,
  getMetricHistory,
  getOrCreateExperiment,
  getRun,
  listRuns,
  logArtifact,
  logInputs,
  logMetrics,
  logParams,
  setTags,
  type RunInfo,
} from './index.js';

describeStoreBackends('tracking', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
  async function newRun(options: { experiment?: string; startTime?: number; pipelineRunId?: string } = {}): Promise<RunInfo> {
    const experiment = await getOrCreateExperiment(store.db, options.experiment ?? unique('exp'));
    return createRun(store.db, { experimentId: experiment.experimentId, runName: 'train', ...options });
  }

  it('getOrCreateExperiment returns one experiment per name, even when called at once', async () => {
    const name = unique('exp');
    const all = await Promise.all(Array.from({ length: 10 }, () => getOrCreateExperiment(store.db, name)));
    expect(new Set(all.map((e) => e.experimentId)).size).toBe(1);
    expect(all[0]).toMatchObject({ name, lifecycleStage: 'active' });
    expect(all[0].experimentId).toMatch(/^[1-9]\d{17}$/);
    expect(await getExperimentByName(store.db, name)).toEqual(all[0]);
    expect(await getExperimentByName(store.db, unique('missing'))).toBeUndefined();
  });

  it('createRun makes a RUNNING run with a 32-hex id and an artifact-store URI', async () => {
    const experiment = await getOrCreateExperiment(store.db, unique('exp'));
    const run = await createRun(store.db, {
      experimentId: experiment.experimentId,
      runName: 'train',
      pipelineRunId: 'pr-1',
      stepName: 'train',
      userId: 'ada',
      startTime: 1_700_000_000_000,
    });
    expect(run.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run).toMatchObject({
      experimentId: experiment.experimentId,
      runName: 'train',
      userId: 'ada',
      status: 'RUNNING',
      startTime: 1_700_000_000_000,
      endTime: null,
      artifactUri: `sluice-artifacts:/${run.runId}`,
      pipelineRunId: 'pr-1',
      stepName: 'train',
    });
    await expect(createRun(store.db, { experimentId: '404', runName: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('logParams accepts the same value again and refuses a different one, naming the key', async () => {
    const run = await newRun();
    await logParams(store.db, run.runId, { lr: '0.1', depth: '6' });
    await logParams(store.db, run.runId, { lr: '0.1' });
    const error = await logParams(store.db, run.runId, { batch: '32', lr: '0.2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect((error as Error).message).toContain("Param 'lr'");
    expect((error as Error).message).toContain("'0.1'");
    // The refused call wrote nothing, not even its new key.
    expect((await getRun(store.db, run.runId)).params).toEqual({ depth: '6', lr: '0.1' });
  });

  it('rejects keys MLflow rejects, and writes to unknown runs', async () => {
    const run = await newRun();
    await expect(logParams(store.db, run.runId, { '../escape': '1' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(logMetrics(store.db, run.runId, [{ key: 'bad key!', value: 1 }])).rejects.toMatchObject({ code: 'USAGE' });
    await expect(logMetrics(store.db, run.runId, [{ key: 'auc', value: 1, step: 1.5 }])).rejects.toMatchObject({ code: 'USAGE' });
    await expect(logParams(store.db, 'f'.repeat(32), { a: '1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getMetricHistory(store.db, 'f'.repeat(32), 'auc')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps as latest metric the highest step, then the latest timestamp, then the highest value', async () => {
    const run = await newRun();
    const latest = async () => (await getRun(store.db, run.runId)).metrics;
    await logMetrics(store.db, run.runId, [
      { key: 'loss', value: 0.5, step: 2, timestamp: 100 },
      { key: 'loss', value: 0.9, step: 1, timestamp: 500 }, // later, but a lower step: step dominates
    ]);
    expect((await latest()).loss).toEqual({ key: 'loss', value: 0.5, step: 2, timestamp: 100 });

    // Across calls too: an older step logged later does not replace it.
    await logMetrics(store.db, run.runId, [{ key: 'loss', value: 0.1, step: 1, timestamp: 900 }]);
    expect((await latest()).loss.value).toBe(0.5);

    // Same step: the later timestamp wins, then the higher value.
    await logMetrics(store.db, run.runId, [{ key: 'loss', value: 0.4, step: 2, timestamp: 200 }]);
    expect((await latest()).loss.value).toBe(0.4);
    await logMetrics(store.db, run.runId, [
      { key: 'loss', value: 0.3, step: 2, timestamp: 200 },
      { key: 'loss', value: 0.45, step: 2, timestamp: 200 },
    ]);
    expect((await latest()).loss).toEqual({ key: 'loss', value: 0.45, step: 2, timestamp: 200 });
  });

  it('stores NaN and infinities, and gives NaN back', async () => {
    const run = await newRun();
    await logMetrics(store.db, run.runId, [
      { key: 'auc', value: 0.7, step: 0, timestamp: 1 },
      { key: 'auc', value: Number.NaN, step: 1, timestamp: 2 },
      { key: 'big', value: Number.POSITIVE_INFINITY, step: 0, timestamp: 1 },
      { key: 'small', value: Number.NEGATIVE_INFINITY, step: 0, timestamp: 1 },
    ]);
    const { metrics } = await getRun(store.db, run.runId);
    expect(metrics.auc.value).toBeNaN();
    expect(metrics.big.value).toBe(Number.POSITIVE_INFINITY);
    expect(metrics.small.value).toBe(Number.NEGATIVE_INFINITY);
    const history = await getMetricHistory(store.db, run.runId, 'auc');
    expect(history.map((p) => p.value)).toEqual([0.7, Number.NaN]);
    const stored = await store.db.selectFrom('metrics').select(['value', 'is_nan']).where('run_id', '=', run.runId).where('key', '=', 'auc').orderBy('step').execute();
    expect(stored).toEqual([
      { value: 0.7, is_nan: 0 },
      { value: 0, is_nan: 1 },
    ]);
  });

  it('returns a metric history by step then timestamp, whatever the logging order, identical points once', async () => {
    const run = await newRun();
    await logMetrics(store.db, run.runId, [
      { key: 'acc', value: 3, step: 2, timestamp: 10 },
      { key: 'acc', value: 1, step: 0, timestamp: 30 },
      { key: 'acc', value: 2, step: 1, timestamp: 20 },
      { key: 'acc', value: 4, step: 2, timestamp: 5 },
      { key: 'other', value: 9, step: 0, timestamp: 1 },
    ]);
    await logMetrics(store.db, run.runId, [{ key: 'acc', value: 1, step: 0, timestamp: 30 }]); // identical point
    const history = await getMetricHistory(store.db, run.runId, 'acc');
    expect(history.map((p) => [p.step, p.timestamp, p.value])).toEqual([
      [0, 30, 1],
      [1, 20, 2],
      [2, 5, 4],
      [2, 10, 3],
    ]);
    expect(await getMetricHistory(store.db, run.runId, 'never-logged')).toEqual([]);
  });

  it('logs a batch of 10,000 metric points in one call', async () => {
    const run = await newRun();
    const points = Array.from({ length: 10_000 }, (_, i) => ({ key: i % 2 ? 'train_loss' : 'val_loss', value: 1 / (i + 1), step: i, timestamp: 1_700_000_000_000 + i }));
    const started = performance.now();
    await logMetrics(store.db, run.runId, points);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(20_000);
    const history = await getMetricHistory(store.db, run.runId, 'train_loss');
    expect(history).toHaveLength(5_000);
    expect(history.at(-1)).toEqual({ key: 'train_loss', value: 1 / 10_000, step: 9_999, timestamp: 1_700_000_009_999 });
    expect((await getRun(store.db, run.runId)).metrics.val_loss.step).toBe(9_998);
  });

  it('rolls back a failed metric batch entirely', async () => {
    const run = await newRun();
    await expect(
      logMetrics(store.db, run.runId, [
        { key: 'ok', value: 1 },
        { key: 'bad', value: 'x' as unknown as number },
      ]),
    ).rejects.toMatchObject({ code: 'USAGE' });
    expect(await getMetricHistory(store.db, run.runId, 'ok')).toEqual([]);
  });

  it('setTags overwrites, logArtifact replaces by path, logInputs ignores repeats', async () => {
    const run = await newRun();
    await setTags(store.db, run.runId, { team: 'risk', stage: 'dev' });
    await setTags(store.db, run.runId, { stage: 'prod' });
    await logArtifact(store.db, run.runId, { path: 'model/model.onnx', digest: 'sha256:aa', size: 10 });
    await logArtifact(store.db, run.runId, { path: 'model/model.onnx', digest: 'sha256:bb', size: 12 });
    await logArtifact(store.db, run.runId, { path: 'report.html', digest: 'sha256:cc', size: 3 });
    await logInputs(store.db, run.runId, [
      { datasetId: 'ds-1', context: 'training' },
      { datasetId: 'ds-2', context: 'validation' },
    ]);
    await logInputs(store.db, run.runId, [{ datasetId: 'ds-1', context: 'training' }]);
    const got = await getRun(store.db, run.runId);
    expect(got.tags).toEqual({ stage: 'prod', team: 'risk' });
    expect(got.artifacts).toEqual([
      { path: 'model/model.onnx', digest: 'sha256:bb', size: 12 },
      { path: 'report.html', digest: 'sha256:cc', size: 3 },
    ]);
    expect(got.inputs).toEqual([
      { datasetId: 'ds-1', context: 'training' },
      { datasetId: 'ds-2', context: 'validation' },
    ]);
    await expect(logArtifact(store.db, run.runId, { path: '../x', digest: 'd', size: 1 })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(logArtifact(store.db, run.runId, { path: '/etc/passwd', digest: 'd', size: 1 })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('endRun records the end status and time', async () => {
    const run = await newRun();
    await endRun(store.db, run.runId, 'FINISHED', 1_800_000_000_000);
    expect((await getRun(store.db, run.runId)).info).toMatchObject({ status: 'FINISHED', endTime: 1_800_000_000_000 });
    await expect(endRun(store.db, run.runId, 'RUNNING')).rejects.toMatchObject({ code: 'USAGE' });
    await expect(endRun(store.db, 'e'.repeat(32), 'FAILED')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('listRuns lists newest first, filtered by experiment or pipeline run, up to a limit', async () => {
    const experiment = unique('exp');
    const pipelineRunId = unique('pr');
    const old = await newRun({ experiment, startTime: 1000 });
    const mid = await newRun({ experiment, startTime: 2000, pipelineRunId });
    const recent = await newRun({ experiment, startTime: 3000, pipelineRunId });
    const experimentId = old.experimentId;
    expect((await listRuns(store.db, { experimentId })).map((r) => r.runId)).toEqual([recent.runId, mid.runId, old.runId]);
    expect((await listRuns(store.db, { pipelineRunId })).map((r) => r.runId)).toEqual([recent.runId, mid.runId]);
    expect((await listRuns(store.db, { experimentId, limit: 1 })).map((r) => r.runId)).toEqual([recent.runId]);
    await expect(listRuns(store.db, { limit: 0 })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('joins a caller transaction: a rollback undoes params and metrics logged inside it', async () => {
    const run = await newRun();
    await expect(
      store.transaction(async (trx) => {
        await logParams(trx, run.runId, { lr: '0.1' });
        await logMetrics(trx, run.runId, [{ key: 'auc', value: 0.9 }]);
        throw new Error('step failed');
      }),
    ).rejects.toThrow('step failed');
    const got = await getRun(store.db, run.runId);
    expect(got.params).toEqual({});
    expect(got.metrics).toEqual({});
  });
});
