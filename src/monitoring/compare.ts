/**
 * A one-off drift comparison of two sources (files or dataset versions): load both with one
 * DuckDB instance, line up their columns, run the drift report, and optionally the plot data
 * and the production quality checks. What `sluice drift` prints; the CLI only formats it.
 */
import { stat } from 'node:fs/promises';
import { withDuckDB } from '../data/duckdb.js';
import { SluiceError, isSluiceError } from '../errors.js';
import { driftReport, type Correction, type DriftColumn, type DriftMode, type DriftReport } from './drift/index.js';
import { driftDistributions, type ColumnDistribution } from './distributions.js';
import { readDatasetVersion, type DatasetVersionSource } from './load/dataset-version.js';
import { readDriftFile, type FileFormat } from './load/file.js';
import type { LoadedTable, SkippedColumn } from './load/relation.js';
import { qualityReport, type QualityOptions, type QualityReport } from './quality.js';

export interface SideInfo {
  /** As given on the command line. */
  source: string;
  kind: 'file' | 'dataset';
  rows: number;
  dataset?: { id: string; name: string };
}

export interface CompareOptions {
  mode?: DriftMode;
  correction?: Correction;
  minRows?: number;
  driftShare?: number;
  /** Only these columns; they must be on both sides. */
  columns?: readonly string[];
  format?: FileFormat;
  delimiter?: string;
  nulls?: readonly string[];
  /** Where dataset versions are looked up when a source is not a file; opened only if needed. */
  datasets?: () => Promise<DatasetVersionSource>;
  distributions?: boolean;
  /** Also check the current side's data quality against the reference. */
  quality?: boolean | Omit<QualityOptions, 'expectations' | 'columns'>;
  onProgress?: (line: string) => void;
}

export interface DriftComparison extends DriftReport {
  reference: SideInfo;
  current: SideInfo;
  /** Columns of one side only: not compared. */
  onlyIn: { reference: string[]; current: string[] };
  /** Columns numeric on one side and text on the other, compared as categories. */
  coerced: string[];
  skipped: { reference: SkippedColumn[]; current: SkippedColumn[] };
  distributions?: ColumnDistribution[];
  quality?: QualityReport;
  seconds: { load: number; compare: number };
}

