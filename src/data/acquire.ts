/**
 * Acquire: read a declared source into a Parquet file as it is (CSV values as text, other
 * formats with their own types), so validation sees the raw data and the dataset version is a
 * faithful, compact copy.
 */
import { access, copyFile, open, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SluiceError } from '../errors.js';
import { describeParquet, ident, lit, writeParquet, withDuckDB } from './duckdb.js';

export type SourceFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'jsonl' | 'arrow';

export interface SourceSpec {
  name: string;
  format: SourceFormat;
  /** Absolute path of the file, or a glob. */
  path: string;
  header: boolean;
  delimiter?: string;
  /** Column names for a CSV file without a header line. */
  columnNames?: string[];
  /** A SQL condition on the rows to keep. */
  filter?: string;
}

export interface AcquireResult {
  rowCount: number;
  columns: string[];
}

/** Reads a source file (or glob) of any supported format into a Parquet file. */
export async function acquireFile(source: SourceSpec, outPath: string): Promise<AcquireResult> {
  await checkExists(source);
  return withDuckDB(async (conn) => {
    // A single Parquet file taken whole is already what acquire would write: keep its bytes
    // (after checking DuckDB can read it), so the dataset's digest is the file's own.
    if (source.format === 'parquet' && !source.filter && !/[*?[]/.test(source.path)) {
      try {
        const { columns, rowCount } = await describeParquet(conn, source.path);
        await copyFile(source.path, outPath);
        return { rowCount, columns: columns.map((c) => c.name) };
      } catch (e) {
        throw new SluiceError('DATA_INVALID', `Source '${source.name}': cannot read ${source.path} as PARQUET: ${firstLine(e)}`, {
          where: `sources.${source.name}`,
          hint: hintFor('parquet'),
          cause: e,
        });
      }
    }
    const relation = source.format === 'arrow' ? await loadArrow(conn, source) : await relationOf(source);
    const select = source.format === 'json' || source.format === 'jsonl' ? await jsonColumnsAsText(conn, relation, source) : '*';
    const query = `SELECT ${select} FROM ${relation}${source.filter ? ` WHERE (${source.filter})` : ''}`;
    try {
      await writeParquet(conn, query, outPath);
    } catch (e) {
      const msg = firstLine(e);
      if (source.filter && /Binder Error|Parser Error/.test(msg)) {
        throw new SluiceError('CONFIG_INVALID', `Source '${source.name}': the filter "${source.filter}" cannot be applied: ${msg}`, {
          where: `sources.${source.name}.filter`,
          hint: `Write the filter as a SQL condition on the source's columns, e.g. "month(date) = 1".`,
          cause: e,
        });
      }
      throw new SluiceError('DATA_INVALID', `Source '${source.name}': cannot read ${source.path} as ${source.format.toUpperCase()}: ${msg}`, {
        where: `sources.${source.name}`,
        hint: hintFor(source.format),
        cause: e,
      });
    }
    const { columns, rowCount } = await describeParquet(conn, outPath);
    return { rowCount, columns: columns.map((c) => c.name) };
  });
}

/**
 * A JSON field whose values have different types comes out of DuckDB as type JSON: keep it as
 * text, so validation can name the first value that does not fit the declared type.
 */
async function jsonColumnsAsText(conn: DuckDBConnection, relation: string, source: SourceSpec): Promise<string> {
  let columns: { name: string; type: string }[];
  try {
    columns = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch (e) {
    throw new SluiceError('DATA_INVALID', `Source '${source.name}': cannot read ${source.path} as ${source.format.toUpperCase()}: ${firstLine(e)}`, {
      where: `sources.${source.name}`,
      hint: hintFor(source.format),
      cause: e,
    });
  }
  return columns.map((c) => (c.type === 'JSON' ? `json_extract_string(${ident(c.name)}, '$') AS ${ident(c.name)}` : ident(c.name))).join(', ');
}

function hintFor(format: SourceFormat): string {
  switch (format) {
    case 'csv':
    case 'tsv':
      return 'Check that the file is well-formed: UTF-8 text, the same number of fields on every line, closed quotes.';
    case 'parquet':
      return 'The file is not a readable Parquet file (truncated or corrupt?); write it again from its source.';
    case 'json':
      return 'A json source is one JSON array of objects; use format jsonl for one object per line.';
    case 'jsonl':
      return 'A jsonl source has one JSON object per line, each with the same fields and types.';
    case 'arrow':
      return 'The file is not a readable Arrow IPC file.';
  }
}

async function checkExists(source: SourceSpec): Promise<void> {
  if (/[*?[]/.test(source.path)) {
    const { glob } = await import('tinyglobby');
    const files = await glob(source.path, { absolute: true, onlyFiles: true });
    if (files.length === 0) {
      throw new SluiceError('SOURCE_NOT_FOUND', `Source '${source.name}': no file matches ${source.path}`, {
        where: `sources.${source.name}.path`,
        hint: 'Check the pattern in sluice.yaml; relative paths are resolved from the project folder.',
      });
    }
    return;
  }
  try {
    await access(source.path);
  } catch {
    throw new SluiceError('SOURCE_NOT_FOUND', `Source '${source.name}': file ${source.path} does not exist`, {
      where: `sources.${source.name}.path`,
      hint: 'Check the path in sluice.yaml; relative paths are resolved from the project folder.',
    });
  }
  const info = await stat(source.path);
  if (info.size === 0) {
    throw new SluiceError('DATA_INVALID', `Source '${source.name}': file ${source.path} is empty`, {
      where: `sources.${source.name}`,
      hint: 'An empty file has no header and no rows; point the source at a file with data.',
    });
  }
}

/** Longer lines are refused: in practice they are a broken file (a lost newline), not data. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

async function relationOf(source: SourceSpec): Promise<string> {
  const path = lit(source.path);
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${path}, union_by_name = true)`;
    case 'json':
      return `read_json(${path}, format = 'array', sample_size = -1)`;
    case 'jsonl':
      return `read_json(${path}, format = 'newline_delimited', sample_size = -1)`;
    default: {
      const delimiter = source.delimiter ?? (source.format === 'tsv' ? '\t' : ',');
      const names = source.header ? await readHeader(source, delimiter) : (source.columnNames ?? []);
      // Sniffing is off: the dialect is what sluice.yaml says, so a file parses the same way every time.
      const columns = `{${names.map((n) => `${lit(n)}: 'VARCHAR'`).join(', ')}}`;
      return `read_csv(${path}, header = ${source.header}, columns = ${columns}, delim = ${lit(delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false, auto_detect = false, max_line_size = ${MAX_LINE_BYTES})`;
    }
  }
}

/**
 * DuckDB's Arrow reader is an extension that must be downloaded, which these machines cannot
 * do; so Arrow IPC files are read with apache-arrow, batch by batch, and appended to a table.
 */
async function loadArrow(conn: DuckDBConnection, source: SourceSpec): Promise<string> {
  const { RecordBatchReader } = await import('apache-arrow');
  const { createReadStream } = await import('node:fs');
  let reader;
  try {
    reader = await RecordBatchReader.from(createReadStream(source.path));
    await reader.open();
  } catch (e) {
    throw new SluiceError('DATA_INVALID', `Source '${source.name}': cannot read ${source.path} as ARROW: ${firstLine(e)}`, {
      where: `sources.${source.name}`,
      hint: hintFor('arrow'),
      cause: e,
    });
  }
  const fields = reader.schema.fields;
  const sqlType = (t: string) =>
    /^(Int|Uint)(8|16|32|64)/.test(t) ? 'BIGINT' : /^Float/.test(t) ? 'DOUBLE' : t === 'Bool' ? 'BOOLEAN' : /^Date/.test(t) ? 'DATE' : /^Timestamp/.test(t) ? 'TIMESTAMP' : 'VARCHAR';
  const types = fields.map((f) => sqlType(String(f.type)));
  await conn.run(`CREATE TABLE __arrow (${fields.map((f, i) => `${ident(f.name)} ${types[i]}`).join(', ')})`);
  const appender = await conn.createAppender('__arrow');
  for await (const batch of reader) {
    const vectors = fields.map((_, i) => batch.getChildAt(i));
    for (let r = 0; r < batch.numRows; r++) {
      for (let c = 0; c < fields.length; c++) {
        const v = vectors[c]?.get(r) as unknown;
        if (v === null || v === undefined) appender.appendNull();
        else if (types[c] === 'BIGINT') appender.appendBigInt(BigInt(v as number | bigint));
        else if (types[c] === 'DOUBLE') appender.appendDouble(Number(v));
        else if (types[c] === 'BOOLEAN') appender.appendBoolean(Boolean(v));
        else if (types[c] === 'DATE' || types[c] === 'TIMESTAMP') appender.appendVarchar(new Date(Number(v)).toISOString());
        else appender.appendVarchar(String(v));
      }
      appender.endRow();
    }
  }
  appender.closeSync();
  return '__arrow';
}

const MAX_HEADER_BYTES = 1_048_576;

/** With sniffing off DuckDB needs the column names: read them from the header line. */
async function readHeader(source: SourceSpec, delimiter: string): Promise<string[]> {
  // For a glob, the first file (in name order) stands for all: DuckDB checks the others.
  let file = source.path;
  if (/[*?[]/.test(file)) {
    const { glob } = await import('tinyglobby');
    file = (await glob(file, { absolute: true, onlyFiles: true })).sort()[0] ?? file;
  }
  const handle = await open(file, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    text = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const end = text.search(/\r?\n/);
  if (end < 0 && text.length >= MAX_HEADER_BYTES) {
    throw new SluiceError('DATA_INVALID', `Source '${source.name}': the header line of ${source.path} is longer than 1 MiB`, {
      where: `sources.${source.name}`,
      hint: 'Is this really a CSV file with a header? Set `header: false` if it has none.',
    });
  }
  const line = (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
  const names = splitCsvLine(line, delimiter).map((n) => n.trim());
  names.forEach((n, i) => {
    if (n === '') {
      throw new SluiceError('DATA_INVALID', `Source '${source.name}': column ${i + 1} of the header in ${source.path} has no name`, {
        where: `sources.${source.name}`,
        hint: 'Give every column a name in the header line.',
      });
    }
  });
  return names;
}

/** Splits one CSV line, honouring double quotes; only used for the header line. */
function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += ch;
  }
  out.push(field);
  return out;
}

/**
 * DuckDB's error text in one line: its first line and the reason, without the "Original Line"
 * echo (which can be megabytes long) and without its multi-line hints.
 */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Original Line:/.test(l) && !/^Possible fixes|^\*|^LINE \d+:|^\^/.test(l));
  const cut = (l: string) => (l.length > 300 ? `${l.slice(0, 300)}…` : l);
  if (lines.length === 0) return cut(text);
  if (/CSV Error on Line/.test(lines[0]) && lines[1]) return cut(`${lines[0]}: ${lines[1]}`);
  return cut(lines[0]);
}
