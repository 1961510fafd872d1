/**
 * What a pipeline run measured, read back from its records: the evaluate step's metrics and
 * fairness report (from the step's cached result), its report folder (plots), the model the
 * training step wrote, and the data checks of the datasets it produced.
 */
import type { Project } from '../project.js';
import type { Db } from '../store/store.js';
import type { CiFigures } from './records.js';

interface StoredResult {
  outputs: Record<string, { digest: string; kind: string; meta?: Record<string, unknown> }>;
  metrics?: Record<string, number>;
  summary?: Record<string, unknown>;
}

export interface FairnessAttribute {
  attribute: string;
  metrics: Record<string, number>;
}

/** The evaluate step whose figures a report compares: the registered one, else the first gate's. */
export function judgedEvaluation(project: Project): string | null {
  const config = project.config;
  if (config.register?.evaluation) return config.register.evaluation;
  const gate = Object.values(config.gates)[0];
  if (gate) return gate.evaluation;
  return Object.entries(config.steps).find(([, s]) => s.kind === 'evaluate')?.[0] ?? null;
}

async function stepResult(db: Db, pipelineRunId: string, step: string): Promise<StoredResult | undefined> {
  const run = await db.selectFrom('step_runs').select(['cache_key', 'status']).where('pipeline_run_id', '=', pipelineRunId).where('name', '=', step).executeTakeFirst();
  if (!run?.cache_key || (run.status !== 'succeeded' && run.status !== 'cached')) return undefined;
  const cached = await db.selectFrom('step_cache').select('outputs').where('cache_key', '=', run.cache_key).executeTakeFirst();
  if (!cached) return undefined;
  return JSON.parse(cached.outputs) as StoredResult;
}

export interface RunFigures extends CiFigures {
  /** Artifact digest of the evaluate step's report folder (plots/*.svg). */
  reportDigest: string | null;
}

export async function runFigures(project: Project, { pipelineRunId, evaluation }: { pipelineRunId: string; evaluation: string | null }): Promise<RunFigures> {
  const empty: RunFigures = { evaluation, metrics: {}, fairness: {}, reportDigest: null };
  if (!evaluation) return empty;
  const result = await stepResult(project.store.db, pipelineRunId, evaluation);
  if (!result) return empty;
  const attributes = ((result.summary?.fairness as { attributes?: FairnessAttribute[] } | null | undefined)?.attributes ?? []);
  const fairness: CiFigures['fairness'] = {};
  for (const a of attributes) {
    fairness[a.attribute] = Object.fromEntries(Object.entries(a.metrics).filter(([, v]) => typeof v === 'number'));
  }
  return { evaluation, metrics: result.metrics ?? {}, fairness, reportDigest: result.outputs.report?.digest ?? null };
}

/** The model package the training step of a run wrote (before evaluation), if it ran. */
export async function trainedModelDigest(project: Project, pipelineRunId: string): Promise<string | null> {
  const from = project.config.register?.from;
  if (!from) return null;
  return (await stepResult(project.store.db, pipelineRunId, from))?.outputs.model?.digest ?? null;
}

export interface DatasetSummary {
  name: string;
  id: string;
  rows: number;
  expectations: { passed: number; failed: number; warned: number } | null;
  /** Failed or warned expectations, one line each. */
  problems: string[];
  pii: { columns: string[]; violations: string[] } | null;
}

/** The data checks of every dataset a run named: expectations and PII findings. */
export async function datasetSummaries(db: Db, pipelineRunId: string): Promise<DatasetSummary[]> {
  const rows = await db
    .selectFrom('dataset_names as n')
    .innerJoin('dataset_versions as v', 'v.id', 'n.dataset_id')
    .select(['n.name as name', 'v.id as id', 'v.row_count as rows', 'n.validation as named_validation', 'v.validation as validation'])
    .where('n.pipeline_run_id', '=', pipelineRunId)
    .orderBy('n.name')
    .execute();
  return rows.map((r) => summarize(r.name, r.id, Number(r.rows), r.named_validation ?? r.validation));
}

interface ExpectationOutcome {
  success: boolean;
  severity: string;
  message: string;
}

function summarize(name: string, id: string, rows: number, validationJson: string | null): DatasetSummary {
  let v: Record<string, unknown> = {};
  try {
    v = validationJson ? (JSON.parse(validationJson) as Record<string, unknown>) : {};
  } catch {
    v = {};
  }
  const report = v.expectations as { results?: ExpectationOutcome[] } | undefined;
  let expectations: DatasetSummary['expectations'] = null;
  const problems: string[] = [];
  if (report?.results) {
    expectations = { passed: 0, failed: 0, warned: 0 };
    for (const e of report.results) {
      if (e.success) expectations.passed++;
      else if (e.severity === 'warn') {
        expectations.warned++;
        problems.push(`warn: ${e.message}`);
      } else {
        expectations.failed++;
        problems.push(`fail: ${e.message}`);
      }
    }
  }
  const piiReport = v.pii as { columns?: { column: string; action: string; detectors?: unknown[] }[]; violations?: { message: string }[] } | undefined;
  const pii = piiReport
    ? {
        columns: (piiReport.columns ?? []).filter((c) => c.action !== 'none').map((c) => `${c.column} (${c.action})`),
        violations: (piiReport.violations ?? []).map((x) => x.message),
      }
    : null;
  return { name, id, rows, expectations, problems, pii };
}