export async function compareSources(reference: string, current: string, options: CompareOptions = {}): Promise<DriftComparison> {
  const progress = options.onProgress ?? (() => {});
  const t0 = performance.now();
  const [ref, cur] = await withDuckDB(async (conn) => {
    const load = async (source: string, side: string) => {
      progress(`reading ${side} ${source}`);
      const read = { columns: options.columns, format: options.format, delimiter: options.delimiter, nulls: options.nulls };
      if (await isFile(source)) return { info: { source, kind: 'file' as const }, table: await readDriftFile(conn, source, read) };
      const missingFile = (hint: string) => new SluiceError('SOURCE_NOT_FOUND', `File ${source} does not exist`, { where: source, hint });
      if (!options.datasets || /[\\/]/.test(source)) {
        throw missingFile(options.datasets ? 'Check the path.' : 'Check the path; to compare dataset versions by id or name, run inside a project (or give -C).');
      }
      // Dataset names may hold dots (split.train), so a name with an extension is still looked up
      // as a dataset version; when it is neither, the error speaks of the file it looked like.
      const fileLike = hasExtension(source);
      let version: Awaited<ReturnType<typeof readDatasetVersion>>;
      try {
        version = await readDatasetVersion(conn, await options.datasets(), source, { columns: options.columns });
      } catch (e) {
        if (fileLike && isSluiceError(e) && e.code === 'CONFIG_NOT_FOUND') throw missingFile('Check the path; to compare dataset versions by id or name, run inside a project (or give -C).');
        if (fileLike && isSluiceError(e) && e.code === 'NOT_FOUND') throw missingFile(`Check the path; no dataset version is named '${source}' either (\`sluice datasets list\`).`);
        throw e;
      }
      return { info: { source, kind: 'dataset' as const, dataset: { id: version.dataset.id, name: version.dataset.name } }, table: version };
    };
    return [await load(reference, 'reference'), await load(current, 'current')];
  });
  const t1 = performance.now();

  const refNames = ref.table.columns.map((c) => c.name);
  const curNames = new Set(cur.table.columns.map((c) => c.name));
  if (options.columns) {
    for (const name of options.columns) {
      const where = !refNames.includes(name) ? 'reference' : !curNames.has(name) ? 'current' : null;
      if (where) {
        const side = where === 'reference' ? ref.table : cur.table;
        const skipped = side.skipped.find((s) => s.name === name);
        throw new SluiceError('USAGE', `Column '${name}' ${skipped ? `cannot be compared: ${skipped.reason}` : `is not in the ${where} data`}`, {
          where: where === 'reference' ? reference : current,
          hint: `Columns there: ${side.columns.map((c) => c.name).join(', ') || '(none)'}.`,
        });
      }
    }
  }
  const common = refNames.filter((n) => curNames.has(n));
  if (common.length === 0) {
    throw new SluiceError('SCHEMA_MISMATCH', 'The reference and the current data have no column in common', {
      where: `${reference} vs ${current}`,
      hint: `Reference columns: ${refNames.join(', ') || '(none)'}; current columns: ${[...curNames].join(', ') || '(none)'}.`,
    });
  }
  const coerced = alignKinds(ref.table, cur.table, common);
  progress(`comparing ${common.length} columns (${ref.table.rows} vs ${cur.table.rows} rows)`);
  const report = driftReport(ref.table, cur.table, {
    mode: options.mode, correction: options.correction, minRows: options.minRows, driftShare: options.driftShare, include: common,
  });
  const result: DriftComparison = {
    reference: { ...ref.info, rows: ref.table.rows },
    current: { ...cur.info, rows: cur.table.rows },
    ...report,
    onlyIn: { reference: refNames.filter((n) => !curNames.has(n)), current: [...curNames].filter((n) => !refNames.includes(n)) },
    coerced,
    skipped: { reference: ref.table.skipped, current: cur.table.skipped },
    seconds: { load: 0, compare: 0 },
  };
  if (options.distributions) result.distributions = driftDistributions(ref.table, cur.table, report);
  if (options.quality) {
    const expectations = 'expectations' in ref.table ? (ref.table as { expectations: QualityOptions['expectations'] }).expectations : undefined;
    const q = typeof options.quality === 'object' ? options.quality : {};
    const refForQuality = { columns: ref.table.columns.filter((c) => !options.columns || options.columns.includes(c.name)) };
    result.quality = qualityReport(refForQuality, cur.table, { minRows: options.minRows, ...q, expectations });
  }
  result.seconds = { load: (t1 - t0) / 1000, compare: (performance.now() - t1) / 1000 };
  return result;
}

async function isFile(path: string): Promise<boolean> {
  try {
    // A folder counts too, so that the reader can say it is not a file.
    const info = await stat(path);
    return info.isFile() || info.isDirectory();
  } catch {
    return false;
  }
}

/** A name ending like a file name (data.csv, part.jsonl.gz). */
function hasExtension(s: string): boolean {
  return /\.[A-Za-z0-9]{1,8}(\.gz)?$/.test(s);
}

/** Numeric on one side and text on the other: both become categories of their text. */
function alignKinds(a: LoadedTable, b: LoadedTable, names: readonly string[]): string[] {
  const coerced: string[] = [];
  for (const name of names) {
    const i = a.columns.findIndex((c) => c.name === name);
    const j = b.columns.findIndex((c) => c.name === name);
    if ((a.columns[i].type === 'number') === (b.columns[j].type === 'number')) continue;
    a.columns[i] = asCategory(a.columns[i]);
    b.columns[j] = asCategory(b.columns[j]);
    coerced.push(name);
  }
  return coerced;
}

function asCategory(c: DriftColumn): DriftColumn {
  if (c.type !== 'number') return c;
  const index = new Map<string, number>();
  const categories: string[] = [];
  const codes = new Int32Array(c.values.length);
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i];
    if (Number.isNaN(v)) { codes[i] = -1; continue; }
    const key = String(v);
    let code = index.get(key);
    if (code === undefined) { code = categories.length; categories.push(key); index.set(key, code); }
    codes[i] = code;
  }
  return { name: c.name, type: 'category', codes, categories };
}
