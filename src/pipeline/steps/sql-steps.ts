/** Worker-side implementations of the `sql` and `module` preparation steps. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeParquet, ident, lit, withDuckDB, writeParquet } from '../../data/duckdb.js';
import { checkOutputColumns, type DeclaredType } from '../../data/validate.js';
import { firstLine } from '../../data/acquire.js';
import { SluiceError } from '../../errors.js';
import type { ModuleContext, PrepareModule } from '../module-api.js';
import type { StepResult, StepTask } from '../task.js';
import { datasetResult } from './data-steps.js';

interface SqlSpec {
  step: string;
  query?: string;
  file?: string;
  columns: Record<string, DeclaredType> | null;
}

interface ModuleSpec {
  step: string;
  module: string;
  params: Record<string, number | string | boolean>;
  columns: Record<string, DeclaredType> | null;
}

/** Each input becomes a view named after it, so queries read `FROM jan JOIN feb ...`. */
async function registerInputs(conn: DuckDBConnection, task: StepTask): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [name, input] of Object.entries(task.inputs)) {
    await conn.run(`CREATE VIEW ${ident(name)} AS SELECT * FROM read_parquet(${lit(input.path)})`);
    names[name] = ident(name);
  }
  return names;
}

export async function runSql(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as SqlSpec;
  const query = spec.file ? await readFile(spec.file, 'utf8') : (spec.query as string);
  const out = join(task.outputDir, 'data.parquet');
  await withDuckDB(async (conn) => {
    await registerInputs(conn, task);
    try {
      await writeParquet(conn, query.trim().replace(/;\s*$/, ''), out);
    } catch (e) {
      throw new SluiceError('DATA_INVALID', `Step '${spec.step}': the query failed: ${firstLine(e)}`, {
        where: `steps.${spec.step}.${spec.file ? 'file' : 'query'}`,
        hint: `Its tables are ${Object.keys(task.inputs).map((n) => `'${n}'`).join(', ')}.`,
        cause: e,
      });
    }
    if (spec.columns) await checkOutputColumns(conn, out, spec.columns, spec.step);
    const { rowCount, columns } = await describeParquet(conn, out);
    console.log(`query wrote ${rowCount} rows × ${columns.length} columns`);
  });
  return datasetResult(out, 'data.parquet', {}, task);
}

export async function runModule(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as ModuleSpec;
  const prepare = await loadModule(spec, task.workdir);
  const out = join(task.outputDir, 'data.parquet');
  let written = false;
  await withDuckDB(async (conn) => {
    const inputs = await registerInputs(conn, task);
    const context: ModuleContext = {
      inputs,
      params: spec.params,
      db: conn,
      sql: async (q) => (await conn.runAndReadAll(q)).getRowObjectsJS() as Record<string, unknown>[],
      output: async (q) => {
        await writeParquet(conn, q, out);
        written = true;
      },
      log: (m) => console.log(m),
    };
    await prepare(context);
    if (!written) {
      throw new SluiceError('STEP_FAILED', `Step '${spec.step}': the module finished without writing its output`, {
        where: `steps.${spec.step}.module`,
        hint: 'Call `await output("SELECT ...")` once in the module.',
      });
    }
    if (spec.columns) await checkOutputColumns(conn, out, spec.columns, spec.step);
  });
  return datasetResult(out, 'data.parquet', {}, task);
}

/** Imports the module; a .ts file is transpiled with the project's TypeScript first. */
async function loadModule(spec: ModuleSpec, workdir: string): Promise<PrepareModule> {
  let file = spec.module;
  if (/\.(ts|mts)$/.test(file)) {
    let ts: typeof import('typescript');
    try {
      ts = (await import('typescript')).default;
    } catch {
      throw new SluiceError('CONFIG_INVALID', `Step '${spec.step}': ${file} is TypeScript, but the typescript package is not installed`, {
        where: `steps.${spec.step}.module`,
        hint: 'Run `npm install -D typescript` in the project, or write the module in JavaScript (.mjs).',
      });
    }
    const source = await readFile(file, 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: file }).outputText;
    file = join(workdir, 'module.mjs');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, js));
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw new SluiceError('STEP_FAILED', `Step '${spec.step}': cannot load ${spec.module}: ${firstLine(e)}`, { where: `steps.${spec.step}.module`, cause: e });
  }
  if (typeof mod.default !== 'function') {
    throw new SluiceError('CONFIG_INVALID', `Step '${spec.step}': ${spec.module} has no default export function`, {
      where: `steps.${spec.step}.module`,
      hint: 'Export the preparation as `export default async function prepare({ inputs, output }) { ... }`.',
    });
  }
  return mod.default as PrepareModule;
}
