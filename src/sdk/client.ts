/**
 * A typed client for the MLflow tracking and registry REST API, as served by `sluice server`
 * (or MLflow itself). Request and response types come from the server's own zod schemas; at run
 * time it needs nothing but fetch. Transient failures (429, 5xx, network) are retried.
 */
import type { z } from 'zod';
import type * as s from '../server/mlflow/schemas.js';
import { TrackingApiError } from './errors.js';

type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.output<T>;

export type Experiment = Out<typeof s.Experiment>;
export type Run = Out<typeof s.Run>;
export type RunInfo = Out<typeof s.RunInfo>;
export type Metric = Out<typeof s.Metric>;
export type ModelVersion = Out<typeof s.ModelVersion>;
export type RegisteredModel = Out<typeof s.RegisteredModel>;
export type FileInfo = Out<typeof s.FileInfo>;
export type RunStatus = RunInfo['status'];
type KeyValues = Record<string, string | number | boolean>;

export interface TrackingClientOptions {
  /** The server, e.g. http://127.0.0.1:5000; default env MLFLOW_TRACKING_URI. */
  trackingUri?: string;
  headers?: Record<string, string>;
  /** Attempts for a request failing with 429, 5xx or a network error (default 3). */
  retries?: number;
}

const pairs = (record: KeyValues = {}) => Object.entries(record).map(([key, value]) => ({ key, value: String(value) }));

export class TrackingClient {
  readonly trackingUri: string;
  private readonly headers: Record<string, string>;
  private readonly retries: number;

  constructor(options: TrackingClientOptions = {}) {
    const uri = options.trackingUri ?? process.env.MLFLOW_TRACKING_URI;
    if (!uri || !/^https?:\/\//.test(uri)) throw new Error(`TrackingClient needs an http(s) tracking URI, got '${uri ?? ''}': pass trackingUri or set MLFLOW_TRACKING_URI`);
    this.trackingUri = uri.replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.retries = options.retries ?? 3;
  }

  // ── Experiments ───────────────────────────────────────────────────────────────────────────

  async createExperiment(name: string, options: { artifactLocation?: string; tags?: KeyValues } = {}): Promise<string> {
    const body: In<typeof s.CreateExperiment> = { name, artifact_location: options.artifactLocation, tags: pairs(options.tags) };
    return (await this.call<typeof s.CreateExperimentResponse>('POST', 'experiments/create', body)).experiment_id;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return (await this.call<typeof s.ExperimentResponse>('GET', 'experiments/get', { experiment_id: experimentId })).experiment;
  }

  /** The experiment, or undefined if there is none of that name. */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      return (await this.call<typeof s.ExperimentResponse>('GET', 'experiments/get-by-name', { experiment_name: name })).experiment;
    } catch (e) {
      if (e instanceof TrackingApiError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw e;
    }
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing.experiment_id;
    try {
      return await this.createExperiment(name);
    } catch (e) {
      // Another client created it in between.
      if (e instanceof TrackingApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS') return (await this.getExperimentByName(name))!.experiment_id;
      throw e;
    }
  }

  searchExperiments(request: In<typeof s.SearchExperiments> = {}): Promise<Out<typeof s.SearchExperimentsResponse>> {
    return this.call<typeof s.SearchExperimentsResponse>('POST', 'experiments/search', request);
  }

  // ── Runs ──────────────────────────────────────────────────────────────────────────────────

  async createRun(options: { experimentId?: string; runName?: string; tags?: KeyValues; startTime?: number } = {}): Promise<Run> {
    const body: In<typeof s.CreateRun> = {
      experiment_id: options.experimentId ?? '0',
      run_name: options.runName,
      start_time: options.startTime ?? Date.now(),
      tags: pairs(options.tags),
    };
    return (await this.call<typeof s.RunResponse>('POST', 'runs/create', body)).run;
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.call<typeof s.RunResponse>('GET', 'runs/get', { run_id: runId })).run;
  }

