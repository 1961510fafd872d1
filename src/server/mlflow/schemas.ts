/**
 * MLflow's tracking and registry messages (mlflow/protos/service.proto, model_registry.proto) as
 * zod schemas: the server validates requests with them, the OpenAPI document is generated from
 * them, and the TypeScript SDK takes its types from them.
 */
import { z } from 'zod';
import { bool, double, doubleOut, filterText, id, int64, keyValue, LIMITS, list, required, requiredId, runStatus, tag, text, versionNumber, viewType } from './fields.js';

const runRef = { run_id: text(256).optional(), run_uuid: text(256).optional() };
const page = { max_results: int64.optional(), page_token: text(4096).optional() };
const orderBy = list(text(1000), 20).optional();
const filter = filterText;

// ── Entities (responses) ────────────────────────────────────────────────────────────────────

export const Experiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.enum(['active', 'deleted']),
  creation_time: z.number(),
  last_update_time: z.number(),
  tags: z.array(keyValue).optional(),
});

export const Metric = z.object({ key: z.string(), value: doubleOut, timestamp: z.number(), step: z.number() });

export const RunInfo = z.object({
  run_id: z.string(),
  run_uuid: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']),
  start_time: z.number(),
  end_time: z.number().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: z.enum(['active', 'deleted']),
});

export const Dataset = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});

export const DatasetInput = z.object({ tags: z.array(keyValue).optional(), dataset: Dataset });

export const Run = z.object({
  info: RunInfo,
  data: z.object({ metrics: z.array(Metric).optional(), params: z.array(keyValue).optional(), tags: z.array(keyValue).optional() }),
  inputs: z.object({ dataset_inputs: z.array(DatasetInput).optional() }).optional(),
});

export const FileInfo = z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().optional() });

export const ModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  current_stage: z.string(),
  description: z.string().optional(),
  source: z.string(),
  run_id: z.string().optional(),
  status: z.enum(['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY']),
  status_message: z.string().optional(),
  tags: z.array(keyValue).optional(),
  run_link: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});

export const RegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  description: z.string().optional(),
  latest_versions: z.array(ModelVersion).optional(),
  tags: z.array(keyValue).optional(),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).optional(),
});

// ── Tracking requests ───────────────────────────────────────────────────────────────────────

const experimentTag = tag(LIMITS.tagValue);
const runTag = tag(LIMITS.tagValue);
const param = z.object({ key: required(LIMITS.key), value: text(LIMITS.paramValue).default('') });
const metric = z.object({ key: required(LIMITS.key), value: double, timestamp: int64, step: int64.optional() });

export const CreateExperiment = z.object({
  name: required(LIMITS.experimentName),
  artifact_location: text(4096).optional(),
  tags: list(experimentTag, 1000).optional(),
});
export const SearchExperiments = z.object({ ...page, filter, order_by: orderBy, view_type: viewType.optional() });
export const GetExperiment = z.object({ experiment_id: requiredId });
export const GetExperimentByName = z.object({ experiment_name: required(LIMITS.experimentName) });
export const ExperimentId = z.object({ experiment_id: requiredId });
export const UpdateExperiment = z.object({ experiment_id: requiredId, new_name: required(LIMITS.experimentName) });
export const SetExperimentTag = z.object({ experiment_id: requiredId, key: required(LIMITS.key), value: text(LIMITS.tagValue).default('') });
export const DeleteExperimentTag = z.object({ experiment_id: requiredId, key: required(LIMITS.key) });

export const CreateRun = z.object({
  experiment_id: id.optional(),
  user_id: text(256).optional(),
  run_name: text(LIMITS.key).optional(),
  start_time: int64.optional(),
  tags: list(runTag, 1000).optional(),
});
export const UpdateRun = z.object({ ...runRef, status: runStatus.optional(), end_time: int64.optional(), run_name: text(LIMITS.key).optional() });
export const RunId = z.object({ run_id: required(256) });
export const GetRun = z.object({ ...runRef });
export const SearchRuns = z.object({
  experiment_ids: list(id, LIMITS.listItems).optional(),
  filter,
  run_view_type: viewType.optional(),
  ...page,
  order_by: orderBy,
});
export const LogMetric = z.object({ ...runRef, ...metric.shape });
export const LogParam = z.object({ ...runRef, key: required(LIMITS.key), value: text(LIMITS.paramValue).default('') });
export const SetTag = z.object({ ...runRef, key: required(LIMITS.key), value: text(LIMITS.tagValue).default('') });
export const DeleteTag = z.object({ run_id: required(256), key: required(LIMITS.key) });
export const LogBatch = z
  .object({
    run_id: required(256),
    metrics: list(metric, LIMITS.batchMetrics).optional(),
    params: list(param, LIMITS.batchParams).optional(),
    tags: list(runTag, LIMITS.batchTags).optional(),
  })
  .refine((b) => (b.metrics?.length ?? 0) + (b.params?.length ?? 0) + (b.tags?.length ?? 0) <= LIMITS.batchTotal, {
    error: `A batch logging request can contain at most ${LIMITS.batchTotal} metrics, params and tags in total`,
    path: ['metrics'],
  });
