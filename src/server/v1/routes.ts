/** Sluice's own API, read-only for now: pipeline runs with their steps and gates, datasets, models. */
import { z } from 'zod';
import { getDatasetVersion, getPipelineRun, listDatasetVersions, listGateResults, listPipelineRuns, listStepRuns } from '../../pipeline/index.js';
import { getModelVersion, listModelVersions, listRegisteredModels, registryHistory } from '../../registry/index.js';
import type { DatasetVersionRow, PipelineRun as PipelineRunRow, StepRun as StepRunRow } from '../../store/index.js';
import { route, type Route } from '../route.js';
import * as s from './schemas.js';

const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as unknown));
const pipelineRun = (r: PipelineRunRow) => ({ ...r, error: parse(r.error), trigger_cause: parse(r.trigger_cause ?? null) });
const stepRun = (r: StepRunRow) => {
  const { pipeline_run_id: _, ...rest } = r;
  return { ...rest, outputs: parse(r.outputs), resources: parse(r.resources) };
};
const datasetVersion = (d: DatasetVersionRow) => ({ ...d, schema: parse(d.schema), lineage: parse(d.lineage), profile: parse(d.profile), validation: parse(d.validation) });

export const v1Routes: Route[] = [
  route({
    method: 'GET',
    path: 'pipeline-runs',
    tag: 'Pipeline runs',
    summary: "The project's pipeline runs, newest first.",
    input: s.Limit,
    output: z.object({ pipeline_runs: z.array(s.PipelineRun) }),
    handler: async (i, ctx) => ({ pipeline_runs: (await listPipelineRuns(ctx.store.db, { project: ctx.project, limit: i.limit ?? 20 })).map(pipelineRun) }),
  }),
  route({
    method: 'GET',
    path: 'pipeline-runs/:ref',
    tag: 'Pipeline runs',
    summary: "A pipeline run (id, id prefix or 'latest') with its step runs and gate results.",
    input: s.Ref,
    output: z.object({ pipeline_run: s.PipelineRun, steps: z.array(s.StepRun), gates: z.array(s.GateResult) }),
    handler: async (i, ctx) => {
      const run = await getPipelineRun(ctx.store.db, i.ref, ctx.project);
      const [steps, gates] = await Promise.all([listStepRuns(ctx.store.db, run.id), listGateResults(ctx.store.db, run.id)]);
      return {
        pipeline_run: pipelineRun(run),
        steps: steps.map(stepRun),
        gates: gates.map((g) => ({ gate: g.gate, subject_kind: g.subject_kind, subject_id: g.subject_id, status: g.status, details: parse(g.details), created_at: g.created_at })),
      };
    },
  }),
  route({
    method: 'GET',
    path: 'datasets',
    tag: 'Datasets',
    summary: 'Dataset versions, newest first; optionally of one dataset.',
    input: s.DatasetList,
    output: z.object({ dataset_versions: z.array(s.DatasetVersion) }),
    handler: async (i, ctx) => ({
      dataset_versions: (await listDatasetVersions(ctx.store.db, { project: ctx.project, name: i.name, limit: i.limit })).map(datasetVersion),
    }),
  }),
  route({
    method: 'GET',
    path: 'datasets/:ref',
    tag: 'Datasets',
    summary: 'A dataset version (id, id prefix, or a name for its newest version).',
    input: s.Ref,
    output: z.object({ dataset_version: s.DatasetVersion }),
    handler: async (i, ctx) => ({ dataset_version: datasetVersion(await getDatasetVersion(ctx.store.db, i.ref)) }),
  }),
  route({
    method: 'GET',
    path: 'models',
    tag: 'Models',
    summary: 'Registered models with their latest version, aliases and tags.',
    input: s.None,
    output: z.object({ models: z.array(s.RegisteredModel) }),
    handler: async (_i, ctx) => ({ models: await listRegisteredModels(ctx.store.db) }),
  }),
  route({
    method: 'GET',
    path: 'models/:name/versions',
    tag: 'Models',
    summary: 'Every version of a model, newest first.',
    input: s.ModelName,
    output: z.object({ versions: z.array(s.ModelVersion) }),
    handler: async (i, ctx) => ({ versions: await listModelVersions(ctx.store.db, i.name) }),
  }),
  route({
    method: 'GET',
    path: 'models/:name/versions/:selector',
    tag: 'Models',
    summary: "One version of a model, by number, alias or 'latest', with its lineage (run, data, code, gates).",
    input: s.VersionSelector,
    output: z.object({ version: s.ModelVersion }),
    handler: async (i, ctx) => ({ version: await getModelVersion(ctx.store.db, i.name, i.selector) }),
  }),
  route({
    method: 'GET',
    path: 'models/:name/history',
    tag: 'Models',
    summary: "A model's append-only history: registrations, alias moves, tag changes, who and why.",
    input: s.ModelName,
    output: z.object({ events: z.array(s.RegistryEvent) }),
    handler: async (i, ctx) => ({ events: await registryHistory(ctx.store.db, i.name) }),
  }),
];
