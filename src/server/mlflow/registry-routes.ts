/** MLflow's model registry calls, over Sluice's one registry: a model registered through either API shows in both. */
import {
  createModelVersion,
  createRegisteredModel,
  deleteAlias,
  deleteModelVersion,
  deleteModelVersionTag,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  getLatestVersions,
  getModelVersion,
  getRegisteredModel,
  renameRegisteredModel,
  searchModelVersions,
  searchRegisteredModels,
  setAlias,
  setModelVersionTag,
  setRegisteredModelTag,
  transitionModelVersionStage,
  updateModelVersion,
  updateRegisteredModel,
  type RegisteredModel,
} from '../../registry/index.js';
import type { Db } from '../../store/index.js';
import { route, type Route } from '../route.js';
import { modelSource } from './artifact-uris.js';
import { renderModelVersion, renderRegisteredModel } from './render.js';
import * as s from './schemas.js';

const models = 'Registered models';
const versions = 'Model versions';

async function rendered(db: Db, model: RegisteredModel) {
  return renderRegisteredModel(model, await getLatestVersions(db, model.name));
}

export const registryRoutes: Route[] = [
  route({
    method: 'POST',
    path: 'registered-models/create',
    tag: models,
    summary: 'Create a registered model; RESOURCE_ALREADY_EXISTS if the name is taken.',
    input: s.CreateRegisteredModel,
    output: s.RegisteredModelResponse,
    handler: async (i, ctx) => {
      const tags = Object.fromEntries((i.tags ?? []).map((t) => [t.key, t.value]));
      const model = await createRegisteredModel(ctx.store.db, { name: i.name, description: i.description, tags, actor: ctx.actor });
      return { registered_model: await rendered(ctx.store.db, model) };
    },
  }),
  route({
    method: 'POST',
    path: 'registered-models/rename',
    tag: models,
    summary: 'Rename a registered model, with its versions, aliases, tags and history.',
    input: s.RenameRegisteredModel,
    output: s.RegisteredModelResponse,
    handler: async (i, ctx) => {
      const model = await renameRegisteredModel(ctx.store.db, { name: i.name, newName: i.new_name, actor: ctx.actor });
      return { registered_model: await rendered(ctx.store.db, model) };
    },
  }),
  route({
    method: 'PATCH',
    path: 'registered-models/update',
    tag: models,
    summary: "Change a registered model's description.",
    input: s.UpdateRegisteredModel,
    output: s.RegisteredModelResponse,
    handler: async (i, ctx) => {
      const model = await updateRegisteredModel(ctx.store.db, { name: i.name, description: i.description ?? '', actor: ctx.actor });
      return { registered_model: await rendered(ctx.store.db, model) };
    },
  }),
  route({
    method: 'DELETE',
    path: 'registered-models/delete',
    tag: models,
    summary: 'Delete a registered model and its versions (its history stays).',
    input: s.ModelName,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteRegisteredModel(ctx.store.db, { name: i.name, actor: ctx.actor }), {}),
  }),
  route({
    method: 'GET',
    path: 'registered-models/get',
    tag: models,
    summary: 'Get a registered model with its latest versions, tags and aliases.',
    input: s.ModelName,
    output: s.RegisteredModelResponse,
    handler: async (i, ctx) => ({ registered_model: await rendered(ctx.store.db, await getRegisteredModel(ctx.store.db, i.name)) }),
  }),
  route({
    method: 'GET',
    path: 'registered-models/search',
    tag: models,
    summary: 'Search registered models by name and tags.',
    input: s.SearchRegistry,
    output: s.SearchRegisteredModelsResponse,
    handler: async (i, ctx) => {
      const page = await searchRegisteredModels(ctx.store.db, { filter: i.filter, maxResults: i.max_results, orderBy: i.order_by, pageToken: i.page_token });
      const out = [];
      for (const m of page.models) out.push(await rendered(ctx.store.db, m));
      return { registered_models: out, next_page_token: page.nextPageToken };
    },
  }),
  ...(['POST', 'GET'] as const).map((method) =>
    route({
      method,
      path: 'registered-models/get-latest-versions',
      tag: models,
      summary: 'The newest version in each stage (deprecated in MLflow: use aliases).',
      input: s.GetLatestVersions,
      output: s.ModelVersionsResponse,
      handler: async (i, ctx) => ({ model_versions: (await getLatestVersions(ctx.store.db, i.name, i.stages)).map(renderModelVersion) }),
    }),
  ),
  route({
    method: 'POST',
    path: 'registered-models/set-tag',
    tag: models,
    summary: 'Set a tag on a registered model.',
    input: s.SetRegisteredModelTag,
    output: s.Empty,
    handler: async (i, ctx) => (await setRegisteredModelTag(ctx.store.db, { name: i.name, key: i.key, value: i.value, actor: ctx.actor }), {}),
  }),
  route({
    method: 'DELETE',
    path: 'registered-models/delete-tag',
    tag: models,
    summary: 'Delete a tag of a registered model.',
    input: s.DeleteRegisteredModelTag,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteRegisteredModelTag(ctx.store.db, { name: i.name, key: i.key, actor: ctx.actor }), {}),
  }),
  route({
    method: 'POST',
    path: 'registered-models/alias',
    tag: models,
    summary: 'Point an alias (champion, staging, …) at a version, moving it if it pointed elsewhere.',
    input: s.SetAlias,
    output: s.Empty,
    handler: async (i, ctx) => (await setAlias(ctx.store.db, { name: i.name, alias: i.alias, version: i.version, actor: ctx.actor }), {}),
  }),
  route({
    method: 'DELETE',
    path: 'registered-models/alias',
    tag: models,
    summary: 'Delete an alias.',
    input: s.AliasRef,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteAlias(ctx.store.db, { name: i.name, alias: i.alias, actor: ctx.actor }), {}),
  }),
  route({
    method: 'GET',
    path: 'registered-models/alias',
    tag: models,
    summary: 'The version an alias points at.',
    input: s.AliasRef,
    output: s.ModelVersionResponse,
    handler: async (i, ctx) => ({ model_version: renderModelVersion(await getModelVersion(ctx.store.db, i.name, i.alias)) }),
  }),
  route({
    method: 'POST',
    path: 'model-versions/create',
    tag: versions,
    summary: 'Add the next version of a registered model from a source URI.',
    input: s.CreateModelVersion,
    output: s.ModelVersionResponse,
    handler: async (i, ctx) => {
      const tags = Object.fromEntries((i.tags ?? []).map((t) => [t.key, t.value]));
      const mv = await createModelVersion(ctx.store.db, {
        name: i.name,
        source: i.source,
        runId: i.run_id,
        tags,
        runLink: i.run_link,
        description: i.description,
        actor: ctx.actor,
      });
      return { model_version: renderModelVersion(mv) };
    },
  }),
  route({
    method: 'PATCH',
    path: 'model-versions/update',
    tag: versions,
    summary: "Change a version's description.",
    input: s.UpdateModelVersion,
    output: s.ModelVersionResponse,
    handler: async (i, ctx) => ({
      model_version: renderModelVersion(await updateModelVersion(ctx.store.db, { name: i.name, version: i.version, description: i.description ?? '', actor: ctx.actor })),
    }),
  }),
  route({
    method: 'POST',
    path: 'model-versions/transition-stage',
    tag: versions,
    summary: 'Move a version to a stage (None, Staging, Production, Archived); deprecated in MLflow.',
    input: s.TransitionStage,
    output: s.ModelVersionResponse,
    handler: async (i, ctx) => ({
      model_version: renderModelVersion(
        await transitionModelVersionStage(ctx.store.db, { name: i.name, version: i.version, stage: i.stage, archiveExisting: i.archive_existing_versions, actor: ctx.actor }),
      ),
    }),
  }),
  route({
    method: 'DELETE',
    path: 'model-versions/delete',
    tag: versions,
    summary: 'Delete a version (its number is never reused).',
    input: s.VersionRef,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteModelVersion(ctx.store.db, { name: i.name, version: i.version, actor: ctx.actor }), {}),
  }),
  route({
    method: 'GET',
    path: 'model-versions/get',
    tag: versions,
    summary: 'Get a model version.',
    input: s.VersionRef,
    output: s.ModelVersionResponse,
    handler: async (i, ctx) => ({ model_version: renderModelVersion(await getModelVersion(ctx.store.db, i.name, i.version)) }),
  }),
  route({
    method: 'GET',
    path: 'model-versions/search',
    tag: versions,
    summary: 'Search model versions by name, run_id, source_path and tags.',
    input: s.SearchRegistry,
    output: s.SearchModelVersionsResponse,
    handler: async (i, ctx) => {
      const page = await searchModelVersions(ctx.store.db, { filter: i.filter, maxResults: i.max_results, orderBy: i.order_by, pageToken: i.page_token });
      return { model_versions: page.versions.map(renderModelVersion), next_page_token: page.nextPageToken };
    },
  }),
  route({
    method: 'GET',
    path: 'model-versions/get-download-uri',
    tag: versions,
    summary: "Where a version's files can be downloaded from.",
    input: s.VersionRef,
    output: s.DownloadUriResponse,
    handler: async (i, ctx) => ({ artifact_uri: modelSource((await getModelVersion(ctx.store.db, i.name, i.version)).source) }),
  }),
  route({
    method: 'POST',
    path: 'model-versions/set-tag',
    tag: versions,
    summary: 'Set a tag on a model version.',
    input: s.SetModelVersionTag,
    output: s.Empty,
    handler: async (i, ctx) => (await setModelVersionTag(ctx.store.db, { name: i.name, version: i.version, key: i.key, value: i.value, actor: ctx.actor }), {}),
  }),
  route({
    method: 'DELETE',
    path: 'model-versions/delete-tag',
    tag: versions,
    summary: 'Delete a tag of a model version.',
    input: s.DeleteModelVersionTag,
    output: s.Empty,
    handler: async (i, ctx) => (await deleteModelVersionTag(ctx.store.db, { name: i.name, version: i.version, key: i.key, actor: ctx.actor }), {}),
  }),
];
