/**
 * Runs a project's pipeline: plans the DAG, runs ready steps in parallel (bounded by the
 * executor), reuses cached steps, judges gates, and at the end records dataset versions and the
 * model version in one transaction — so a failed or killed run leaves none behind.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, isSluiceError } from '../errors.js';
import { evaluateGate, type FairnessReport, type GateResult } from '../evaluation/index.js';
import { getModelVersion } from '../registry/index.js';
import type { Project } from '../project.js';
import { createRun, endRun, getOrCreateExperiment, logInputs, logMetrics, logParams, setTags } from '../tracking/index.js';
import { fetchUrlSource } from '../data/fetch-url.js';
import { trackingEnvFor } from '../server/tracking-env.js';
import { LocalExecutor, type Executor } from './executor.js';
import { computeCacheKey, hashCodeFiles, hashFile, sluiceCodeHash } from './cache-key.js';
import type { RunEvent, StepEndStatus } from './events.js';
import { StepLog, liveLogPath } from './logs.js';
import { buildPlan, type PlanNode } from './plan.js';
import {
  createPipelineRun,
  createStepRuns,
  failAbandonedRuns,
  finishPipelineRun,
  insertGateResult,
  lookupCache,
  saveCache,
  updateStepRun,
  type CachedResult,
  type RecordedOutput,
} from './records.js';
import { runProcessStep } from './run-step.js';
import { finalizeRun, type RunSummary } from './finalize.js';

export interface RunOptions {
  /** Rerun every step, ignoring the cache. */
  force?: boolean;
  keepWorkdir?: boolean;
  /** schedule | data-change | alert | manual | ci (default manual). */
  trigger?: string;
  /** What made the trigger fire: cron expression, source and digest, alert rule and event, reason. */
  triggerCause?: Record<string, unknown>;
  executor?: Executor;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
}

