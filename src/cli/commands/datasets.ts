import type { Command } from 'commander';
import { getDatasetVersion, listDatasetVersions } from '../../pipeline/index.js';
import { withProject } from '../context.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffDatasets } from '../../data/diff.js';
import { SluiceError } from '../../errors.js';
import type { BiasReport } from '../../data/bias/index.js';
import type { ExpectationsReport } from '../../data/expectations/index.js';
import type { PiiReport } from '../../data/pii/index.js';
import type { DatasetProfile } from '../../data/profile.js';
import { datasetHtml } from '../../data/report-html.js';
import { c, fmtNum, formatTime, printJson, table } from '../output.js';

export function registerDatasetCommands(program: Command): void {
  const datasets = program.command('datasets').description('dataset versions: immutable, content-addressed tables with schema and lineage');
  datasets
    .command('list')
    .description('list dataset versions, newest first')
    .option('--name <name>', 'only versions of this dataset')
    .option('--json', 'print as JSON')
    .action(async (opts: { name?: string; json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const rows = await listDatasetVersions(project.store.db, { project: project.config.project, name: opts.name });
        if (opts.json) return printJson(rows.map(parsed));
        if (rows.length === 0) return console.log('No dataset versions yet. `sluice run` creates them.');
        console.log(
          table([
            ['ID', 'NAME', 'ROWS', 'COLUMNS', 'CREATED', 'RUN'],
            ...rows.map((r) => [r.id, r.name, String(r.row_count), String((JSON.parse(r.schema) as unknown[]).length), formatTime(r.named_at), r.named_by_run]),
          ]),
        );
      });
    });
  registerDatasetDiff(datasets);
  datasets
    .command('show <ref>')
    .description('a dataset version: schema, lineage, validation, PII scan, profile (id, id prefix, or name for the newest version)')
    .option('--html <file>', 'also write the validation report and profile as an HTML page')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean; html?: string }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const d = parsed(await getDatasetVersion(project.store.db, ref, project.config.project));
        if (opts.json) return printJson(d);
        console.log(`${c.bold(d.name)} ${d.id}  ${c.dim(`${d.row_count} rows, created ${formatTime(d.created_at)} by run ${d.pipeline_run_id}`)}`);
        console.log(`content sha256 ${d.digest}`);
        console.log(`\n${c.bold('schema')}`);
        console.log(table([['COLUMN', 'TYPE'], ...(d.schema as { name: string; type: string }[]).map((s) => [s.name, s.type])]).replace(/^/gm, '  '));
        const lineage = d.lineage as { step: string; sources: { name: string; uri: string; digest: string }[]; inputs: { name: string; dataset: string | null }[]; code_hash: string };
        console.log(`\n${c.bold('lineage')}`);
        console.log(`  made by step ${lineage.step}, code ${lineage.code_hash.slice(0, 16)}`);
        for (const s of lineage.sources) console.log(`  source ${s.name}: ${s.uri} ${c.dim(`sha256 ${s.digest}`)}`);
        for (const i of lineage.inputs) if (i.dataset) console.log(`  input ${i.name}: ${i.dataset}`);
        printChecks(d.validation as Checks | null);
        printProfile(d.profile as DatasetProfile | null);
        if (opts.html) {
          await writeFile(opts.html, datasetHtml(d.name, d.id, d.validation as Checks | null, d.profile as DatasetProfile | null));
          console.log(`\nwrote ${opts.html}`);
        }
      });
    });
}

interface Checks {
  schema?: { typeChecks: unknown[] };
  expectations?: ExpectationsReport;
  pii?: PiiReport;
  bias?: BiasReport;
}

function printChecks(v: Checks | null): void {
  if (!v) return;
  console.log(`\n${c.bold('checks')}`);
  if (v.schema) console.log(`  schema      passed (${v.schema.typeChecks.length} typed columns checked)`);
  if (v.expectations) {
    const s = v.expectations.statistics;
    console.log(`  expectations ${v.expectations.success ? c.green('passed') : c.red('failed')}: ${s.successful} of ${s.evaluated} met${s.warnings ? `, ${s.warnings} warning(s)` : ''}`);
  }
  if (v.pii) {
    const found = v.pii.columns.filter((col) => col.action !== 'none');
    console.log(`  PII scan    ${v.pii.passed ? c.green('passed') : c.red('failed')}: ${found.length === 0 ? 'nothing found' : found.map((f) => `${f.column} (${f.action})`).join(', ')}`);
  }
  if (v.bias) console.log(`  bias        ${v.bias.status}: ${v.bias.attributes.map((a) => `${a.attribute} label-rate ratio ${a.labelRateRatio?.toFixed(3) ?? '-'}`).join(', ')}`);
}

