/**
 * The end of a pipeline run, in one transaction: dataset versions for every dataset the run
 * produced, the model version when registration is declared and every gate passed, and the
 * run's final status. A run that failed records only its failure.
 */
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import type { FairnessReport, GateResult } from '../evaluation/index.js';
import { finalizePackage } from './package-model.js';
import type { Project } from '../project.js';
import { findModelVersionByRun, registerModelVersion, setAlias } from '../registry/index.js';
import type { Db } from '../store/store.js';
import type { RunEvent } from './events.js';
import type { Plan } from './plan.js';
import { insertDatasetVersion, type CachedResult } from './records.js';
import { datasetIdOf, type SourceLineage } from './runner.js';

export interface RunSummary {
  runId: string;
  project: string;
  status: 'succeeded' | 'failed' | 'blocked';
  durationMs: number;
  steps: { id: string; kind: string; state: string }[];
  errors: { step: string; message: string; code?: string }[];
  gates: GateResult[];
  datasets: { id: string; name: string; rows: number }[];
  model?: { name: string; version: number; existing: boolean; runId: string };
}

/**
 * The exit code a finished run means: 0 when it succeeded, GATE_FAILED when a gate blocked it,
 * else the code of its first error (STEP_FAILED when the error carries none).
 */
export function runExitCode(status: RunSummary['status'], errors: RunSummary['errors']): number {
  if (status === 'blocked') return ERROR_CODES.GATE_FAILED.exit;
  if (status !== 'failed') return 0;
  const code = errors[0]?.code as ErrorCode | undefined;
  return code && code in ERROR_CODES ? ERROR_CODES[code].exit : ERROR_CODES.STEP_FAILED.exit;
}

interface FinalizeInput {
  project: Project;
  runId: string;
  plan: Plan;
  state: Map<string, string>;
  results: Map<string, CachedResult>;
  trackingRuns: Map<string, string>;
  gateResults: GateResult[];
  sourceDigests: Map<string, SourceLineage>;
  errors: { step: string; message: string; code?: string }[];
  codeHash: string;
  emit: (e: RunEvent) => void;
  startedMs: number;
  finishPipelineRun: (db: Db, id: string, status: 'succeeded' | 'failed' | 'blocked', error?: Record<string, unknown>) => Promise<void>;
}

