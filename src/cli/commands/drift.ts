/**
 * `sluice drift <reference> <current>`: a one-off drift report over two files or dataset
 * versions. Prints every column's test, score, threshold and verdict; exit code 10 when the
 * dataset has drifted (or, with --quality, a quality check failed).
 */
import { rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ERROR_CODES, SluiceError } from '../../errors.js';
import { compareSources, type DriftComparison } from '../../monitoring/compare.js';
import type { ColumnDriftResult, Correction, DriftMode } from '../../monitoring/drift/index.js';
import { FILE_FORMATS, type FileFormat } from '../../monitoring/load/file.js';
import { renderDriftHtml } from '../../monitoring/report-html.js';
import { openProject } from '../../project.js';
import { projectDir } from '../context.js';
import { c, printJson, table } from '../output.js';

interface DriftOptions {
  mode: string;
  columns?: string;
  correction: string;
  minRows?: string;
  driftShare?: string;
  format?: string;
  delimiter?: string;
  nulls?: string;
  quality?: boolean;
  json?: boolean;
  html?: string;
}

const MODES = ['evidently', 'tfdv', 'nannyml'];
const CORRECTIONS = ['none', 'bonferroni', 'bh'];

export function registerDriftCommand(program: Command): void {
  program
    .command('drift <reference> <current>')
    .description('drift report between two files (CSV, TSV, Parquet, JSON, JSONL) or dataset versions (id or name)')
    .option('--mode <mode>', `statistics and defaults of ${MODES.join(', ')}`, 'evidently')
    .option('--columns <a,b>', 'compare only these columns (dates and timestamps are compared only when named)')
    .option('--correction <c>', `p-value correction across columns: ${CORRECTIONS.join(', ')}`, 'none')
    .option('--min-rows <n>', 'fewer non-missing rows on a side give no verdict (default 30)')
    .option('--drift-share <x>', 'dataset drift when at least this share of columns drifted (default 0.5)')
    .option('--format <f>', `file format when the extension does not say: ${FILE_FORMATS.join(', ')}`)
    .option('--delimiter <s>', 'CSV/TSV field separator (default: detected)')
    .option('--nulls <a,b>', 'CSV/TSV values meaning missing, such as "?"')
    .option('--quality', 'also check the current data against the reference: nulls, out of range, unseen categories, columns')
    .option('--html <file>', 'also write the report as a self-contained HTML page with distribution plots')
    .option('--json', 'print as JSON')
    .action(async (reference: string, current: string, opts: DriftOptions, cmd: Command) => {
      const mode = oneOf(opts.mode, MODES, '--mode') as DriftMode;
      const correction = oneOf(opts.correction, CORRECTIONS, '--correction') as Correction;
      const format = opts.format === undefined ? undefined : (oneOf(opts.format, FILE_FORMATS, '--format') as FileFormat);
      const minRows = opts.minRows === undefined ? undefined : number(opts.minRows, '--min-rows', (x) => Number.isInteger(x) && x >= 1);
      const driftShare = opts.driftShare === undefined ? undefined : number(opts.driftShare, '--drift-share', (x) => x > 0 && x <= 1);
      const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
      let project: Awaited<ReturnType<typeof openProject>> | undefined;
      try {
        const result = await compareSources(reference, current, {
          mode, correction, minRows, driftShare, format,
          columns: list(opts.columns),
          delimiter: opts.delimiter,
          nulls: list(opts.nulls),
          distributions: Boolean(opts.html),
          quality: opts.quality,
          datasets: async () => {
            project ??= await openProject(projectDir(cmd));
            return { db: project.store.db, artifacts: project.artifacts, project: project.config.project };
          },
          onProgress: (line) => process.stderr.write(`${c.dim(line)}\n`),
        });
        if (opts.html) {
          await writeAtomic(opts.html, renderDriftHtml(result, {
            title: `Drift: ${result.current.source} vs ${result.reference.source}`,
            reference: { label: label(result.reference), rows: result.reference.rows },
            current: { label: label(result.current), rows: result.current.rows },
            generatedAt: new Date().toISOString(),
            quality: result.quality,
          }));
        }
        if (opts.json) {
          const { distributions: _plots, ...rest } = result;
          printJson(rest);
        } else print(result, opts.html);
        const failed = result.dataset.datasetDrift || result.quality?.passed === false;
        if (failed) process.exitCode = ERROR_CODES.DRIFT_DETECTED.exit;
      } finally {
        await project?.close();
      }
    });
}

function oneOf(value: string, allowed: readonly string[], option: string): string {
  if (!allowed.includes(value)) throw new SluiceError('USAGE', `${option} must be one of ${allowed.join(', ')}, not '${value}'`);
  return value;
}

