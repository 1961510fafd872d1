/**
 * Runs one process step: materialise its inputs into a fresh work directory, run it through the
 * executor with its limits, and move its outputs into the artifact store. Nothing is recorded
 * as an output until the step has finished successfully and every file is stored.
 */
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { distPath } from '../dist-path.js';
import type { ArtifactStore } from '../artifacts/index.js';
import { SluiceError, errorMessage } from '../errors.js';
import type { CommandStep } from '../config/index.js';
import type { ExecResult, Executor } from './executor.js';
import type { PlanNode } from './plan.js';
import type { CachedResult, RecordedOutput } from './records.js';
import { RESULT_FILE, type StepResult, type StepTask, type TaskInput } from './task.js';
import { ERROR_FILE } from './worker-contract.js';

export interface StepRunContext {
  pipelineRunId: string;
  projectDir: string;
  workdir: string;
  artifacts: ArtifactStore;
  executor: Executor;
  inputs: Record<string, RecordedOutput>;
  env: Record<string, string>;
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
  onStart: () => void;
  signal?: AbortSignal;
  /** The project's PII policy, for every dataset the step writes. */
  pii: unknown;
}

export interface StepRunOutcome {
  result?: CachedResult;
  exec: ExecResult;
  error?: string;
  errorCode?: string;
}

const WORKER = distPath('pipeline/worker.js');

export async function runProcessStep(node: PlanNode, ctx: StepRunContext): Promise<StepRunOutcome> {
  const inDir = join(ctx.workdir, 'in');
  const outDir = join(ctx.workdir, 'out');
  await rm(ctx.workdir, { recursive: true, force: true });
  await mkdir(inDir, { recursive: true });
  await mkdir(outDir, { recursive: true });

  const inputs: Record<string, TaskInput> = {};
  for (const [name, ref] of Object.entries(ctx.inputs)) {
    const dest = join(inDir, ref.kind === 'dataset' ? `${name}.parquet` : name);
    if (ref.kind === 'model' || ref.kind === 'dir') await ctx.artifacts.materializeDirectory(ref.digest, dest);
    else await ctx.artifacts.materialize(ref.digest, dest);
    inputs[name] = { path: dest, kind: ref.kind as TaskInput['kind'], digest: ref.digest, ...(ref.meta ? { meta: ref.meta } : {}) };
  }

  const baseEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...ctx.env,
    SLUICE_PIPELINE_RUN_ID: ctx.pipelineRunId,
    SLUICE_STEP: node.id,
    SLUICE_PROJECT_DIR: ctx.projectDir,
    SLUICE_WORKDIR: ctx.workdir,
    SLUICE_OUTPUT_DIR: outDir,
    SLUICE_CPUS: String(node.resources.cpus),
    SLUICE_MEMORY_BYTES: String(node.resources.memory),
  };

  const env = { ...baseEnv };
  if (node.kind === 'command') {
    const step = node.step as CommandStep;
    Object.assign(env, step.env);
    for (const [name, input] of Object.entries(inputs)) env[`SLUICE_INPUT_${envName(name)}`] = input.path;
    for (const [name, out] of Object.entries(step.outputs)) env[`SLUICE_OUTPUT_${envName(name)}`] = join(outDir, out.path);
  }
  const task: StepTask = {
    pipelineRunId: ctx.pipelineRunId,
    step: node.id,
    kind: node.kind as StepTask['kind'],
    spec: taskSpec(node, ctx.projectDir),
    inputs,
    workdir: ctx.workdir,
    outputDir: outDir,
    cpus: node.resources.cpus,
    memoryBytes: node.resources.memory,
    pii: ctx.pii,
  };
  const taskFile = join(ctx.workdir, 'task.json');
  await writeFile(taskFile, JSON.stringify(task));
  const exec = await ctx.executor.run({
    command: { argv: [process.execPath, WORKER, taskFile] },
    cwd: ctx.workdir,
    env,
    cpus: node.resources.cpus,
    memoryBytes: node.resources.memory,
    timeoutMs: node.resources.timeout,
    onOutput: ctx.onOutput,
    onStart: ctx.onStart,
    signal: ctx.signal,
  });

  if (exec.failure !== null) return { exec, ...(await failureOf(node, exec, ctx.workdir)) };
  try {
    const result = node.kind === 'command' ? await commandResult(node, outDir) : await workerResult(outDir);
    return { exec, result: await storeOutputs(node, result, outDir, ctx.artifacts) };
  } catch (e) {
    return { exec: { ...exec, failure: 'error' }, error: errorMessage(e), errorCode: e instanceof SluiceError ? e.code : 'STEP_FAILED' };
  }
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

