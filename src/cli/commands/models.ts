import type { Command } from 'commander';
import { getModelVersion, listModelVersions, listRegisteredModels, parseModelRef, registryHistory } from '../../registry/index.js';
import { getRun } from '../../tracking/index.js';
import { withProject } from '../context.js';
import { c, fmtNum, formatTime, printJson, statusColor, table } from '../output.js';

export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('the model registry: versions, aliases, tags, lineage');
  models
    .command('list [name]')
    .description('list registered models, or the versions of one model')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        if (name) {
          const versions = await listModelVersions(db, name);
          if (opts.json) return printJson(versions);
          console.log(table([['VERSION', 'CREATED', 'RUN', 'STATUS', 'ALIASES'], ...versions.map((v) => [`${v.name}@${v.version}`, formatTime(v.creationTime), v.runId ?? '-', v.status, v.aliases.join(', ')])]));
          return;
        }
        const list = await listRegisteredModels(db);
        if (opts.json) return printJson(list);
        if (list.length === 0) return console.log('No registered models yet. A pipeline with `register:` whose gates pass creates one.');
        console.log(
          table([
            ['MODEL', 'LATEST', 'ALIASES', 'UPDATED'],
            ...list.map((m) => [m.name, m.latestVersion === null ? '-' : String(m.latestVersion), Object.entries(m.aliases).map(([a, v]) => `${a}→${v}`).join(', ') || '-', formatTime(m.lastUpdatedTime)]),
          ]),
        );
      });
    });
  models
    .command('show <ref>')
    .description('a model version and everything that made it: data, code, params, metrics, gates (e.g. income@1, income@champion, income)')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const { name, versionOrAlias } = parseModelRef(ref);
        const mv = await getModelVersion(db, name, versionOrAlias);
        const history = (await registryHistory(db, mv.name)).filter((h) => h.version === mv.version || h.version === null);
        const datasetRows = await Promise.all(
          Object.entries(mv.datasets).map(async ([role, id]) => ({
            role,
            id,
            version: id ? await db.selectFrom('dataset_versions').selectAll().where('id', '=', id).executeTakeFirst() : undefined,
          })),
        );
        const run = mv.runId ? await getRun(db, mv.runId).catch(() => null) : null;
        const data = {
          ...mv,
          datasets: datasetRows.map((d) => ({ role: d.role, id: d.id, name: d.version?.name ?? null, rows: d.version?.row_count ?? null, lineage: d.version ? (JSON.parse(d.version.lineage) as { sources?: { uri: string; digest: string }[] }) : null })),
          gates: mv.gates as { gate: string; status: string; checks: { metric: string; op: string; threshold: number; actual: number | null; passed: boolean }[] }[],
          history,
          trackingRun: run?.info ?? null,
        };
        if (opts.json) return printJson(data);
        console.log(`${c.bold(`${mv.name}@${mv.version}`)}  ${statusColor(mv.status)}  ${c.dim(`registered ${formatTime(mv.creationTime)}`)}`);
        if (mv.aliases.length) console.log(`aliases: ${mv.aliases.join(', ')}`);
        if (Object.keys(mv.tags).length) console.log(`tags: ${Object.entries(mv.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
        console.log(`\n${c.bold('made by')}`);
        console.log(`  pipeline run  ${mv.pipelineRunId ?? '-'}`);
        console.log(`  tracking run  ${mv.runId ?? '-'}`);
        console.log(`  code hash     ${mv.codeHash ?? '-'}`);
        console.log(`  model         ${mv.source}`);
        console.log(`\n${c.bold('data')}`);
        for (const d of data.datasets) {
          if (!d.id) continue;
          const src = d.lineage?.sources ?? [];
          console.log(`  ${d.role.padEnd(10)} ${d.id}  ${d.name ?? ''} ${c.dim(`${d.rows ?? '?'} rows`)}  ${c.dim(`from ${src.map((s) => `${s.uri} (sha256 ${s.digest.slice(0, 12)})`).join(', ')}`)}`);
        }
        console.log(`\n${c.bold('params')}`);
        for (const [k, v] of Object.entries(data.params)) if (k !== 'features') console.log(`  ${k} = ${String(v)}`);
        console.log(`\n${c.bold('metrics')}`);
        const shown = Object.entries(data.metrics).filter(([k]) => !['tp', 'fp', 'tn', 'fn', 'rows'].includes(k));
        console.log(table([['METRIC', 'VALUE'], ...shown.map(([k, v]) => [k, fmtNum(v)])]).replace(/^/gm, '  '));
        const m = data.metrics;
        if ('tp' in m) console.log(`  confusion matrix: tp ${m.tp}  fp ${m.fp}  fn ${m.fn}  tn ${m.tn}`);
        console.log(`\n${c.bold('gates')}`);
        for (const g of data.gates) {
          console.log(`  ${g.gate}: ${statusColor(g.status)}`);
          for (const ch of g.checks as { metric: string; message?: string; passed: boolean; severity?: string; skipped?: boolean; actual: number | null; op: string; threshold: number }[]) {
            const mark = ch.skipped ? c.dim('–') : ch.passed ? c.green('✓') : ch.severity === 'warn' ? c.yellow('⚠') : c.red('✗');
            console.log(`    ${mark} ${ch.message ?? `${ch.metric} ${fmtNum(ch.actual)} ${ch.op} ${ch.threshold}`}`);
          }
        }
        if (history.length) {
          console.log(`\n${c.bold('history')}`);
          for (const h of history) console.log(`  ${formatTime(h.at)}  ${h.action}  ${c.dim(`by ${h.actor}: ${h.reason}`)}`);
        }
      });
    });
}
