/** MLflow's run calls: create, read, update, delete, log, search, history, artifact listing. */
import { randomUUID } from 'node:crypto';
import {
  createRun,
  deleteRun,
  deleteTag,
  getExperiment,
  getMetricHistoryPage,
  getRun,
  getRunInfo,
  listArtifacts,
  listDatasetInputs,
  logBatch,
  logDatasetInputs,
  logMetrics,
  logParams,
  recordLoggedModel,
  restoreRun,
  RUN_NAME_TAG,
  searchRuns,
  setTags,
  updateRun,
} from '../../tracking/index.js';
import type { Db } from '../../store/index.js';
import { route, type Route } from '../route.js';
import { experimentArtifactLocation, runArtifactUri } from './artifact-uris.js';
import { MlflowError } from './errors.js';
import { renderMetric, renderRun, renderRunInfo } from './render.js';
import { randomRunName } from './run-name.js';
import * as s from './schemas.js';

const tag = 'Runs';

/** `run_uuid` is MLflow's old name for `run_id`; `run_id` wins when both are sent. */
function runIdOf(i: { run_id?: string; run_uuid?: string }): string {
  const id = i.run_id || i.run_uuid;
  if (!id) throw new MlflowError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.");
  return id;
}

async function fullRun(db: Db, runId: string) {
  const [run, inputs] = await Promise.all([getRun(db, runId), listDatasetInputs(db, [runId])]);
  return renderRun(run, inputs.get(runId));
}

