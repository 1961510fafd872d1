/**
 * The metadata store's tables, as Kysely sees them. One schema for SQLite and PostgreSQL:
 * only portable column types (text, bigint, double precision, integer) are used, times are
 * epoch milliseconds, and structured values are JSON text, so the same queries run on both.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type PipelineRunStatus = 'running' | 'succeeded' | 'failed' | 'blocked';
export type StepRunStatus = 'pending' | 'running' | 'succeeded' | 'cached' | 'failed' | 'skipped';

export interface PipelineRunsTable {
  id: string;
  project: string;
  status: PipelineRunStatus;
  trigger: string; // manual | schedule | data-change | alert | ci
  started_at: number;
  ended_at: number | null;
  host: string;
  pid: number;
  /** JSON: {message, step?, code?} when failed or blocked. */
  error: string | null;
  config_hash: string;
  /** JSON: why it started (cron expression, source and digest, alert rule and event, reason); see src/pipeline/triggers. */
  trigger_cause: string | null;
}

export interface StepRunsTable {
  id: string;
  pipeline_run_id: string;
  name: string;
  kind: string;
  status: StepRunStatus;
  cache_key: string | null;
  started_at: number | null;
  ended_at: number | null;
  exit_code: number | null;
  /** Why it failed: 'error' | 'timeout' | 'out-of-memory' | 'killed' | null. */
  failure: string | null;
  error: string | null;
  /** Artifact digest of the stored output log. */
  log_digest: string | null;
  /** JSON: the step's outputs ({name: {digest, kind, meta}}). */
  outputs: string | null;
  tracking_run_id: string | null;
  /** JSON: peak RSS bytes, cpu request, etc. */
  resources: string | null;
}

export interface StepCacheTable {
  cache_key: string;
  step_kind: string;
  outputs: string; // JSON, same shape as step_runs.outputs
  tracking_run_id: string | null;
  created_at: number;
}

export interface DatasetVersionsTable {
  id: string; // content-derived: "ds-" + first 16 hex of the data digest
  name: string;
  project: string;
  digest: string; // artifact digest of the Parquet file
  schema: string; // JSON [{name, type}]
  row_count: number;
  lineage: string; // JSON {sources:[{uri, digest}], step, code_hash, inputs:[dataset ids]}
  profile: string | null; // JSON, issue 3
  validation: string | null; // JSON validation report
  pipeline_run_id: string;
  created_at: number;
}

export interface ExperimentsTable {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string; // active | deleted
  creation_time: number;
  last_update_time: number;
}

export interface ExperimentTagsTable {
  experiment_id: string;
  key: string;
  value: string;
}

export interface TrackingRunsTable {
  run_id: string;
  experiment_id: string;
  run_name: string;
  user_id: string;
  status: string; // RUNNING | SCHEDULED | FINISHED | FAILED | KILLED
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  pipeline_run_id: string | null;
  step_name: string | null;
}

export interface ParamsTable {
  run_id: string;
  key: string;
  value: string;
}