function number(value: string, option: string, ok: (x: number) => boolean): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new SluiceError('USAGE', `${option} got '${value}', which is out of range`, { hint: option === '--min-rows' ? 'Give a whole number ≥ 1.' : 'Give a number above 0 and at most 1.' });
  return x;
}

function label(s: DriftComparison['reference']): string {
  return s.dataset ? `dataset ${s.dataset.name} ${s.dataset.id}` : s.source;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

const fmt = (x: number | undefined): string => {
  if (x === undefined) return '';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
};

function verdict(r: ColumnDriftResult): string {
  if (r.drifted === null) return c.yellow('insufficient data');
  return r.drifted ? c.red('drifted') : c.green('no drift');
}

function print(r: DriftComparison, html: string | undefined): void {
  console.log(`${c.bold('reference')} ${label(r.reference)}  ${c.dim(`${r.reference.rows} rows`)}`);
  console.log(`${c.bold('current')}   ${label(r.current)}  ${c.dim(`${r.current.rows} rows`)}`);
  console.log(`mode ${r.mode}${r.dataset.correction !== 'none' ? `, ${r.dataset.correction} correction` : ''}\n`);
  console.log(
    table([
      ['COLUMN', 'KIND', 'TEST', 'SCORE', 'P-VALUE', 'DRIFT IF', 'VERDICT'],
      ...r.columns.map((col) => [
        col.column,
        col.type,
        col.test,
        fmt(col.statistic),
        fmt(col.details.adjustedPValue ?? col.pValue),
        `${col.details.verdictOn === 'pValue' ? 'p' : 'score'} ${col.details.operator} ${fmt(col.threshold)}`,
        verdict(col),
      ]),
    ]),
  );
  for (const name of r.onlyIn.reference) console.log(c.yellow(`column ${name}: only in the reference, not compared`));
  for (const name of r.onlyIn.current) console.log(c.yellow(`column ${name}: only in the current data, not compared`));
  for (const name of r.coerced) console.log(c.yellow(`column ${name}: numeric on one side, text on the other: compared as categories`));
  for (const s of [...r.skipped.reference, ...r.skipped.current.filter((x) => !r.skipped.reference.some((y) => y.name === x.name))]) {
    console.log(c.dim(`column ${s.name} (${s.type}) skipped: ${s.reason}`));
  }
  if (r.quality) printQuality(r.quality);
  const d = r.dataset;
  const summary = `${d.drifted} of ${d.evaluated} columns drifted (share ${fmt(d.share)}, dataset drift at ≥ ${fmt(d.driftShare)})${d.insufficient ? `; ${d.insufficient} without enough data` : ''}`;
  console.log(`\n${d.datasetDrift ? c.red(c.bold('dataset drift detected')) : c.green(c.bold('no dataset drift'))}: ${summary}`);
  if (html) console.log(`wrote ${html}`);
}

function printQuality(q: NonNullable<DriftComparison['quality']>): void {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const check = (p: boolean | null | undefined) => (p === undefined ? '' : p === null ? c.yellow('n/a') : p ? c.green('ok') : c.red('FAIL'));
  console.log(`\n${c.bold('data quality')} of the current data`);
  console.log(
    table([
      ['COLUMN', 'NULLS (REF)', '', 'OUT OF RANGE', '', 'UNSEEN', ''],
      ...q.columns.map((col) => [
        col.column,
        `${pct(col.nulls.share)} (${pct(col.nulls.referenceShare)})`,
        check(col.nulls.passed),
        col.range ? `${col.range.count} (${pct(col.range.share)})` : col.typeMismatch ? `type ${col.typeMismatch.current}` : '',
        check(col.range?.passed ?? (col.typeMismatch ? false : undefined)),
        col.unseen ? `${col.unseen.count} (${pct(col.unseen.share)})${col.unseen.examples.length ? ` ${col.unseen.examples.slice(0, 3).map((e) => e.value).join(', ')}` : ''}` : '',
        check(col.unseen?.passed),
      ]),
    ]),
  );
  if (q.schema.missing.length) console.log(c.red(`missing columns: ${q.schema.missing.join(', ')}`));
  if (q.schema.unexpected.length) console.log(c.yellow(`unexpected columns: ${q.schema.unexpected.join(', ')}`));
  console.log(q.passed === null ? c.yellow(`quality: fewer than ${q.minRows} rows, no verdict`) : q.passed ? c.green('quality: passed') : c.red(`quality: failed (${q.failures.join('; ')})`));
}