  async updateRun(runId: string, update: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
    const body: In<typeof s.UpdateRun> = { run_id: runId, status: update.status, end_time: update.endTime, run_name: update.runName };
    return (await this.call<typeof s.UpdateRunResponse>('POST', 'runs/update', body)).run_info;
  }

  endRun(runId: string, status: RunStatus = 'FINISHED'): Promise<RunInfo> {
    return this.updateRun(runId, { status, endTime: Date.now() });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call('POST', 'runs/delete', { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.call('POST', 'runs/restore', { run_id: runId });
  }

  async logMetric(runId: string, key: string, value: number, options: { step?: number; timestamp?: number } = {}): Promise<void> {
    const body: In<typeof s.LogMetric> = { run_id: runId, key, value: numberOut(value), timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 };
    await this.call('POST', 'runs/log-metric', body);
  }

  async logParam(runId: string, key: string, value: string | number | boolean): Promise<void> {
    await this.call('POST', 'runs/log-parameter', { run_id: runId, key, value: String(value) });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'runs/set-tag', { run_id: runId, key, value });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.call('POST', 'runs/delete-tag', { run_id: runId, key });
  }

  /**
   * Logs metrics, params and tags, split into requests within MLflow's limits (1000 metrics,
   * 100 params, 100 tags, 1000 items per request). Each request is atomic on the server.
   */
  async logBatch(
    runId: string,
    batch: { metrics?: { key: string; value: number; step?: number; timestamp?: number }[]; params?: KeyValues; tags?: KeyValues },
  ): Promise<void> {
    const now = Date.now();
    let metrics = (batch.metrics ?? []).map((m) => ({ key: m.key, value: numberOut(m.value), timestamp: m.timestamp ?? now, step: m.step ?? 0 }));
    let params = pairs(batch.params);
    let tags = pairs(batch.tags);
    while (metrics.length || params.length || tags.length) {
      const p = params.slice(0, 100);
      const t = tags.slice(0, 100);
      const m = metrics.slice(0, 1000 - p.length - t.length);
      const body: In<typeof s.LogBatch> = { run_id: runId, metrics: m, params: p, tags: t };
      await this.call('POST', 'runs/log-batch', body);
      params = params.slice(p.length);
      tags = tags.slice(t.length);
      metrics = metrics.slice(m.length);
    }
  }

  /** Several metrics at one step: logMetrics(run, {loss: 0.3, acc: 0.9}, {step: 5}). */
  logMetrics(runId: string, values: Record<string, number>, options: { step?: number; timestamp?: number } = {}): Promise<void> {
    return this.logBatch(runId, { metrics: Object.entries(values).map(([key, value]) => ({ key, value, ...options })) });
  }

  searchRuns(request: In<typeof s.SearchRuns>): Promise<Out<typeof s.SearchRunsResponse>> {
    return this.call<typeof s.SearchRunsResponse>('POST', 'runs/search', request);
  }

  /** Every run matching, following page tokens. */
  async *searchAllRuns(request: Omit<In<typeof s.SearchRuns>, 'page_token'>): AsyncGenerator<Run> {
    let token: string | undefined;
    do {
      const page = await this.searchRuns({ ...request, page_token: token });
      yield* page.runs ?? [];
      token = page.next_page_token;
    } while (token);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return (await this.call<typeof s.MetricHistoryResponse>('GET', 'metrics/get-history', { run_id: runId, metric_key: key })).metrics ?? [];
  }

  // ── Artifacts ─────────────────────────────────────────────────────────────────────────────

  /** Uploads bytes (or text) to `path` in the run's artifacts, through the server. */
  async logArtifact(runId: string, path: string, data: Uint8Array | string): Promise<void> {
    const url = await this.artifactUrl(runId, path);
    await this.fetchRetrying(url, { method: 'PUT', body: data as BodyInit, headers: { ...this.headers, 'content-type': 'application/octet-stream' } });
  }

  async downloadArtifact(runId: string, path: string): Promise<Uint8Array> {
    const response = await this.fetchRetrying(await this.artifactUrl(runId, path), { headers: this.headers });
    return new Uint8Array(await response.arrayBuffer());
  }

  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return (await this.call<typeof s.ListArtifactsResponse>('GET', 'artifacts/list', { run_id: runId, path })).files ?? [];
  }

