/**
 * Files to drift tables: CSV, TSV, Parquet, JSON and JSONL, by extension (or by content when
 * the name says nothing), read with DuckDB. Text files are parsed once into a temporary table;
 * Parquet is scanned in place.
 */
import { open, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../../data/duckdb.js';
import { SluiceError } from '../../errors.js';
import { readRelation, type LoadedTable, type ReadRelationOptions } from './relation.js';

export const FILE_FORMATS = ['csv', 'tsv', 'parquet', 'json', 'jsonl'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export interface ReadFileOptions extends ReadRelationOptions {
  /** Default: from the extension, else sniffed (Parquet magic bytes, `{`/`[` for JSON, else CSV). */
  format?: FileFormat;
  /** CSV/TSV field separator (default: `,` for CSV, a tab for TSV; may be several characters, such as `, `). */
  delimiter?: string;
  /** CSV/TSV values that mean "missing" besides the empty field (such as `?`). */
  nulls?: readonly string[];
}

const BY_EXTENSION: [RegExp, FileFormat][] = [
  [/\.(parquet|pq)$/i, 'parquet'],
  [/\.tsv(\.gz)?$/i, 'tsv'],
  [/\.csv(\.gz)?$/i, 'csv'],
  [/\.(jsonl|ndjson)(\.gz)?$/i, 'jsonl'],
  [/\.json(\.gz)?$/i, 'json'],
];

let tableCounter = 0;

export async function detectFormat(path: string): Promise<FileFormat> {
  for (const [re, format] of BY_EXTENSION) if (re.test(path)) return format;
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead);
    if (text.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
    if (text.includes(0)) {
      throw new SluiceError('DATA_INVALID', `File ${path} is neither Parquet nor text (CSV, TSV, JSON, JSONL)`, {
        where: path,
        hint: 'Export the data to one of those formats, or name the format with --format if the file really is one.',
      });
    }
    const first = text.toString('utf8').trimStart()[0];
    if (first === '[') return 'json';
    if (first === '{') return 'jsonl';
    return 'csv';
  } finally {
    await fh.close();
  }
}

/** Reads one file into a drift table on the given connection. */
export async function readDriftFile(conn: DuckDBConnection, path: string, options: ReadFileOptions = {}): Promise<LoadedTable> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new SluiceError('SOURCE_NOT_FOUND', `File ${path} does not exist`, { where: path, hint: 'Check the path (relative paths are relative to the current folder, or to -C).' });
  }
  if (!info.isFile()) throw new SluiceError('SOURCE_NOT_FOUND', `${path} is not a file`, { where: path, hint: 'Give a CSV, TSV, Parquet, JSON or JSONL file.' });
  if (info.size === 0) throw new SluiceError('DATA_INVALID', `File ${path} is empty`, { where: path, hint: 'A drift report needs a file with a header and rows.' });
  const format = options.format ?? (await detectFormat(path));
  let relation: string;
  try {
    if (format === 'parquet') {
      relation = `read_parquet(${lit(path)})`;
      // Reading the footer now turns a corrupt file into a clear error before any work.
      await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    } else {
      const table = `sluice_drift_file_${++tableCounter}`;
      await conn.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM ${textReader(path, format, options)}`);
      relation = table;
    }
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new SluiceError('DATA_INVALID', `Cannot read ${path} as ${format.toUpperCase()}: ${first}`, {
      where: path,
      hint: format === 'csv' || format === 'tsv'
        ? 'Check the file is delimited text with a header line; set --delimiter (and --format) if it is not comma-separated.'
        : `Check the file is valid ${format.toUpperCase()}, or name its format with --format.`,
      cause: e,
    });
  }
  return readRelation(conn, relation, options);
}

function textReader(path: string, format: FileFormat, options: ReadFileOptions): string {
  if (format === 'json') return `read_json_auto(${lit(path)}, format = 'array', sample_size = -1)`;
  if (format === 'jsonl') return `read_json_auto(${lit(path)}, format = 'newline_delimited', sample_size = -1)`;
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : undefined);
  const parts = [lit(path), 'header = true', 'sample_size = -1'];
  if (delimiter !== undefined) parts.push(`delim = ${lit(delimiter)}`);
  if (options.nulls?.length) parts.push(`nullstr = [${['', ...options.nulls].map(lit).join(', ')}]`);
  return `read_csv(${parts.join(', ')})`;
}
