import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatFromExtension } from '../../config/index.js';
import { lit, withDuckDB } from '../../data/duckdb.js';
import { inferExpectations, toYaml } from '../../data/expectations/index.js';
import { SluiceError } from '../../errors.js';
import { getDatasetVersion } from '../../pipeline/index.js';
import { openProject } from '../../project.js';
import { projectDir } from '../context.js';
import { printJson } from '../output.js';

export function registerDataInfer(program: Command): void {
  const data = program.command('data').description('work with data: infer starter expectations');
  data
    .command('infer <source>')
    .description('write a starter expectations file from the data (a file, a source name or a dataset version)')
    .option('--write <file>', 'write the YAML to this file instead of printing it')
    .option('--json', 'print the inferred expectations as JSON')
    .action(async (source: string, opts: { write?: string; json?: boolean }, cmd: Command) => {
      const dir = projectDir(cmd);
      const { relation, label, cleanup } = await locate(dir, source);
      try {
        const expectations = await withDuckDB((conn) => inferExpectations(conn, relation));
        if (opts.json) return printJson({ source: label, expectations });
        const yaml = toYaml(expectations, { source: label });
        if (opts.write) {
          await writeFile(opts.write, yaml);
          console.log(`wrote ${expectations.length} expectations to ${opts.write}; review them, then name the file under the source's or a check step's \`expectations:\``);
        } else process.stdout.write(yaml);
      } finally {
        await cleanup();
      }
    });
}

/** A file path is read directly; otherwise the newest dataset version of that name (or id). */
async function locate(dir: string, source: string): Promise<{ relation: string; label: string; cleanup: () => Promise<void> }> {
  const path = resolve(dir, source);
  if (existsSync(path)) {
    const format = formatFromExtension(path);
    const relation =
      format === 'parquet'
        ? `read_parquet(${lit(path)})`
        : format === 'json' || format === 'jsonl'
          ? `read_json_auto(${lit(path)})`
          : format === 'csv' || format === 'tsv'
            ? `read_csv_auto(${lit(path)})`
            : undefined;
    if (!relation) throw new SluiceError('USAGE', `Cannot tell the format of ${source} from its extension`, { hint: 'Use a .csv, .tsv, .parquet, .json or .jsonl file, or a dataset name.' });
    return { relation, label: source, cleanup: async () => {} };
  }
  const project = await openProject(dir);
  try {
    const version = await getDatasetVersion(project.store.db, source, project.config.project);
    const tmp = await mkdtemp(join(tmpdir(), 'sluice-infer-'));
    const file = join(tmp, 'data.parquet');
    await project.artifacts.materialize(version.digest, file);
    return { relation: `read_parquet(${lit(file)})`, label: `dataset ${version.name} (${version.id})`, cleanup: () => rm(tmp, { recursive: true, force: true }) };
  } finally {
    await project.close();
  }
}
