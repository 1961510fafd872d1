/** The server's APIs as the pages use them: Sluice's /api/v1 and the MLflow REST API (ajax-api, as MLflow's own UI). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url, init);
  const text = await r.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(`${url} answered ${r.status} with no JSON`, r.status);
  }
  if (!r.ok) {
    const e = body as { error?: { message?: string; hint?: string }; message?: string; error_code?: string };
    throw new ApiError(e?.error?.message ?? e?.message ?? `${url} answered ${r.status}`, r.status, e?.error?.hint);
  }
  return body as T;
}

const qs = (q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const enc = encodeURIComponent;
export const v1 = <T>(path: string, q: Record<string, string | number | undefined> = {}) => call<T>(`/api/v1/${path}${qs(q)}`);
export const v1Post = <T>(path: string, body: unknown) => call<T>(`/api/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const mlflowGet = <T>(path: string, q: Record<string, string | number | undefined> = {}) => call<T>(`/ajax-api/2.0/mlflow/${path}${qs(q)}`);
export const mlflowPost = <T>(path: string, body: unknown) =>
  call<T>(`/ajax-api/2.0/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// ── Shapes (what the pages read of each answer) ─────────────────────────────────────────────
export interface PipelineRun {
  id: string;
  project: string;
  status: string;
  trigger: string;
  started_at: number;
  ended_at: number | null;
  error: unknown;
}
export interface StepRun {
  name: string;
  kind: string;
  status: string;
  started_at: number | null;
  ended_at: number | null;
  tracking_run_id: string | null;
  failure: string | null;
  error: string | null;
}
export interface GateResult {
  gate: string;
  subject_kind: string;
  subject_id: string;
  status: string;
  details: unknown;
}
export interface DagNode extends StepRun {
  cached: boolean;
  duration_ms: number | null;
}
export interface Dag {
  pipeline_run: PipelineRun;
  nodes: DagNode[];
  edges: { from: string; to: string }[];
}
export interface Revision {
  id: number;
  environment: string;
  model: string;
  version: number;
  strategy: string;
  traffic: { model: string; version: number; route?: string; weight: number }[];
  status: string;
  actor: string;
  reason: string | null;
  detail: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}
export interface DeploymentSummary {
  environment: string;
  configured: boolean;
  router_url: string | null;
  health: 'up' | 'down' | 'unknown';
  current: Revision | null;
  split: { model: string; version: number; weight: number }[];
  busy: boolean;
}
export interface VersionBrief {
  version: number;
  metrics: Record<string, number>;
  created_at: number;
  tags: Record<string, string>;
}
export interface FiringAlert {
  id: string;
  rule: string;
  monitor: string | null;
  severity: string;
  message: string;
  since: number;
}
export interface Overview {
  projects: { project: string; served: boolean; latest_run: PipelineRun; steps: Record<'total' | 'succeeded' | 'cached' | 'failed' | 'running' | 'other', number> }[];
  models: { name: string; latest_version: number | null; aliases: Record<string, number>; champion: VersionBrief | null; production: VersionBrief | null }[];
  deployments: DeploymentSummary[];
  alerts: FiringAlert[];
}
export interface DatasetVersion {
  id: string;
  name: string;
  digest: string;
  schema: { name: string; type: string }[];
  row_count: number;
  lineage: { step?: string; code_hash?: string; sources?: { name: string; uri: string; digest: string }[]; inputs?: { name: string; dataset: string | null }[] };
  profile: DatasetProfile | null;
  validation: Validation | null;
  pipeline_run_id: string;
  created_at: number;
}
export interface ColumnProfile {
  name: string;
  type: string;
  kind: string;
  count: number;
  nulls: number;
  nullFraction: number;
  distinct?: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  histogram?: { edges: number[]; counts: number[] };
  top?: { value: string; count: number }[];
}
export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}
export interface Validation {
  schema?: { typeChecks: unknown[] };
  expectations?: { success: boolean; statistics: { evaluated: number; successful: number; failed: number; warnings: number }; results: { success: boolean; severity: string; message: string; expectation: { expect: string; column?: string } }[] };
  pii?: { passed: boolean; scannedColumns: string[]; columns: { column: string; action: string; kind?: string; detector?: string; matches?: number }[]; violations: unknown[] };
  bias?: { label?: string; positive?: string; attributes?: { attribute: string; status: string; reasons?: string[]; groups: { group: string; count: number; share: number; positiveRate: number }[] }[] };
}
export interface RegisteredModel {
  name: string;
  description: string;
  latestVersion: number | null;
  aliases: Record<string, number>;
  tags: Record<string, string>;
  lastUpdatedTime: number;
}
export interface ModelVersion {
  name: string;
  version: number;
  runId: string | null;
  source: string;
  status: string;
  creationTime: number;
  pipelineRunId: string | null;
  codeHash: string | null;
  datasets: Record<string, string>;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  gates: { gate: string; status: string; checks?: { message?: string; passed?: boolean; severity?: string }[] }[];
  aliases: string[];
  tags: Record<string, string>;
}
export interface LineageGraph {
  nodes: { id: string; kind: string; label: string; detail: string }[];
  edges: { from: string; to: string; label: string }[];
}

// MLflow
export interface MlflowRun {
  info: { run_id: string; run_name?: string; experiment_id: string; status: string; start_time?: number; end_time?: number; user_id?: string };
  data: { metrics?: { key: string; value: number; step?: number }[]; params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] };
}
export interface Experiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  creation_time?: number;
  last_update_time?: number;
}
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}
