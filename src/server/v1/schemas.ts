/** Sluice's own API (/api/v1): what it returns, as zod schemas (the OpenAPI document comes from them). */
import { z } from 'zod';
import { int64, required, text } from '../mlflow/fields.js';

const json = z.unknown().describe('JSON value');

export const PipelineRun = z.object({
  id: z.string(),
  project: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'blocked']),
  trigger: z.string(),
  started_at: z.number(),
  ended_at: z.number().nullable(),
  host: z.string(),
  pid: z.number(),
  error: json.nullable(),
  config_hash: z.string(),
  trigger_cause: json.nullable().optional().describe('Why it started: {schedule, cron}, {changes: [{source, digest}]}, {rule, event_id}, {reason, actor}; with trigger_event.'),
});

export const StepRun = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  cache_key: z.string().nullable(),
  started_at: z.number().nullable(),
  ended_at: z.number().nullable(),
  exit_code: z.number().nullable(),
  failure: z.string().nullable(),
  error: z.string().nullable(),
  log_digest: z.string().nullable(),
  outputs: json.nullable(),
  tracking_run_id: z.string().nullable(),
  resources: json.nullable(),
});

export const GateResult = z.object({ gate: z.string(), subject_kind: z.string(), subject_id: z.string(), status: z.string(), details: json, created_at: z.number() });

export const DatasetVersion = z.object({
  id: z.string(),
  name: z.string(),
  project: z.string(),
  digest: z.string(),
  schema: json,
  row_count: z.number(),
  lineage: json,
  profile: json.nullable(),
  validation: json.nullable(),
  pipeline_run_id: z.string(),
  created_at: z.number(),
});

export const RegisteredModel = z.object({
  name: z.string(),
  description: z.string(),
  creationTime: z.number(),
  lastUpdatedTime: z.number(),
  latestVersion: z.number().nullable(),
  aliases: z.record(z.string(), z.number()),
  tags: z.record(z.string(), z.string()),
});

export const ModelVersion = z.object({
  name: z.string(),
  version: z.number(),
  runId: z.string().nullable(),
  source: z.string(),
  status: z.string(),
  description: z.string(),
  creationTime: z.number(),
  lastUpdatedTime: z.number(),
  pipelineRunId: z.string().nullable(),
  codeHash: z.string().nullable(),
  datasets: z.record(z.string(), z.string()),
  params: z.record(z.string(), json),
  metrics: z.record(z.string(), z.number()),
  gates: z.array(json),
  aliases: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  currentStage: z.string(),
  userId: z.string(),
  runLink: z.string(),
  statusMessage: z.string(),
});

export const RegistryEvent = z.object({
  id: z.number(),
  name: z.string(),
  version: z.number().nullable(),
  action: z.string(),
  detail: z.record(z.string(), json),
  actor: z.string(),
  reason: z.string(),
  at: z.number(),
});

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), where: z.string().optional(), hint: z.string().optional(), details: json.optional() }),
});

// Inputs
export const Limit = z.object({ limit: int64.pipe(z.int().min(1).max(1000)).optional() });
export const DatasetList = z.object({ name: text(500).optional(), limit: int64.pipe(z.int().min(1).max(10_000)).optional() });
export const Ref = z.object({ ref: required(500) });
export const ModelName = z.object({ name: required(256) });
export const VersionSelector = z.object({ name: required(256), selector: required(256) });
export const None = z.object({});