export async function finalizeRun(input: FinalizeInput): Promise<RunSummary> {
  const { project, runId, plan, state, results, gateResults, errors } = input;
  const config = project.config;
  const gateFailed = gateResults.some((g) => g.status === 'fail');
  const status: RunSummary['status'] = errors.length > 0 ? 'failed' : gateFailed ? 'blocked' : 'succeeded';
  const datasets: RunSummary['datasets'] = [];
  let model: RunSummary['model'];

  // Written before the transaction: the store holds no lock while artifacts are written, and a
  // package nobody registers is an unreferenced blob, never a record.
  let registeredSource: string | undefined;
  const reg = config.register;
  if (status === 'succeeded' && reg && state.get('register') === 'done') {
    const modelOut = results.get(reg.from)?.outputs.model;
    const trainRun = input.trackingRuns.get(reg.from);
    const already = trainRun ? await findModelVersionByRun(project.store.db, reg.model, trainRun) : undefined;
    if (modelOut && trainRun && !already) {
      const trainNode = plan.nodes.get(reg.from)!;
      const evalNode = plan.nodes.get(reg.evaluation)!;
      const ds = (ref: { node: string; output: string } | undefined) => (ref ? results.get(ref.node)?.outputs[ref.output] : undefined);
      const roles = { train: ds(trainNode.inputs.train), validation: ds(trainNode.inputs.validation), test: ds(evalNode.inputs.data) };
      const trainResult = results.get(reg.from);
      const step = config.steps[reg.from];
      registeredSource = await finalizePackage(project.artifacts, modelOut.digest, {
        name: reg.model,
        runId: trainRun,
        pipelineRunId: runId,
        trainer: step?.kind === 'train' || step?.kind === 'search' ? step.trainer : 'command',
        params: trainResult?.params ?? {},
        metrics: results.get(reg.evaluation)?.metrics ?? {},
        fairness: (results.get(reg.evaluation)?.summary?.fairness ?? null) as FairnessReport | null,
        gates: gateResults.filter((g) => reg.gates.includes(g.gate)),
        datasets: Object.fromEntries(Object.entries(roles).flatMap(([k, v]) => (v ? [[k, datasetIdOf(v.digest)]] : []))),
        datasetRows: Object.fromEntries(Object.entries(roles).flatMap(([k, v]) => (v ? [[k, Number((v.meta as { rowCount?: number } | undefined)?.rowCount ?? 0)]] : []))),
        target: step?.kind === 'train' || step?.kind === 'search' ? step.target : '',
        positive: step?.kind === 'train' || step?.kind === 'search' ? (step.positive ?? '') : '',
      });
    }
  }

  await project.store.transaction(async (trx) => {
    if (status !== 'failed') {
      for (const id of plan.order) {
        const node = plan.nodes.get(id)!;
        const result = results.get(id);
        if (!result) continue;
        for (const [output, rec] of Object.entries(result.outputs)) {
          if (rec.kind !== 'dataset') continue;
          const name = datasetName(id, output, node.kind);
          const meta = (rec.meta ?? {}) as { columns?: unknown; rowCount?: number; profile?: unknown };
          const dsId = datasetIdOf(rec.digest);
          await insertDatasetVersion(trx, {
            id: dsId,
            name,
            project: config.project,
            digest: rec.digest,
            schema: meta.columns ?? [],
            rowCount: meta.rowCount ?? 0,
            lineage: lineageOf(input, id),
            validation: { ...(node.kind === 'validate' ? (result.summary?.validation as object) : {}), ...(node.kind === 'check' ? result.summary : {}), pii: (meta as { pii?: unknown }).pii },
            profile: meta.profile,
            pipelineRunId: runId,
          });
          datasets.push({ id: dsId, name, rows: meta.rowCount ?? 0 });
        }
      }
    }
    if (status === 'succeeded' && reg && state.get('register') === 'done') {
      const trainRun = input.trackingRuns.get(reg.from);
      const modelOut = results.get(reg.from)?.outputs.model;
      if (trainRun && modelOut) {
        const existing = await findModelVersionByRun(trx, reg.model, trainRun);
        if (existing || !registeredSource) {
          if (!existing) throw new Error('internal: a model to register has no package');
          model = { name: existing.name, version: existing.version, existing: true, runId: trainRun };
        } else {
          const evalNode = plan.nodes.get(reg.evaluation)!;
          const trainNode = plan.nodes.get(reg.from)!;
          const dsOf = (nodeId: string | undefined, output: string | undefined) => {
            const digest = nodeId && output ? results.get(nodeId)?.outputs[output]?.digest : undefined;
            return digest ? datasetIdOf(digest) : null;
          };
          const trainResult = results.get(reg.from);
          const evalMetrics = results.get(reg.evaluation)?.metrics ?? {};
          const registered = await registerModelVersion(trx, {
            name: reg.model,
            runId: trainRun,
            source: registeredSource,
            pipelineRunId: runId,
            codeHash: input.codeHash,
            datasets: Object.fromEntries(
              Object.entries({
                train: dsOf(trainNode.inputs.train?.node, trainNode.inputs.train?.output),
                validation: dsOf(trainNode.inputs.validation?.node, trainNode.inputs.validation?.output),
                test: dsOf(evalNode.inputs.data?.node, evalNode.inputs.data?.output),
              }).filter((e): e is [string, string] => e[1] !== null),
            ),
            params: trainResult?.params ?? {},
            metrics: { ...evalMetrics, ...prefixed('train', trainResult?.metrics ?? {}) },
            gates: gateResults.filter((g) => reg.gates.includes(g.gate)),
            actor: process.env.SLUICE_ACTOR ?? process.env.USER ?? 'sluice',
            reason: `pipeline run ${runId} passed gates ${reg.gates.join(', ') || '(none)'}`,
          });
          for (const alias of reg.aliases) {
            await setAlias(trx, { name: registered.name, alias, version: registered.version, actor: process.env.SLUICE_ACTOR ?? process.env.USER ?? 'sluice', reason: `registered by pipeline run ${runId} with its gates passed` });
          }
          model = { name: registered.name, version: registered.version, existing: false, runId: trainRun };
        }
      }
    }
    const error =
      status === 'failed'
        ? { message: errors[0]?.message, step: errors[0]?.step, code: errors[0]?.code }
        : status === 'blocked'
          ? { message: `gate(s) failed: ${gateResults.filter((g) => g.status === 'fail').map((g) => g.gate).join(', ')}`, code: 'GATE_FAILED' }
          : undefined;
    await input.finishPipelineRun(trx, runId, status, error);
  });

  if (model) input.emit({ type: 'registered', name: model.name, version: model.version, existing: model.existing });
  const durationMs = performance.now() - input.startedMs;
  input.emit({ type: 'run-end', runId, status, error: errors[0]?.message, durationMs });
  return {
    runId,
    project: config.project,
    status,
    durationMs,
    steps: plan.order.map((id) => ({ id, kind: plan.nodes.get(id)!.kind, state: state.get(id) ?? 'pending' })),
    errors,
    gates: gateResults,
    datasets,
    model,
  };
}

function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}.${k}`, v]));
}

function datasetName(nodeId: string, output: string, kind: string): string {
  if (kind === 'acquire') return `${nodeId.slice('acquire/'.length)}.raw`;
  if (kind === 'validate') return nodeId.slice('validate/'.length);
  return output === 'data' ? nodeId : `${nodeId}.${output}`;
}

/** Where a node's data came from: the sources upstream with their content hashes, and its inputs. */
function lineageOf(input: FinalizeInput, nodeId: string) {
  const { plan, results } = input;
  const sources = new Map<string, { name: string; uri: string; digest: string; etag?: string }>();
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = plan.nodes.get(id)!;
    if (node.kind === 'acquire' && node.source) {
      const seen = input.sourceDigests.get(node.source.name);
      sources.set(node.source.name, { name: node.source.name, uri: seen?.uri ?? '', digest: seen?.digest ?? '', ...(seen?.etag ? { etag: seen.etag } : {}) });
    }
    for (const d of node.deps) walk(d);
  };
  walk(nodeId);
  const node = plan.nodes.get(nodeId)!;
  return {
    step: nodeId,
    kind: node.kind,
    code_hash: input.codeHash,
    sources: [...sources.values()],
    inputs: Object.entries(node.inputs).map(([name, ref]) => {
      const digest = results.get(ref.node)?.outputs[ref.output]?.digest;
      return { name, dataset: digest ? datasetIdOf(digest) : null };
    }),
  };
}