export const runRoutes: Route[] = [
  route({
    method: 'POST',
    path: 'runs/create',
    tag,
    summary: 'Create a run in an experiment (default "0").',
    input: s.CreateRun,
    output: s.RunResponse,
    handler: (i, ctx) =>
      ctx.store.transaction(async (trx) => {
        const experiment = await getExperiment(trx, i.experiment_id ?? '0');
        const tags = Object.fromEntries((i.tags ?? []).map((t) => [t.key, t.value]));
        const runName = i.run_name || tags[RUN_NAME_TAG] || randomRunName();
        const runId = randomUUID().replaceAll('-', '');
        const location = experimentArtifactLocation(experiment.experimentId, experiment.artifactLocation).replace(/\/+$/, '');
        await createRun(trx, {
          experimentId: experiment.experimentId,
          runName,
          runId,
          userId: i.user_id ?? tags['mlflow.user'] ?? '',
          startTime: i.start_time,
          artifactUri: `${location}/${runId}/artifacts`,
        });
        await setTags(trx, runId, { ...tags, [RUN_NAME_TAG]: runName });
        return { run: await fullRun(trx, runId) };
      }),
  }),
  route({
    method: 'POST',
    path: 'runs/update',
    tag,
    summary: 'Update the status, end time or name of a run.',
    input: s.UpdateRun,
    output: s.UpdateRunResponse,
    handler: async (i, ctx) => ({
      run_info: renderRunInfo(await updateRun(ctx.store.db, runIdOf(i), { status: i.status, endTime: i.end_time, runName: i.run_name })),
    }),
  }),
  route({
    method: 'POST',
    path: 'runs/delete',
    tag,
    summary: 'Mark a run deleted (restorable).',
    input: s.RunId,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteRun(ctx.store.db, i.run_id), {}),
  }),
  route({
    method: 'POST',
    path: 'runs/restore',
    tag,
    summary: 'Restore a deleted run.',
    input: s.RunId,
    output: s.Empty,
    handler: async (i, ctx) => (await restoreRun(ctx.store.db, i.run_id), {}),
  }),
  route({
    method: 'GET',
    path: 'runs/get',
    tag,
    summary: 'Get a run: info, latest metrics, params, tags and dataset inputs.',
    input: s.GetRun,
    output: s.RunResponse,
    handler: async (i, ctx) => ({ run: await fullRun(ctx.store.db, runIdOf(i)) }),
  }),
  route({
    method: 'POST',
    path: 'runs/search',
    tag,
    summary: 'Search runs with the filter grammar, order_by and page tokens.',
    input: s.SearchRuns,
    output: s.SearchRunsResponse,
    handler: async (i, ctx) => {
      const page = await searchRuns(ctx.store.db, {
        experimentIds: i.experiment_ids ?? [],
        filter: i.filter,
        viewType: i.run_view_type,
        maxResults: i.max_results,
        orderBy: i.order_by,
        pageToken: i.page_token,
      });
      const inputs = await listDatasetInputs(ctx.store.db, page.runs.map((r) => r.info.runId));
      return { runs: page.runs.map((r) => renderRun(r, inputs.get(r.info.runId))), next_page_token: page.nextPageToken };
    },
  }),
  route({
    method: 'POST',
    path: 'runs/log-metric',
    tag,
    summary: 'Log one metric point (appended to its history).',
    input: s.LogMetric,
    output: s.Empty,
    handler: async (i, ctx) => (await logMetrics(ctx.store.db, runIdOf(i), [{ key: i.key, value: i.value, timestamp: i.timestamp, step: i.step ?? 0 }]), {}),
  }),
  route({
    method: 'POST',
    path: 'runs/log-parameter',
    tag,
    summary: 'Log a param: write-once; the same value again is accepted.',
    input: s.LogParam,
    output: s.Empty,
    handler: async (i, ctx) => (await logParams(ctx.store.db, runIdOf(i), { [i.key]: i.value }), {}),
  }),
  route({
    method: 'POST',
    path: 'runs/set-tag',
    tag,
    summary: 'Set a run tag (last write wins).',
    input: s.SetTag,
    output: s.Empty,
    handler: async (i, ctx) => (await setTags(ctx.store.db, runIdOf(i), { [i.key]: i.value }), {}),
  }),
  route({
    method: 'POST',
    path: 'runs/delete-tag',
    tag,
    summary: 'Delete a run tag.',
    input: s.DeleteTag,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteTag(ctx.store.db, i.run_id, i.key), {}),
  }),
  route({
    method: 'POST',
    path: 'runs/log-batch',
    tag,
    summary: 'Log up to 1000 metrics, 100 params and 100 tags in one transaction.',
    input: s.LogBatch,
    output: s.Empty,
    handler: async (i, ctx) => {
      await logBatch(ctx.store.db, i.run_id, {
        metrics: i.metrics?.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step ?? 0 })),
        params: i.params,
        tags: i.tags,
      });
      return {};
    },
  }),
  route({
    method: 'POST',
    path: 'runs/log-model',
    tag,
    summary: 'Record a logged model (MLmodel as JSON) in the mlflow.log-model.history tag.',
    input: s.LogModel,
    output: s.Empty,
    handler: async (i, ctx) => (await recordLoggedModel(ctx.store.db, i.run_id, i.model_json), {}),
  }),
  route({
    method: 'POST',
    path: 'runs/log-inputs',
    tag,
    summary: 'Record the datasets a run read.',
    input: s.LogInputs,
    output: s.Empty,
    bodyLimit: 20_000_000,
    handler: async (i, ctx) => {
      const inputs = (i.datasets ?? []).map((d) => ({
        dataset: { name: d.dataset.name, digest: d.dataset.digest, sourceType: d.dataset.source_type, source: d.dataset.source, schema: d.dataset.schema, profile: d.dataset.profile },
        tags: Object.fromEntries((d.tags ?? []).map((t) => [t.key, t.value])),
      }));
      await logDatasetInputs(ctx.store.db, i.run_id, inputs);
      return {};
    },
  }),
  route({
    method: 'GET',
    path: 'metrics/get-history',
    tag,
    summary: 'Every point of one metric of a run, by step then timestamp; paged when max_results is given.',
    input: s.GetMetricHistory,
    output: s.MetricHistoryResponse,
    handler: async (i, ctx) => {
      const page = await getMetricHistoryPage(ctx.store.db, runIdOf(i), i.metric_key, { maxResults: i.max_results, pageToken: i.page_token });
      return { metrics: page.points.map(renderMetric), next_page_token: page.nextPageToken };
    },
  }),
  route({
    method: 'GET',
    path: 'artifacts/list',
    tag,
    summary: "List the files and folders directly inside a folder of a run's artifacts.",
    input: s.ListArtifacts,
    output: s.ListArtifactsResponse,
    handler: async (i, ctx) => {
      const runId = runIdOf(i);
      const info = await getRunInfo(ctx.store.db, runId);
      const entries = await listArtifacts(ctx.store.db, runId, (i.path ?? '').replace(/^\/+/, ''));
      return { root_uri: runArtifactUri(info), files: entries.map((e) => ({ path: e.path, is_dir: e.isDir, file_size: e.fileSize })) };
    },
  }),
];
