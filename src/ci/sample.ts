/**
 * `sluice ci --sample`: the project's config with every file or query source cut to its first N
 * rows, so a pull request gets a report in minutes. Sampled files are written to the workspace
 * (`ci/sample/`), byte for byte the head of the original (CSV, TSV, JSONL) or its first rows as
 * Parquet (Parquet, JSON), so validation sees the same raw values. URL and Arrow sources stay
 * whole, and the report says so.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProjectConfig, SourceConfig } from '../config/index.js';
import { lit, withDuckDB, writeParquet } from '../data/duckdb.js';
import { SluiceError } from '../errors.js';

export interface SampleNote {
  source: string;
  rows: number | null;
  /** Why a source was left whole. */
  note?: string;
}

export async function sampledConfig(config: ProjectConfig, { projectDir, workspace }: { projectDir: string; workspace: string }): Promise<{ config: ProjectConfig; notes: SampleNote[] }> {
  const sample = config.ci.sample;
  if (!sample || (sample.rows === undefined && Object.keys(sample.sources).length === 0)) {
    throw new SluiceError('CONFIG_INVALID', '`sluice ci --sample` needs a declared sample', {
      where: 'ci.sample',
      hint: 'Add `ci: { sample: { rows: 5000 } }` to sluice.yaml (or per source: `sample: { sources: { <source>: 5000 } }`).',
    });
  }
  for (const name of Object.keys(sample.sources)) {
    if (!config.sources[name]) {
      throw new SluiceError('CONFIG_INVALID', `ci.sample names source '${name}', which is not declared`, {
        where: `ci.sample.sources.${name}`,
        hint: `Use one of: ${Object.keys(config.sources).join(', ')}.`,
      });
    }
  }
  const dir = join(workspace, 'ci', 'sample');
  await mkdir(dir, { recursive: true });
  const sources: Record<string, SourceConfig> = {};
  const notes: SampleNote[] = [];
  for (const [name, source] of Object.entries(config.sources)) {
    const rows = sample.sources[name] ?? sample.rows;
    if (rows === undefined) {
      sources[name] = source;
      notes.push({ source: name, rows: null, note: 'whole (no sample declared for it)' });
      continue;
    }
    if (source.kind === 'query' && source.query) {
      sources[name] = { ...source, query: `SELECT * FROM (${source.query.replace(/;\s*$/, '')}) AS sluice_sample LIMIT ${rows}` };
      notes.push({ source: name, rows });
      continue;
    }
    if (source.kind !== 'file' || !source.path || source.format === 'arrow') {
      sources[name] = source;
      notes.push({ source: name, rows: null, note: source.kind === 'url' ? 'whole (a URL source is not sampled)' : 'whole (an Arrow source is not sampled)' });
      continue;
    }
    const input = resolve(projectDir, source.path);
    const files = await filesOf(input);
    if (files.length === 0) {
      // Left as declared: acquire reports the missing file with its usual message.
      sources[name] = source;
      notes.push({ source: name, rows: null, note: 'whole (no file matches)' });
      continue;
    }
    if (source.format === 'csv' || source.format === 'tsv' || source.format === 'jsonl') {
      const out = join(dir, `${name}.${source.format}`);
      await atomicWrite(out, await headRecords(files, rows, source.format !== 'jsonl' && source.header));
      sources[name] = { ...source, path: out };
    } else {
      const out = join(dir, `${name}.parquet`);
      const reader = source.format === 'parquet' ? 'read_parquet' : 'read_json_auto';
      await withDuckDB(async (conn) => {
        await writeParquet(conn, `SELECT * FROM ${reader}([${files.map(lit).join(', ')}]) LIMIT ${rows}`, `${out}.tmp`);
      });
      await rename(`${out}.tmp`, out);
      sources[name] = { ...source, path: out, format: 'parquet' };
    }
    notes.push({ source: name, rows });
  }
  // Sampled runs judge the code, not a model to keep: they never register.
  const { register: _dropped, ...rest } = config;
  return { config: { ...rest, sources }, notes };
}

async function filesOf(path: string): Promise<string[]> {
  if (!/[*?[]/.test(path)) return [path];
  const { glob } = await import('tinyglobby');
  return (await glob(path, { absolute: true, onlyFiles: true })).sort();
}

/**
 * The header line (if any) and the first `rows` records of the files, in order. A newline inside
 * double quotes does not end a CSV record.
 */
async function headRecords(files: string[], rows: number, header: boolean): Promise<Buffer> {
  const out: Buffer[] = [];
  let kept = 0;
  for (const [i, file] of files.entries()) {
    let skipHeader = header && i > 0;
    let wantHeader = header && i === 0;
    let inQuote = false;
    let record: Buffer[] = [];
    let start = 0;
    let done = false;
    const stream = createReadStream(file);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      start = 0;
      for (let j = 0; j < chunk.length; j++) {
        const b = chunk[j];
        if (b === 0x22) inQuote = !inQuote;
        else if (b === 0x0a && !inQuote) {
          record.push(chunk.subarray(start, j + 1));
          start = j + 1;
          const line = Buffer.concat(record);
          record = [];
          if (wantHeader) {
            out.push(line);
            wantHeader = false;
          } else if (skipHeader) skipHeader = false;
          else if (line.toString().trim() !== '') {
            out.push(line);
            kept++;
          }
          if (kept >= rows) {
            done = true;
            break;
          }
        }
      }
      if (done) break;
      record.push(chunk.subarray(start));
    }
    stream.destroy();
    // A last record without a final newline.
    const rest = Buffer.concat(record);
    if (!done && rest.toString().trim() !== '' && !skipHeader) {
      out.push(rest, Buffer.from('\n'));
      if (!wantHeader) kept++;
    }
    if (kept >= rows) break;
  }
  return Buffer.concat(out);
}

async function atomicWrite(path: string, data: Buffer): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}