function printProfile(p: DatasetProfile | null): void {
  if (!p) return;
  console.log(`\n${c.bold('profile')}`);
  console.log(
    table([
      ['COLUMN', 'TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MEAN', 'MAX', 'TOP'],
      ...p.columns.map((col) => [
        col.name,
        col.type,
        `${(col.nullFraction * 100).toFixed(1)}%`,
        String(col.distinct),
        fmtNum(col.min ?? ''),
        col.mean === undefined || col.mean === null ? '' : fmtNum(col.mean),
        fmtNum(col.max ?? ''),
        (col.top ?? []).slice(0, 3).map((t) => `${t.value} (${t.count})`).join(', '),
      ]),
    ]).replace(/^/gm, '  '),
  );
}

function parsed<T extends { schema: string; lineage: string; validation: string | null; profile: string | null }>(
  r: T,
): Omit<T, 'schema' | 'lineage' | 'validation' | 'profile'> & { schema: unknown; lineage: unknown; validation: unknown; profile: unknown } {
  return {
    ...r,
    schema: JSON.parse(r.schema) as unknown,
    lineage: JSON.parse(r.lineage) as unknown,
    validation: r.validation ? (JSON.parse(r.validation) as unknown) : null,
    profile: r.profile ? (JSON.parse(r.profile) as unknown) : null,
  };
}

export function registerDatasetDiff(datasets: Command): void {
  datasets
    .command('diff <a> <b>')
    .description('what changed between two dataset versions: schema, row count, per-column distribution')
    .option('--json', 'print as JSON')
    .action(async (refA: string, refB: string, opts: { json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const [va, vb] = [await getDatasetVersion(db, refA, project.config.project), await getDatasetVersion(db, refB, project.config.project)];
        const tmp = await mkdtemp(join(tmpdir(), 'sluice-diff-'));
        try {
          const load = async (v: typeof va, file: string) => {
            if (!v.profile) throw new SluiceError('DATA_INVALID', `Dataset version ${v.id} has no profile (made by an older Sluice)`, { hint: 'Run the pipeline again with --force to profile it.' });
            const path = join(tmp, file);
            await project.artifacts.materialize(v.digest, path);
            return { id: v.id, path, profile: JSON.parse(v.profile) as DatasetProfile };
          };
          const diff = await diffDatasets(await load(va, 'a.parquet'), await load(vb, 'b.parquet'));
          if (opts.json) return printJson(diff);
          console.log(`${c.bold(va.name)} ${va.id}  →  ${c.bold(vb.name)} ${vb.id}`);
          const pct = diff.rowChangePercent === null ? '' : ` (${diff.rowChangePercent >= 0 ? '+' : ''}${diff.rowChangePercent.toFixed(1)}%)`;
          console.log(`rows: ${diff.a.rows} → ${diff.b.rows}, ${diff.rowChange >= 0 ? '+' : ''}${diff.rowChange}${pct}`);
          for (const x of diff.added) console.log(`${c.green('+')} column ${x.name} (${x.type})`);
          for (const x of diff.removed) console.log(`${c.red('-')} column ${x.name} (${x.type})`);
          for (const x of diff.retyped) console.log(`${c.yellow('~')} column ${x.name}: ${x.from} → ${x.to}`);
          console.log(
            table([
              ['COLUMN', 'NULLS', 'MEAN', 'DISTINCT', 'TEST', 'SCORE', 'DRIFT'],
              ...diff.columns.map((col) => [
                col.name,
                `${(col.nullFraction[0] * 100).toFixed(1)}% → ${(col.nullFraction[1] * 100).toFixed(1)}%`,
                col.mean[0] === null ? '' : `${fmtNum(col.mean[0])} → ${fmtNum(col.mean[1])}`,
                `${col.distinct[0]} → ${col.distinct[1]}`,
                col.test ?? '',
                col.pValue !== undefined ? `p=${fmtNum(col.pValue)}` : col.statistic !== undefined ? fmtNum(col.statistic) : '',
                col.drifted === undefined ? '' : col.drifted ? c.red('drifted') : c.green('no'),
              ]),
            ]),
          );
          if (diff.drift) console.log(`drifted columns: ${diff.drift.dataset.drifted} of ${diff.drift.dataset.columns}`);
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
      });
    });
}