export const LogModel = z.object({ run_id: required(256), model_json: required(1_000_000) });
export const LogInputs = z.object({
  run_id: required(256),
  datasets: list(
    z.object({
      tags: list(tag(LIMITS.tagValue), 100).optional(),
      dataset: z.object({
        name: required(LIMITS.datasetName),
        digest: required(LIMITS.datasetDigest),
        source_type: required(LIMITS.key),
        source: required(LIMITS.datasetSource),
        schema: text(LIMITS.datasetSchema).optional(),
        profile: text(LIMITS.datasetProfile).optional(),
      }),
    }),
    1000,
  ).optional(),
});
export const GetMetricHistory = z.object({ ...runRef, metric_key: required(LIMITS.key), ...page });
export const ListArtifacts = z.object({ ...runRef, path: text(4096).optional(), page_token: text(4096).optional() });

// ── Registry requests ───────────────────────────────────────────────────────────────────────

const name = required(256);
const registryTag = tag(LIMITS.tagValue);

export const CreateRegisteredModel = z.object({ name, tags: list(registryTag, 1000).optional(), description: text(100_000).optional() });
export const RenameRegisteredModel = z.object({ name, new_name: required(256) });
export const UpdateRegisteredModel = z.object({ name, description: text(100_000).optional() });
export const ModelName = z.object({ name });
export const SearchRegistry = z.object({ filter, ...page, order_by: orderBy });
export const GetLatestVersions = z.object({ name, stages: list(text(100), 10).optional() });
export const SetRegisteredModelTag = z.object({ name, key: required(LIMITS.key), value: text(LIMITS.tagValue).default('') });
export const DeleteRegisteredModelTag = z.object({ name, key: required(LIMITS.key) });
export const SetAlias = z.object({ name, alias: required(256), version: versionNumber });
export const AliasRef = z.object({ name, alias: required(256) });
export const CreateModelVersion = z.object({
  name,
  source: required(65_536),
  run_id: text(256).optional(),
  tags: list(registryTag, 1000).optional(),
  run_link: text(4096).optional(),
  description: text(100_000).optional(),
});
export const VersionRef = z.object({ name, version: versionNumber });
export const UpdateModelVersion = z.object({ name, version: versionNumber, description: text(100_000).optional() });
export const TransitionStage = z.object({ name, version: versionNumber, stage: required(100), archive_existing_versions: bool.optional() });
export const SetModelVersionTag = z.object({ name, version: versionNumber, key: required(LIMITS.key), value: text(LIMITS.tagValue).default('') });
export const DeleteModelVersionTag = z.object({ name, version: versionNumber, key: required(LIMITS.key) });

// ── Responses ───────────────────────────────────────────────────────────────────────────────

export const Empty = z.object({});
export const CreateExperimentResponse = z.object({ experiment_id: z.string() });
export const SearchExperimentsResponse = z.object({ experiments: z.array(Experiment).optional(), next_page_token: z.string().optional() });
export const ExperimentResponse = z.object({ experiment: Experiment });
export const RunResponse = z.object({ run: Run });
export const UpdateRunResponse = z.object({ run_info: RunInfo });
export const SearchRunsResponse = z.object({ runs: z.array(Run).optional(), next_page_token: z.string().optional() });
export const MetricHistoryResponse = z.object({ metrics: z.array(Metric).optional(), next_page_token: z.string().optional() });
export const ListArtifactsResponse = z.object({ root_uri: z.string(), files: z.array(FileInfo).optional(), next_page_token: z.string().optional() });
export const RegisteredModelResponse = z.object({ registered_model: RegisteredModel });
export const SearchRegisteredModelsResponse = z.object({ registered_models: z.array(RegisteredModel).optional(), next_page_token: z.string().optional() });
export const ModelVersionsResponse = z.object({ model_versions: z.array(ModelVersion).optional() });
export const ModelVersionResponse = z.object({ model_version: ModelVersion });
export const SearchModelVersionsResponse = z.object({ model_versions: z.array(ModelVersion).optional(), next_page_token: z.string().optional() });
export const DownloadUriResponse = z.object({ artifact_uri: z.string() });
export const ArtifactFilesResponse = z.object({ files: z.array(FileInfo).optional() });
export const MlflowErrorBody = z.object({ error_code: z.string(), message: z.string() });

