/** Worker-side implementations of the data steps: acquire, validate, prepare, split. */
import { join } from 'node:path';
import { acquireCsv, type CsvSourceSpec } from '../../data/acquire.js';
import { withDuckDB, describeParquet } from '../../data/duckdb.js';
import { prepareDataset, type PrepareSpec } from '../../data/prepare.js';
import { splitDataset, type SplitSpec } from '../../data/split.js';
import { validateSchema, type SchemaSpec } from '../../data/validate.js';
import type { StepResult, StepTask } from '../task.js';

export async function runAcquire(task: StepTask): Promise<StepResult> {
  const source = task.spec as unknown as CsvSourceSpec;
  const out = join(task.outputDir, 'data.parquet');
  const result = await acquireCsv(source, out);
  console.log(`read ${result.rowCount} rows × ${result.columns.length} columns from ${source.path}`);
  return datasetResult(out, 'data.parquet', { acquired: result });
}

export async function runValidate(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as SchemaSpec;
  const out = join(task.outputDir, 'data.parquet');
  const report = await validateSchema(task.inputs.data.path, spec, out);
  console.log(`schema ok: ${Object.keys(spec.columns).length} columns, ${report.rowCount} rows, every typed value parses`);
  return datasetResult(out, 'data.parquet', { validation: report });
}

export async function runPrepare(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as PrepareSpec;
  const out = join(task.outputDir, 'data.parquet');
  const result = await prepareDataset(task.inputs.data.path, spec, out);
  console.log(`prepared ${result.rowCount} rows × ${result.columns.length} columns`);
  return datasetResult(out, 'data.parquet', {});
}

export async function runSplit(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as SplitSpec;
  const paths: Record<string, string> = {};
  for (const name of Object.keys(spec.fractions)) paths[name] = join(task.outputDir, `${name}.parquet`);
  const counts = await splitDataset(task.inputs.data.path, spec, paths);
  console.log(`split (seed ${spec.seed}): ${Object.entries(counts).map(([k, v]) => `${k} ${v} rows`).join(', ')}`);
  const outputs: StepResult['outputs'] = {};
  for (const name of Object.keys(paths)) {
    outputs[name] = { path: `${name}.parquet`, kind: 'dataset', meta: await datasetMeta(paths[name]) };
  }
  return { outputs, summary: { counts } };
}

async function datasetResult(absPath: string, relPath: string, summary: Record<string, unknown>): Promise<StepResult> {
  return { outputs: { data: { path: relPath, kind: 'dataset', meta: await datasetMeta(absPath) } }, summary };
}

async function datasetMeta(path: string): Promise<Record<string, unknown>> {
  return withDuckDB(async (conn) => {
    const { columns, rowCount } = await describeParquet(conn, path);
    return { columns, rowCount };
  });
}
