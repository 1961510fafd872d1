/** MLflow's experiment calls. */
import {
  createExperiment,
  deleteExperiment,
  deleteExperimentTag,
  getExperiment,
  getExperimentByName,
  renameExperiment,
  restoreExperiment,
  searchExperiments,
  setExperimentTag,
} from '../../tracking/index.js';
import { route, type Route } from '../route.js';
import { MlflowError } from './errors.js';
import { renderExperiment } from './render.js';
import * as s from './schemas.js';

const tag = 'Experiments';

export const experimentRoutes: Route[] = [
  route({
    method: 'POST',
    path: 'experiments/create',
    tag,
    summary: 'Create an experiment; RESOURCE_ALREADY_EXISTS if the name is taken.',
    input: s.CreateExperiment,
    output: s.CreateExperimentResponse,
    handler: async (i, ctx) => ({
      experiment_id: await createExperiment(ctx.store.db, i.name, {
        artifactLocation: i.artifact_location,
        tags: Object.fromEntries((i.tags ?? []).map((t) => [t.key, t.value])),
      }),
    }),
  }),
  ...(['GET', 'POST'] as const).map((method) =>
    route({
      method,
      path: 'experiments/search',
      tag,
      summary: 'Search experiments by name, times and tags, with order_by and page tokens.',
      input: s.SearchExperiments,
      output: s.SearchExperimentsResponse,
      handler: async (i, ctx) => {
        const page = await searchExperiments(ctx.store.db, {
          filter: i.filter,
          orderBy: i.order_by,
          maxResults: i.max_results,
          pageToken: i.page_token,
          viewType: i.view_type,
        });
        return { experiments: page.experiments.map(renderExperiment), next_page_token: page.nextPageToken };
      },
    }),
  ),
  route({
    method: 'GET',
    path: 'experiments/get',
    tag,
    summary: 'Get an experiment by id.',
    input: s.GetExperiment,
    output: s.ExperimentResponse,
    handler: async (i, ctx) => ({ experiment: renderExperiment(await getExperiment(ctx.store.db, i.experiment_id)) }),
  }),
  route({
    method: 'GET',
    path: 'experiments/get-by-name',
    tag,
    summary: 'Get an experiment by name.',
    input: s.GetExperimentByName,
    output: s.ExperimentResponse,
    handler: async (i, ctx) => {
      const experiment = await getExperimentByName(ctx.store.db, i.experiment_name);
      if (!experiment) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${i.experiment_name}'`);
      return { experiment: renderExperiment(experiment) };
    },
  }),
  route({
    method: 'POST',
    path: 'experiments/delete',
    tag,
    summary: 'Mark an experiment and its runs deleted (restorable).',
    input: s.ExperimentId,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteExperiment(ctx.store.db, i.experiment_id), {}),
  }),
  route({
    method: 'POST',
    path: 'experiments/restore',
    tag,
    summary: 'Restore a deleted experiment and its runs.',
    input: s.ExperimentId,
    output: s.Empty,
    handler: async (i, ctx) => (await restoreExperiment(ctx.store.db, i.experiment_id), {}),
  }),
  route({
    method: 'POST',
    path: 'experiments/update',
    tag,
    summary: 'Rename an experiment.',
    input: s.UpdateExperiment,
    output: s.Empty,
    handler: async (i, ctx) => (await renameExperiment(ctx.store.db, i.experiment_id, i.new_name), {}),
  }),
  route({
    method: 'POST',
    path: 'experiments/set-experiment-tag',
    tag,
    summary: 'Set a tag on an experiment.',
    input: s.SetExperimentTag,
    output: s.Empty,
    handler: async (i, ctx) => (await setExperimentTag(ctx.store.db, i.experiment_id, i.key, i.value), {}),
  }),
  route({
    method: 'POST',
    path: 'experiments/delete-experiment-tag',
    tag,
    summary: 'Delete a tag of an experiment.',
    input: s.DeleteExperimentTag,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteExperimentTag(ctx.store.db, i.experiment_id, i.key), {}),
  }),
];