async function failureOf(node: PlanNode, exec: ExecResult, workdir: string): Promise<{ error: string; errorCode: string }> {
  const limits = node.resources;
  if (exec.failure === 'timeout') {
    return { errorCode: 'STEP_TIMEOUT', error: `Step '${node.id}' ran longer than its time limit of ${formatMs(limits.timeout)} and was stopped` };
  }
  if (exec.failure === 'out-of-memory') {
    return {
      errorCode: 'STEP_OUT_OF_MEMORY',
      error: `Step '${node.id}' used more than its memory limit of ${formatBytes(limits.memory)} (peak seen ${formatBytes(exec.peakRssBytes)}) and was stopped`,
    };
  }
  if (exec.failure === 'killed') return { errorCode: 'STEP_FAILED', error: `Step '${node.id}' was interrupted` };
  try {
    const e = JSON.parse(await readFile(join(workdir, ERROR_FILE), 'utf8')) as { code: string; message: string; where?: string; hint?: string };
    return { errorCode: e.code, error: [e.message, e.hint ? `(${e.hint})` : ''].filter(Boolean).join(' ') };
  } catch {
    const how = exec.signal ? `was killed by ${exec.signal}` : `exited with code ${exec.exitCode}`;
    return { errorCode: 'STEP_FAILED', error: `Step '${node.id}' ${how}; see its log above or with \`sluice logs latest --step ${node.id}\`` };
  }
}

async function workerResult(outDir: string): Promise<StepResult> {
  return JSON.parse(await readFile(join(outDir, RESULT_FILE), 'utf8')) as StepResult;
}

async function commandResult(node: PlanNode, outDir: string): Promise<StepResult> {
  const step = node.step as CommandStep;
  const outputs: StepResult['outputs'] = {};
  for (const [name, out] of Object.entries(step.outputs)) {
    const path = join(outDir, out.path);
    try {
      await access(path);
    } catch {
      throw new SluiceError('STEP_FAILED', `Step '${node.id}' exited successfully but did not write its output '${name}' at ${path}`, {
        where: `steps.${node.id}.outputs.${name}`,
        hint: `Write it to the path in $SLUICE_OUTPUT_${envName(name)}.`,
      });
    }
    outputs[name] = { path: out.path, kind: out.type };
    if (out.type === 'dataset') outputs[name].meta = await describeDataset(path);
  }
  // A command may also report metrics and params in the result file, like the built-in steps.
  const extra = await readFile(join(outDir, RESULT_FILE), 'utf8').then((t) => JSON.parse(t) as Partial<StepResult>, () => ({}) as Partial<StepResult>);
  return { ...extra, outputs };
}

async function describeDataset(path: string): Promise<Record<string, unknown>> {
  const { withDuckDB, describeParquet } = await import('../data/duckdb.js');
  return withDuckDB(async (conn) => {
    try {
      return { ...(await describeParquet(conn, path)) };
    } catch (e) {
      throw new SluiceError('DATA_INVALID', `Output ${path} is not a readable Parquet file: ${errorMessage(e).split('\n')[0]}`, {
        hint: 'A dataset output must be written as Parquet.',
      });
    }
  });
}

