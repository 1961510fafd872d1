import type { Command } from 'commander';
import { getDatasetVersion, listDatasetVersions } from '../../pipeline/index.js';
import { withProject } from '../context.js';
import { c, formatTime, printJson, table } from '../output.js';

export function registerDataCommands(program: Command): void {
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
  datasets
    .command('show <ref>')
    .description('a dataset version: schema, lineage, validation (id, id prefix, or name for the newest version)')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
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
        if (d.validation) console.log(`\n${c.bold('validation')}: passed (${(d.validation as { typeChecks: unknown[] }).typeChecks.length} typed columns checked)`);
      });
    });
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
