/** Sluice's tracking and registry records in MLflow's JSON shapes (snake_case, unset fields left out). */
import type { z } from 'zod';
import type { ModelVersion as SluiceModelVersion, RegisteredModel as SluiceRegisteredModel } from '../../registry/index.js';
import type { DatasetInput, Experiment as SluiceExperiment, MetricPoint, Run as SluiceRun, RunInfo as SluiceRunInfo } from '../../tracking/index.js';
import { renderDouble } from './fields.js';
import type { DatasetInput as DatasetInputOut, Experiment, Metric, ModelVersion, RegisteredModel, Run, RunInfo } from './schemas.js';
import { experimentArtifactLocation, runArtifactUri, modelSource } from './artifact-uris.js';

const pairs = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }));

export function renderExperiment(e: SluiceExperiment): z.input<typeof Experiment> {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: experimentArtifactLocation(e.experimentId, e.artifactLocation),
    lifecycle_stage: e.lifecycleStage as 'active' | 'deleted',
    creation_time: e.creationTime,
    last_update_time: e.lastUpdateTime,
    tags: pairs(e.tags),
  };
}

export function renderRunInfo(info: SluiceRunInfo): z.input<typeof RunInfo> {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime ?? undefined,
    artifact_uri: runArtifactUri(info),
    lifecycle_stage: info.lifecycleStage as 'active' | 'deleted',
  };
}

export function renderMetric(m: MetricPoint): z.input<typeof Metric> {
  return { key: m.key, value: renderDouble(m.value), timestamp: m.timestamp, step: m.step };
}

export function renderRun(run: SluiceRun, inputs: DatasetInput[] = []): z.input<typeof Run> {
  return {
    info: renderRunInfo(run.info),
    data: { metrics: Object.values(run.metrics).map(renderMetric), params: pairs(run.params), tags: pairs(run.tags) },
    inputs: { dataset_inputs: inputs.map(renderDatasetInput) },
  };
}

function renderDatasetInput(input: DatasetInput): z.input<typeof DatasetInputOut> {
  const d = input.dataset;
  return {
    tags: pairs(input.tags),
    dataset: { name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source, schema: d.schema, profile: d.profile },
  };
}

const orUndefined = (s: string | null | undefined) => (s ? s : undefined);

export function renderModelVersion(mv: SluiceModelVersion): z.input<typeof ModelVersion> {
  return {
    name: mv.name,
    version: String(mv.version),
    creation_timestamp: mv.creationTime,
    last_updated_timestamp: mv.lastUpdatedTime,
    user_id: orUndefined(mv.userId),
    current_stage: mv.currentStage,
    description: orUndefined(mv.description),
    source: modelSource(mv.source),
    run_id: orUndefined(mv.runId),
    status: mv.status as 'READY',
    status_message: orUndefined(mv.statusMessage),
    tags: pairs(mv.tags),
    run_link: orUndefined(mv.runLink),
    aliases: mv.aliases,
  };
}

export function renderRegisteredModel(m: SluiceRegisteredModel, latest: SluiceModelVersion[]): z.input<typeof RegisteredModel> {
  return {
    name: m.name,
    creation_timestamp: m.creationTime,
    last_updated_timestamp: m.lastUpdatedTime,
    description: orUndefined(m.description),
    latest_versions: latest.map(renderModelVersion),
    tags: pairs(m.tags),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version: String(version) })),
  };
}
