/**
 * Acquire: read a declared source into a Parquet file exactly as it is (every value as text),
 * so that validation sees the raw data and the dataset version is a faithful, compact copy.
 */
import { access, open, stat } from 'node:fs/promises';
import { SluiceError } from '../errors.js';
import { describeParquet, lit, writeParquet, withDuckDB } from './duckdb.js';

export interface CsvSourceSpec {
  name: string;
  /** Absolute path of the file. */
  path: string;
  format: 'csv' | 'tsv';
  header: boolean;
  delimiter?: string;
  /** Column names for a file without a header line. */
  columnNames?: string[];
}

export interface AcquireResult {
  rowCount: number;
  columns: string[];
}

export async function acquireCsv(source: CsvSourceSpec, outPath: string): Promise<AcquireResult> {
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
  const delimiter = source.delimiter ?? (source.format === 'tsv' ? '\t' : ',');
  const names = source.header ? await readHeader(source, delimiter) : (source.columnNames ?? []);
  // Sniffing is off: the dialect is what sluice.yaml says, so a file parses the same way every time.
  const columns = `{${names.map((n) => `${lit(n)}: 'VARCHAR'`).join(', ')}}`;
  const read = `SELECT * FROM read_csv(${lit(source.path)}, header = ${source.header}, columns = ${columns}, delim = ${lit(delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false, auto_detect = false, max_line_size = 16777216)`;
  return withDuckDB(async (conn) => {
    try {
      await writeParquet(conn, read, outPath);
    } catch (e) {
      throw new SluiceError('DATA_INVALID', `Source '${source.name}': cannot read ${source.path} as ${source.format.toUpperCase()}: ${firstLine(e)}`, {
        where: `sources.${source.name}`,
        hint: 'Check that the file is well-formed (the same number of fields on every line, UTF-8 text).',
        cause: e,
      });
    }
    const { columns, rowCount } = await describeParquet(conn, outPath);
    return { rowCount, columns: columns.map((c) => c.name) };
  });
}

const MAX_HEADER_BYTES = 1_048_576;

/** With sniffing off DuckDB needs the column names: read them from the header line. */
async function readHeader(source: CsvSourceSpec, delimiter: string): Promise<string[]> {
  const handle = await open(source.path, 'r');
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

export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