  private async artifactUrl(runId: string, path: string): Promise<string> {
    const root = (await this.getRun(runId)).info.artifact_uri;
    const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(root);
    if (!m) throw new Error(`Run ${runId} keeps its artifacts at ${root}, not on this server; upload them with that store's own client`);
    const encoded = `${m[1]}/${path}`.split('/').filter(Boolean).map(encodeURIComponent).join('/');
    return `${this.trackingUri}/api/2.0/mlflow-artifacts/artifacts/${encoded}`;
  }

  // ── Registry ──────────────────────────────────────────────────────────────────────────────

  async createRegisteredModel(name: string, options: { description?: string; tags?: KeyValues } = {}): Promise<RegisteredModel> {
    const body: In<typeof s.CreateRegisteredModel> = { name, description: options.description, tags: pairs(options.tags) };
    return (await this.call<typeof s.RegisteredModelResponse>('POST', 'registered-models/create', body)).registered_model;
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return (await this.call<typeof s.RegisteredModelResponse>('GET', 'registered-models/get', { name })).registered_model;
  }

  searchRegisteredModels(request: In<typeof s.SearchRegistry> = {}): Promise<Out<typeof s.SearchRegisteredModelsResponse>> {
    return this.call<typeof s.SearchRegisteredModelsResponse>('GET', 'registered-models/search', request);
  }

  async createModelVersion(name: string, source: string, options: { runId?: string; description?: string; tags?: KeyValues } = {}): Promise<ModelVersion> {
    const body: In<typeof s.CreateModelVersion> = { name, source, run_id: options.runId, description: options.description, tags: pairs(options.tags) };
    return (await this.call<typeof s.ModelVersionResponse>('POST', 'model-versions/create', body)).model_version;
  }

  async getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    return (await this.call<typeof s.ModelVersionResponse>('GET', 'model-versions/get', { name, version: String(version) })).model_version;
  }

  async setAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version: String(version) });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.call<typeof s.ModelVersionResponse>('GET', 'registered-models/alias', { name, alias })).model_version;
  }

  async setModelVersionTag(name: string, version: string | number, key: string, value: string): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', { name, version: String(version), key, value });
  }

  // ── Transport ─────────────────────────────────────────────────────────────────────────────

  /** One call of /api/2.0/mlflow/<path>: GET with a query string, other methods with a JSON body. */
  async call<O extends z.ZodType = typeof s.Empty>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: object = {}): Promise<Out<O>> {
    let url = `${this.trackingUri}/api/2.0/mlflow/${path}`;
    const init: RequestInit = { method, headers: { ...this.headers } };
    if (method === 'GET') {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined) query.append(k, String(item));
      if ([...query].length) url += `?${query}`;
    } else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await this.fetchRetrying(url, init);
    return (await response.json()) as Out<O>;
  }

  private async fetchRetrying(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response | undefined;
      try {
        response = await fetch(url, init);
      } catch (e) {
        if (attempt >= this.retries) throw e;
      }
      if (response?.ok) return response;
      if (response && !(response.status === 429 || response.status >= 500)) throw await apiError(response);
      if (attempt >= this.retries) throw response ? await apiError(response) : new Error(`Cannot reach ${url}`);
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

async function apiError(response: Response): Promise<TrackingApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    return new TrackingApiError(response.status, body.error_code ?? `HTTP_${response.status}`, body.message ?? text);
  } catch {
    return new TrackingApiError(response.status, `HTTP_${response.status}`, text.slice(0, 500));
  }
}

/** JSON cannot carry NaN or infinities; MLflow takes them as strings. */
function numberOut(v: number): number | string {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}