type NodeState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export async function runPipeline(project: Project, options: RunOptions = {}): Promise<RunSummary> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const { store, artifacts, config } = project;
  const plan = buildPlan(config, project.dir);
  const executor = options.executor ?? new LocalExecutor();

  const abandoned = await failAbandonedRuns(store.db, config.project);
  for (const id of abandoned) await rm(join(project.workspace, 'work', id), { recursive: true, force: true });
  // Temp files of writers that died: none can be in use after an hour.
  await artifacts.cleanupTemp(60 * 60_000);

  const runId = newRunId();
  const stepRunIds = new Map(plan.order.map((id, i) => [id, `${runId}-${String(i).padStart(3, '0')}`]));
  await store.transaction(async (trx) => {
    await createPipelineRun(trx, { id: runId, project: config.project, trigger: options.trigger ?? 'manual', triggerCause: options.triggerCause, configHash: project.configHash });
    await createStepRuns(trx, runId, plan.order.map((id) => ({ id: stepRunIds.get(id) as string, name: id, kind: plan.nodes.get(id)!.kind })));
  });
  emit({ type: 'run-start', runId, project: config.project, steps: plan.order.map((id) => ({ id, kind: plan.nodes.get(id)!.kind })), abandoned });

  const state = new Map<string, NodeState>(plan.order.map((id) => [id, 'pending']));
  const results = new Map<string, CachedResult>();
  const trackingRuns = new Map<string, string>();
  const gateResults: GateResult[] = [];
  const sourceDigests = new Map<string, SourceLineage>();
  const errors: { step: string; message: string; code?: string }[] = [];
  const codeHash = await sluiceCodeHash();
  let stopping = false;
  let server: Promise<{ url: string; close: () => Promise<void> }> | undefined;
  const trackingServer = async (): Promise<string> => {
    if (process.env.SLUICE_TRACKING_URI) return process.env.SLUICE_TRACKING_URI;
    server ??= import('../server/index.js').then(({ startServer }) => startServer(project, { host: '127.0.0.1', port: 0, logger: false }));
    return (await server).url;
  };

  const finishNode = async (node: PlanNode, status: StepEndStatus, t0: number, extra: { error?: string; failure?: string | null; reason?: string } = {}) => {
    state.set(node.id, status === 'failed' ? 'failed' : status === 'skipped' ? 'skipped' : 'done');
    emit({ type: 'step-end', step: node.id, kind: node.kind, status, durationMs: performance.now() - t0, ...extra });
  };

  const runNode = async (node: PlanNode): Promise<void> => {
    const t0 = performance.now();
    const stepRunId = stepRunIds.get(node.id) as string;
    if (node.kind === 'gate') {
      const gate = config.gates[node.id.slice('gate/'.length)];
      const evaluation = results.get(gate.evaluation);
      const metrics = evaluation?.metrics ?? {};
      const fairness = (evaluation?.summary?.fairness ?? null) as FairnessReport | null;
      const baseline = await championMetrics(project, gate.champion);
      const result = evaluateGate(node.id.slice('gate/'.length), gate.checks, metrics, { baseline, fairness });
      gateResults.push(result);
      const modelNode = config.steps[gate.evaluation]?.kind === 'evaluate' ? (config.steps[gate.evaluation] as { model: string }).model.split('.')[0] : '';
      await insertGateResult(store.db, {
        pipelineRunId: runId,
        gate: result.gate,
        subjectKind: 'model',
        subjectId: results.get(modelNode)?.outputs.model?.digest ?? '',
        status: result.status,
        details: result.checks,
      });
      emit({ type: 'gate', result });
      const failed = result.status === 'fail';
      await updateStepRun(store.db, stepRunId, { status: failed ? 'failed' : 'succeeded', started_at: Date.now(), ended_at: Date.now(), failure: failed ? 'gate' : null, error: failed ? `gate '${result.gate}' failed` : null });
      await finishNode(node, failed ? 'failed' : 'succeeded', t0, failed ? { failure: 'gate', error: `gate '${result.gate}' failed` } : {});
      return;
    }
    if (node.kind === 'register') {
      // Registration happens in the final transaction, once the whole run has succeeded.
      await updateStepRun(store.db, stepRunId, { status: 'succeeded', started_at: Date.now(), ended_at: Date.now() });
      await finishNode(node, 'succeeded', t0);
      return;
    }

    const inputs: Record<string, RecordedOutput> = {};
    for (const [name, ref] of Object.entries(node.inputs)) inputs[name] = results.get(ref.node)!.outputs[ref.output];
    let code = codeHash;
    let extra: unknown;
    try {
      if (node.kind === 'command' && node.step?.kind === 'command') {
        code = (await hashCodeFiles(project.dir, node.step.code, `steps.${node.id}.code`)) + node.step.run;
      }
      if (node.step?.kind === 'sql' && node.step.file) code += await hashCodeFiles(project.dir, [node.step.file], `steps.${node.id}.file`);
      if (node.step?.kind === 'module') code += await hashCodeFiles(project.dir, [node.step.module], `steps.${node.id}.module`);
      if (node.kind === 'acquire' && node.source) {
        const fetched = await sourceContent(project, node);
        sourceDigests.set(node.source.name, fetched.lineage);
        extra = { source: fetched.key };
        if (fetched.raw) inputs.raw = fetched.raw;
      }
    } catch (e) {
      errors.push({ step: node.id, message: errorMessage(e), code: isSluiceError(e) ? e.code : 'STEP_FAILED' });
      await updateStepRun(store.db, stepRunId, { status: 'failed', failure: 'error', error: errorMessage(e), ended_at: Date.now() });
      stopping = true;
      await finishNode(node, 'failed', t0, { error: errorMessage(e), failure: 'error' });
      return;
    }
    // Every dataset a step writes is scanned under the PII policy, so the policy is part of the key.
    const writesData = Object.values(node.outputs).includes('dataset');
    const cacheKey = computeCacheKey({
      kind: node.kind,
      config: node.config,
      code,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.digest])),
      extra: writesData ? { extra, pii: config.pii } : extra,
    });

    if (!options.force) {
      const hit = await lookupCache(store.db, cacheKey);
      if (hit && (await allStored(hit.result, artifacts))) {
        results.set(node.id, hit.result);
        if (hit.trackingRunId) trackingRuns.set(node.id, hit.trackingRunId);
        await updateStepRun(store.db, stepRunId, {
          status: 'cached',
          cache_key: cacheKey,
          started_at: Date.now(),
          ended_at: Date.now(),
          outputs: JSON.stringify(hit.result.outputs),
          tracking_run_id: hit.trackingRunId,
        });
        await finishNode(node, 'cached', t0);
        return;
      }
    }

    const log = new StepLog(liveLogPath(project.workspace, runId, node.id));
    await log.open();
    let trackingRunId: string | null = null;
    if (node.kind === 'train' || node.kind === 'search' || node.kind === 'command') {
      const experiment = await getOrCreateExperiment(store.db, config.project);
      const run = await createRun(store.db, { experimentId: experiment.experimentId, runName: `${node.id}-${runId.slice(-6)}`, pipelineRunId: runId, stepName: node.id });
      const id = run.runId;
      trackingRunId = id;
      trackingRuns.set(node.id, id);
      await setTags(store.db, id, { 'sluice.pipeline_run': runId, 'sluice.step': node.id, 'sluice.code_hash': code, 'mlflow.runName': run.runName });
    }
    await updateStepRun(store.db, stepRunId, { cache_key: cacheKey, tracking_run_id: trackingRunId });
    const workdir = join(project.workspace, 'work', runId, node.id.replaceAll('/', '__'));
    const outcome = await runProcessStep(node, {
      pipelineRunId: runId,
      projectDir: project.dir,
      workdir,
      artifacts,
      executor,
      inputs,
      // A command step logs into its tracking run with any MLflow client: it gets the tracking
      // server's URI (a team server's, or one this run starts on loopback) and the run id.
      env: trackingRunId ? (node.kind === 'command' ? trackingEnvFor(trackingRunId, await trackingServer()) : { SLUICE_TRACKING_RUN_ID: trackingRunId }) : {},
      onOutput: (text, stream) => {
        log.write(text);
        emit({ type: 'step-output', step: node.id, text, stream });
      },
      onStart: () => {
        emit({ type: 'step-start', step: node.id, kind: node.kind });
        void updateStepRun(store.db, stepRunId, { status: 'running', started_at: Date.now() });
      },
      signal: options.signal,
      pii: config.pii,
    }).catch((e: unknown) => ({ exec: { exitCode: null, signal: null, failure: 'error' as const, peakRssBytes: 0, durationMs: 0 }, error: errorMessage(e), errorCode: 'STEP_FAILED', result: undefined }));
    if (outcome.error) log.write(`\nerror: ${outcome.error}\n`);
    await log.close();
    const logRef = await artifacts.putFile(log.path);
    await rm(log.path, { force: true });
    if (!options.keepWorkdir) await rm(workdir, { recursive: true, force: true });
    const resources = JSON.stringify({ cpus: node.resources.cpus, memory_limit: node.resources.memory, timeout_ms: node.resources.timeout, peak_rss: outcome.exec.peakRssBytes });

    if (!outcome.result) {
      errors.push({ step: node.id, message: outcome.error ?? 'failed', code: outcome.errorCode });
      stopping = true;
      await updateStepRun(store.db, stepRunId, {
        status: 'failed',
        ended_at: Date.now(),
        exit_code: outcome.exec.exitCode,
        failure: outcome.exec.failure,
        error: outcome.error ?? null,
        log_digest: logRef.digest,
        resources,
      });
      if (trackingRunId) await endRun(store.db, trackingRunId, 'FAILED', Date.now());
      await finishNode(node, 'failed', t0, { error: outcome.error, failure: outcome.exec.failure });
      return;
    }

    const result = outcome.result;
    results.set(node.id, result);
    if (trackingRunId) await recordTraining(project, trackingRunId, inputs, result);
    if (trackingRunId && node.kind === 'search') await recordTrials(project, trackingRunId, runId, node.id, result);
    if (node.kind === 'evaluate' && node.step?.kind === 'evaluate') {
      const modelNode = node.inputs.model.node;
      const modelRun = trackingRuns.get(modelNode);
      if (modelRun && result.metrics) {
        const now = Date.now();
        await logMetrics(store.db, modelRun, Object.entries(result.metrics).map(([k, v]) => ({ key: `${node.id}_${k}`, value: v, step: 0, timestamp: now })));
      }
    }
    await saveCache(store.db, { cacheKey, kind: node.kind, result, trackingRunId });
    await updateStepRun(store.db, stepRunId, {
      status: 'succeeded',
      ended_at: Date.now(),
      exit_code: outcome.exec.exitCode,
      log_digest: logRef.digest,
      outputs: JSON.stringify(result.outputs),
      resources,
    });
    await finishNode(node, 'succeeded', t0);
  };

  // The scheduler: start every step whose dependencies are done; the executor bounds how many
  // processes run at once.
  const running = new Map<string, Promise<void>>();
  for (;;) {
    for (const id of plan.order) {
      if (state.get(id) !== 'pending') continue;
      const node = plan.nodes.get(id) as PlanNode;
      const depStates = node.deps.map((d) => state.get(d));
      if (depStates.some((s) => s === 'failed' || s === 'skipped') || (stopping && !node.inline)) {
        const reason = stopping ? 'an earlier step failed' : `needs ${node.deps.filter((d) => ['failed', 'skipped'].includes(state.get(d) as string)).join(', ')}`;
        await updateStepRun(store.db, stepRunIds.get(id) as string, { status: 'skipped', error: reason });
        await finishNode(node, 'skipped', performance.now(), { reason });
        continue;
      }
      if (depStates.every((s) => s === 'done')) {
        state.set(id, 'running');
        running.set(
          id,
          runNode(node).finally(() => running.delete(id)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  if (server) await (await server).close();
  if (!options.keepWorkdir) await rm(join(project.workspace, 'work', runId), { recursive: true, force: true });
  return finalizeRun({
    project,
    runId,
    plan,
    state,
    results,
    trackingRuns,
    gateResults,
    sourceDigests,
    errors,
    codeHash,
    emit,
    startedMs: started,
    finishPipelineRun,
  });
}

async function recordTraining(project: Project, runId: string, inputs: Record<string, RecordedOutput>, result: CachedResult): Promise<void> {
  const db = project.store.db;
  if (result.params) await logParams(db, runId, result.params);
  const now = Date.now();
  const history = result.history ?? [];
  // A summary metric that also has a history (train_loss, validation_loss) is that history's
  // last point: logging it again at step 0 would put two points at step 0 of the chart.
  const last = new Map<string, { value: number; step: number }>();
  for (const h of history) if ((last.get(h.key)?.step ?? -Infinity) <= h.step) last.set(h.key, h);
  const points = [
    ...history.map((h) => ({ key: h.key, value: h.value, step: h.step, timestamp: now })),
    ...Object.entries(result.metrics ?? {})
      .filter(([key, value]) => !(last.has(key) && Object.is(last.get(key)!.value, value)))
      .map(([key, value]) => ({ key, value, step: last.get(key)?.step ?? 0, timestamp: now })),
  ];
  if (points.length > 0) await logMetrics(db, runId, points);
  await logInputs(
    db,
    runId,
    Object.entries(inputs)
      .filter(([, v]) => v.kind === 'dataset')
      .map(([name, v]) => ({ datasetId: datasetIdOf(v.digest), context: name === 'train' ? 'training' : name })),
  );
  await endRun(db, runId, 'FINISHED', Date.now());
}

/** Each trial of a search becomes a tracking run, a child of the search's run (MLflow's way). */
async function recordTrials(project: Project, parentRunId: string, pipelineRunId: string, step: string, result: CachedResult): Promise<void> {
  const trials = (result.summary?.trials ?? []) as { params: Record<string, unknown>; metrics: Record<string, number> }[];
  const best = result.summary?.best as number | undefined;
  const db = project.store.db;
  const experiment = await getOrCreateExperiment(db, project.config.project);
  for (const [i, trial] of trials.entries()) {
    const run = await createRun(db, { experimentId: experiment.experimentId, runName: `${step}-trial-${i + 1}`, pipelineRunId, stepName: step });
    await setTags(db, run.runId, { 'mlflow.parentRunId': parentRunId, 'sluice.trial': String(i + 1), ...(i === best ? { 'sluice.best_trial': 'true' } : {}) });
    await logParams(db, run.runId, Object.fromEntries(Object.entries(trial.params).map(([k, v]) => [k, String(v)])));
    const now = Date.now();
    await logMetrics(db, run.runId, Object.entries(trial.metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: now })));
    await endRun(db, run.runId, 'FINISHED', now);
  }
}

export function datasetIdOf(digest: string): string {
  return `ds-${digest.slice(0, 16)}`;
}

async function allStored(result: CachedResult, artifacts: Project['artifacts']): Promise<boolean> {
  for (const o of Object.values(result.outputs)) if (!(await artifacts.has(o.digest))) return false;
  return true;
}

/**
 * The metrics of the model to beat: the version the registered model's champion alias points
 * at, or null when there is none yet (checks relative to it are then skipped, and say so).
 */
async function championMetrics(project: Project, alias: string): Promise<Record<string, number> | null> {
  const name = project.config.register?.model;
  if (!name) return null;
  try {
    return (await getModelVersion(project.store.db, name, alias)).metrics;
  } catch {
    return null;
  }
}

export interface SourceLineage {
  uri: string;
  digest: string;
  etag?: string | null;
  lastModified?: string | null;
}

/**
 * What a source holds now, for the acquire step's cache key: the SHA-256 of its file(s), the
 * content of a URL (fetched only when its ETag or Last-Modified changed), or — for a database
 * query, whose result cannot be known without running it — a fresh value, so it always runs.
 */
async function sourceContent(project: Project, node: PlanNode): Promise<{ key: string; lineage: SourceLineage; raw?: RecordedOutput }> {
  const source = node.source!;
  const c = source.config;
  if (c.kind === 'url' && c.url) {
    const f = await fetchUrlSource(project.store.db, project.artifacts, { name: source.name, url: c.url });
    return { key: f.digest, lineage: { uri: c.url, digest: f.digest, etag: f.etag, lastModified: f.lastModified }, raw: { digest: f.digest, size: f.size, kind: 'file' } };
  }
  if (c.kind === 'query') {
    const nonce = `${Date.now()}-${randomBytes(8).toString('hex')}`;
    return { key: nonce, lineage: { uri: `query: ${c.query}`, digest: 'not hashed: a query is run every time' } };
  }
  const digest = await hashSourceFiles(source.absPath as string).catch(() => 'missing');
  return { key: digest, lineage: { uri: c.path as string, digest } };
}

/** SHA-256 of a file, or for a glob of every matching file (names and contents, in order). */
export async function hashSourceFiles(path: string): Promise<string> {
  if (!/[*?[]/.test(path)) return hashFile(path);
  const { glob } = await import('tinyglobby');
  const files = (await glob(path, { absolute: true, onlyFiles: true })).sort();
  const parts: string[] = [];
  for (const f of files) parts.push(`${f}\0${await hashFile(f)}`);
  return computeCacheKey({ kind: 'glob', config: parts, code: '', inputs: {} });
}

function newRunId(): string {
  // Time-ordered, so ids sort by start time: yyyymmddhhmmss + random.
  const t = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${t}-${randomBytes(3).toString('hex')}`;
}