async function storeOutputs(node: PlanNode, result: StepResult, outDir: string, artifacts: ArtifactStore): Promise<CachedResult> {
  const outputs: Record<string, RecordedOutput> = {};
  for (const [name, out] of Object.entries(result.outputs)) {
    if (!(name in node.outputs)) throw new SluiceError('STEP_FAILED', `Step '${node.id}' produced an undeclared output '${name}'`);
    const path = join(outDir, out.path);
    const ref = out.kind === 'model' || out.kind === 'dir' ? await artifacts.putDirectory(path) : await artifacts.putFile(path);
    outputs[name] = { digest: ref.digest, size: ref.size, kind: out.kind, ...(out.meta ? { meta: out.meta } : {}) };
  }
  const missing = Object.keys(node.outputs).filter((n) => !(n in outputs));
  if (missing.length > 0) throw new SluiceError('STEP_FAILED', `Step '${node.id}' did not produce output(s) ${missing.join(', ')}`);
  return { outputs, metrics: result.metrics, history: result.history, params: result.params, summary: result.summary };
}

/** The settings a built-in step's process needs, from its plan node. */
function taskSpec(node: PlanNode, projectDir: string): Record<string, unknown> {
  const step = node.step;
  switch (node.kind) {
    case 'acquire': {
      const s = node.source!;
      const c = s.config;
      return {
        name: s.name,
        kind: c.kind,
        format: c.format,
        path: c.kind === 'url' ? undefined : s.absPath,
        header: c.header,
        delimiter: c.delimiter,
        columnNames: c.columns ? Object.keys(c.columns) : undefined,
        filter: c.filter,
        query: c.query,
        connection: c.connection,
      };
    }
    case 'validate': {
      const s = node.source!;
      return {
        source: s.name,
        columns: s.config.columns ?? null,
        nulls: s.config.nulls,
        headerLines: (s.config.format === 'csv' || s.config.format === 'tsv') && s.config.header ? 1 : 0,
        expectations: (node.config as { expectations: unknown }).expectations,
      };
    }
    case 'prepare':
      if (step?.kind !== 'prepare') break;
      return { step: node.id, trim: step.trim, nulls: step.nulls, rename: step.rename, replace: step.replace, drop: step.drop, dropMissing: step.drop_missing };
    case 'split':
      if (step?.kind !== 'split') break;
      return { step: node.id, fractions: step.fractions, seed: step.seed, stratify: step.stratify };
    case 'train':
      if (step?.kind !== 'train') break;
      return { trainer: step.trainer, task: step.task, target: step.target, positive: step.positive, features: step.features, exclude: step.exclude, params: step.params, seed: step.seed };
    case 'search':
      if (step?.kind !== 'search') break;
      return {
        trainer: step.trainer,
        task: step.task,
        target: step.target,
        positive: step.positive,
        features: step.features,
        exclude: step.exclude,
        params: step.params,
        seed: step.seed,
        space: step.space,
        strategy: step.strategy,
        trials: step.trials,
        metric: step.metric,
        goal: step.goal,
      };
    case 'evaluate':
      if (step?.kind !== 'evaluate') break;
      return { threshold: step.threshold, slices: step.slices, sensitive: step.sensitive, privileged: step.privileged, bootstrap: step.bootstrap };
    case 'command':
      if (step?.kind !== 'command') break;
      return { run: step.run };
    case 'sql':
      if (step?.kind !== 'sql') break;
      return { step: node.id, query: step.query, file: step.file ? resolve(projectDir, step.file) : undefined, columns: step.columns ?? null };
    case 'check':
      if (step?.kind !== 'check') break;
      return { step: node.id, expectations: (node.config as { expectations: unknown }).expectations, bias: step.bias ?? null };
    case 'module':
      if (step?.kind !== 'module') break;
      return { step: node.id, module: resolve(projectDir, step.module), params: step.params, columns: step.columns ?? null };
  }
  throw new SluiceError('INTERNAL', `No process implementation for step '${node.id}' of kind ${node.kind}`);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
