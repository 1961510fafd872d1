/** Worker-side implementations of the data steps: acquire, validate, prepare, split. */
import { join } from 'node:path';
import { acquireFile, type SourceSpec } from '../../data/acquire.js';
import { withDuckDB } from '../../data/duckdb.js';
import type { Expectation } from '../../data/expectations/index.js';
import { applyMasking, checkDataset, expect } from './data-gate.js';
import { acquireQuery } from '../../data/query-source.js';
import { prepareDataset, type PrepareSpec } from '../../data/prepare.js';
import { splitDataset, type SplitSpec } from '../../data/split.js';
import { validateSchema, type SchemaSpec } from '../../data/validate.js';
import type { StepResult, StepTask } from '../task.js';

type AcquireSpec = Omit<SourceSpec, 'path'> & { kind: 'file' | 'url' | 'query'; path?: string; query?: string; connection?: string };

export async function runAcquire(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as AcquireSpec;
  const out = join(task.outputDir, 'data.parquet');
  let result;
  if (spec.kind === 'query') {
    result = await acquireQuery({ name: spec.name, query: spec.query ?? '', connection: spec.connection ?? '', filter: spec.filter }, out);
    console.log(`read ${result.rowCount} rows × ${result.columns.length} columns from the query`);
  } else {
    // A URL source was fetched by the engine into the artifact store; it arrives as input 'raw'.
    const path = spec.kind === 'url' ? task.inputs.raw.path : (spec.path as string);
    result = await acquireFile({ ...spec, path }, out);
    console.log(`read ${result.rowCount} rows × ${result.columns.length} columns from ${spec.kind === 'url' ? 'the downloaded file' : path}`);
  }
  const masked = await applyMasking(out, task);
  return datasetResult(out, 'data.parquet', { acquired: result, masked }, task);
}

export async function runValidate(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as SchemaSpec & { expectations: Expectation[] | null };
  const out = join(task.outputDir, 'data.parquet');
  const report = await validateSchema(task.inputs.data.path, spec, out);
  const expectations = spec.expectations ? await withDuckDB((conn) => expect(conn, out, spec.expectations as Expectation[], { label: `Source '${spec.source}'`, where: `sources.${spec.source}.expectations` })) : undefined;
  console.log(
    spec.columns
      ? `schema ok: ${Object.keys(spec.columns).length} columns, ${report.rowCount} rows, every typed value parses`
      : `no columns declared: keeping the data's own schema (${report.rowCount} rows)`,
  );
  const summary = { validation: { schema: report, ...(expectations ? { expectations } : {}) } };
  // The same bytes as the acquired data: its profile and PII scan stand, no need to redo them.
  const inputMeta = task.inputs.data.meta;
  if (report.unchanged && inputMeta?.profile && inputMeta.pii) return { outputs: { data: { path: 'data.parquet', kind: 'dataset', meta: inputMeta } }, summary };
  return datasetResult(out, 'data.parquet', summary, task);
}

export async function runPrepare(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as PrepareSpec;
  const out = join(task.outputDir, 'data.parquet');
  const result = await prepareDataset(task.inputs.data.path, spec, out);
  console.log(`prepared ${result.rowCount} rows × ${result.columns.length} columns`);
  return datasetResult(out, 'data.parquet', {}, task);
}

export async function runSplit(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as SplitSpec;
  const paths: Record<string, string> = {};
  for (const name of Object.keys(spec.fractions)) paths[name] = join(task.outputDir, `${name}.parquet`);
  const counts = await splitDataset(task.inputs.data.path, spec, paths);
  console.log(`split (seed ${spec.seed}): ${Object.entries(counts).map(([k, v]) => `${k} ${v} rows`).join(', ')}`);
  const outputs: StepResult['outputs'] = {};
  for (const name of Object.keys(paths)) {
    outputs[name] = { path: `${name}.parquet`, kind: 'dataset', meta: await datasetMeta(paths[name], task) };
  }
  return { outputs, summary: { counts } };
}

export async function datasetResult(absPath: string, relPath: string, summary: Record<string, unknown>, task: StepTask): Promise<StepResult> {
  return { outputs: { data: { path: relPath, kind: 'dataset', meta: await datasetMeta(absPath, task) } }, summary };
}

/** Schema, row count, statistics profile and PII scan of a dataset output; kept with its version. */
async function datasetMeta(path: string, task: StepTask): Promise<Record<string, unknown>> {
  return withDuckDB(async (conn) => ({ ...(await checkDataset(conn, path, task)) }));
}