export interface MetricsTable {
  id: Generated<number>;
  run_id: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

export interface LatestMetricsTable {
  run_id: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

export interface RunTagsTable {
  run_id: string;
  key: string;
  value: string;
}

export interface RunInputsTable {
  run_id: string;
  dataset_id: string;
  context: string; // training | validation | test
}

export interface RunArtifactsTable {
  run_id: string;
  path: string;
  digest: string;
  size: number;
}

export interface RegisteredModelsTable {
  name: string;
  description: string;
  creation_time: number;
  last_updated_time: number;
}

export interface ModelVersionsTable {
  name: string;
  version: number;
  run_id: string | null;
  source: string; // artifact digest of the model package manifest
  status: string; // READY
  description: string;
  creation_time: number;
  last_updated_time: number;
  pipeline_run_id: string | null;
  code_hash: string | null;
  /** JSON: {train, validation, test} dataset version ids. */
  datasets: string;
  params: string; // JSON
  metrics: string; // JSON
  gates: string; // JSON array of gate results
  /** MLflow's stage: None | Staging | Production | Archived | Deleted_Internal (a deleted version). */
  current_stage: Generated<string>;
  user_id: Generated<string>;
  run_link: Generated<string>;
  status_message: Generated<string>;
}

export interface ModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

export interface ModelVersionTagsTable {
  name: string;
  version: number;
  key: string;
  value: string;
}

export interface RegisteredModelTagsTable {
  name: string;
  key: string;
  value: string;
}

/** A dataset logged through MLflow's log-inputs (Sluice's own live in dataset_versions). */
export interface TrackingDatasetsTable {
  dataset_id: string;
  experiment_id: string;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
  created_at: number;
}

export interface RunInputTagsTable {
  run_id: string;
  dataset_id: string;
  context: string;
  key: string;
  value: string;
}

export interface RegistryEventsTable {
  id: Generated<number>;
  name: string;
  version: number | null;
  action: string; // register | alias | tag | untag
  detail: string; // JSON
  actor: string;
  reason: string;
  at: number;
}

export interface GateResultsTable {
  id: Generated<number>;
  pipeline_run_id: string;
  gate: string;
  subject_kind: string; // model | dataset | deployment
  subject_id: string;
  status: string; // pass | warn | fail
  details: string; // JSON [{check, actual, op, threshold, passed}]
  created_at: number;
}

export interface SourceStatesTable {
  uri: string;
  etag: string | null;
  last_modified: string | null;
  digest: string;
  size: number;
  fetched_at: number;
  checked_at: number;
}

export interface DatasetNamesTable {
  project: string;
  name: string;
  dataset_id: string;
  pipeline_run_id: string;
  created_at: number;
  validation: string | null;
  lineage: string | null;
}

export interface Database {
  pipeline_runs: PipelineRunsTable;
  step_runs: StepRunsTable;
  step_cache: StepCacheTable;
  dataset_versions: DatasetVersionsTable;
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  tracking_runs: TrackingRunsTable;
  params: ParamsTable;
  metrics: MetricsTable;
  latest_metrics: LatestMetricsTable;
  run_tags: RunTagsTable;
  run_inputs: RunInputsTable;
  run_artifacts: RunArtifactsTable;
  registered_models: RegisteredModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  model_version_tags: ModelVersionTagsTable;
  registry_events: RegistryEventsTable;
  registered_model_tags: RegisteredModelTagsTable;
  tracking_datasets: TrackingDatasetsTable;
  run_input_tags: RunInputTagsTable;
  gate_results: GateResultsTable;
  source_states: SourceStatesTable;
  dataset_names: DatasetNamesTable;
  prediction_log: PredictionLogTable;
  feedback: FeedbackTable;
  deployment_revisions: DeploymentRevisionsTable;
  scheduler_leases: SchedulerLeasesTable;
  trigger_state: TriggerStateTable;
  trigger_events: TriggerEventsTable;
  monitor_runs: MonitorRunsTable;
  monitor_metrics: MonitorMetricsTable;
  monitor_references: MonitorReferencesTable;
  alert_states: AlertStatesTable;
  alert_events: AlertEventsTable;
  ci_runs: CiRunsTable;
  check_results: CheckResultsTable;
}

export type PipelineRun = Selectable<PipelineRunsTable>;
export type NewPipelineRun = Insertable<PipelineRunsTable>;
export type StepRun = Selectable<StepRunsTable>;
export type StepRunUpdate = Updateable<StepRunsTable>;
export type DatasetVersionRow = Selectable<DatasetVersionsTable>;
export type ModelVersionRow = Selectable<ModelVersionsTable>;
export type TrackingRunRow = Selectable<TrackingRunsTable>;

/** One predicted record, as a model server logged it (src/serving/prediction-log.ts). */
export interface PredictionLogTable {
  id: Generated<number>;
  /** X-Request-Id of the request; with row_index, the key feedback joins on. */
  request_id: string;
  /** Position of the record in its request (0 for a single-record request). */
  row_index: number;
  model: string;
  version: number;
  route: string; // stable | canary | shadow | ...
  at: number;
  /** Of the whole request, from receipt to predictions ready. */
  latency_ms: number;
  /** JSON: the record as the model read it ({input: value}, null = missing). */
  inputs: string;
  /** JSON: {label, probabilities: {class: p}} or {value}. */
  outputs: string;
}

/** A ground-truth label for a logged prediction, sent to POST /feedback. */
export interface FeedbackTable {
  id: Generated<number>;
  request_id: string;
  row_index: number;
  /** JSON: the true label (string, number or boolean). */
  label: string;
  /** The model of the server that received it. */
  model: string;
  at: number;
}

/** One change of what an environment serves (src/deploy/revisions.ts). */
export interface DeploymentRevisionsTable {
  id: Generated<number>;
  environment: string;
  /** The version this revision brings (for a rollback: the version returned to). */
  model: string;
  version: number;
  strategy: string; // direct | bluegreen | canary | shadow | rollback
  /** JSON: [{model, version, route, weight}] as applied last. */
  traffic: string;
  status: string; // deploying | applied | failed | rolled_back | superseded | shadowing | ended
  actor: string;
  reason: string | null;
  /** JSON: health, smoke, analysis and shadow figures, the error if any. */
  detail: string;
  created_at: number;
  updated_at: number;
}

/** A lease one process holds to do something only one may do at a time (start a project's run). */
export interface SchedulerLeasesTable {
  name: string;
  holder: string;
  host: string;
  pid: number;
  acquired_at: number;
  expires_at: number;
}

/** What the scheduler saw last, per project: `cron:<name>`, `source:<name>`, `monitor:<name>`. */
export interface TriggerStateTable {
  project: string;
  key: string;
  /** JSON. */
  value: string;
  updated_at: number;
}

/** One trigger firing and what it led to: a pipeline run, a model version, a deployment revision. */
export interface TriggerEventsTable {
  id: Generated<number>;
  project: string;
  kind: string; // schedule | data-change | alert | manual | ci
  /** JSON: {cron, schedule} | {source, digest, previous} | {rule, event_id, monitor} | {reason, actor}. */
  cause: string;
  /** started | skipped | rate-limited | succeeded | failed | blocked | no-change | deploying | promoted | stopped */
  status: string;
  reason: string | null;
  pipeline_run_id: string | null;
  model: string | null;
  version: number | null;
  environment: string | null;
  revision_id: number | null;
  /** JSON: gate results, canary analyses, errors. */
  detail: string;
  at: number;
  ended_at: number | null;
}

/** One monitor run: a window of logged predictions compared with a reference (src/monitoring/monitors). */
export interface MonitorRunsTable {
  id: Generated<number>;
  project: string;
  monitor: string;
  model: string;
  version: number;
  /** Epoch milliseconds: the window is [window_start, window_end). */
  window_start: number;
  window_end: number;
  rows: number;
  /** Predictions in the window with a feedback label. */
  labeled_rows: number;
  reference_dataset: string | null;
  status: string; // ok | drift | insufficient_data
  drift_share: number | null;
  accuracy: number | null;
  /** Artifact digests of the JSON and HTML reports. */
  report_digest: string | null;
  html_digest: string | null;
  /** JSON: drifted columns, verdicts, quality and performance in brief. */
  summary: string;
  created_at: number;
}

/** One figure of a monitor run: the time series charts and alert rules read. */
export interface MonitorMetricsTable {
  id: Generated<number>;
  run_id: number;
  project: string;
  monitor: string;
  /** The run's window end. */
  at: number;
  metric: string; // drift_score | p_value | drift_share | null_share | accuracy | roc_auc | ...
  column_name: string | null;
  /** null when not a finite number (an empty side, +∞). */
  value: number | null;
  threshold: number | null;
  verdict: string | null; // drift | ok | fail | null (no verdict)
  /** The test or detail behind the figure (ks, psi, ...). */
  detail: string | null;
}

/** The prepared reference of a monitor (its columns and the model's scores on it), computed once. */
export interface MonitorReferencesTable {
  dataset_id: string;
  /** Artifact digest of the model package whose scores are cached. */
  model_source: string;
  digest: string;
  rows: number;
  created_at: number;
}

/** The current state of an alert rule. */
export interface AlertStatesTable {
  project: string;
  rule: string;
  state: string; // pending | firing | resolved
  since: number;
  value: number | null;
  /** What the latest evaluation judged: a monitor run id or a pipeline run id. */
  subject: string | null;
  evaluated_at: number;
}

/** Every change of an alert rule's state, with what was notified. */
export interface AlertEventsTable {
  id: Generated<number>;
  project: string;
  rule: string;
  from_state: string; // inactive | pending | firing | resolved
  to_state: string;
  at: number;
  value: number | null;
  severity: string;
  message: string;
  subject: string | null;
  /** JSON: the rule's actions (['retrain']). */
  actions: string;
  /** JSON: [{channel, kind, ok, status?, error?, ms}]. */
  notifications: string;
}

/** The CI context of a pipeline run made by `sluice ci` (issue 9). */
export interface CiRunsTable {
  pipeline_run_id: string;
  project: string;
  branch: string | null;
  commit_sha: string | null;
  /** github | gitlab | local */
  platform: string;
  pull_request: string | null;
  /** 1 when the run used the declared sample of the data. */
  sampled: number;
  /** pass | warn | fail: the gates and checks together. */
  outcome: string;
  /** JSON: {evaluation, metrics, fairness}: what later reports compare with. */
  figures: string;
  created_at: number;
}

/** One run of one declared check (`sluice check`): a linter, a type checker, a test suite. */
export interface CheckResultsTable {
  id: Generated<number>;
  project: string;
  /** The pipeline run whose report shows it; null until `sluice ci` attaches it. */
  pipeline_run_id: string | null;
  branch: string | null;
  commit_sha: string | null;
  name: string;
  stage: string;
  command: string;
  /** passed | failed | timeout | error */
  status: string;
  exit_code: number | null;
  duration_ms: number;
  output_tail: string;
  started_at: number;
}
