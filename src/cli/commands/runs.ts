import type { Command } from 'commander';
import { getPipelineRun, listDatasetVersions, listGateResults, listPipelineRuns, listStepRuns } from '../../pipeline/index.js';
import { formatBytes, formatMs } from '../../pipeline/run-step.js';
import { SluiceError } from '../../errors.js';
import type { Db } from '../../store/index.js';
import { getMetricHistory, getRun, parseFilter, parseOrderBy, RUN_GRAMMAR, searchRuns, type MetricPoint, type Run } from '../../tracking/index.js';
import { withProject } from '../context.js';
import { c, fmtNum, formatTime, printJson, statusColor, table } from '../output.js';
import { renderComparison } from './_compare.js';
import { triggerEventOfRun } from '../../pipeline/triggers/events.js';
import { describeCause } from './trigger.js';

export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('pipeline runs: what ran, when, on what, with which result');
  runs
    .command('list')
    .description('list pipeline runs, newest first')
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: number; json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const rows = await listPipelineRuns(project.store.db, { project: project.config.project, limit: opts.limit });
        if (opts.json) return printJson(rows.map((r) => ({ ...r, error: r.error ? JSON.parse(r.error) : null })));
        if (rows.length === 0) return console.log('No runs yet. Start one with `sluice run`.');
        console.log(
          table([
            ['RUN', 'STATUS', 'TRIGGER', 'STARTED', 'DURATION'],
            ...rows.map((r) => [r.id, statusColor(r.status), r.trigger, formatTime(r.started_at), r.ended_at ? formatMs(r.ended_at - r.started_at) : '-']),
          ]),
        );
      });
    });
  runs
    .command('show <run>')
    .description("a run's steps, gates, datasets and model (run id, id prefix, or 'latest')")
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const run = await getPipelineRun(db, ref, project.config.project);
        const steps = await listStepRuns(db, run.id);
        const gates = await listGateResults(db, run.id);
        const datasets = (await listDatasetVersions(db, { project: project.config.project, limit: 1000 })).filter((d) => d.named_by_run === run.id);
        const models = await db.selectFrom('model_versions').select(['name', 'version']).where('pipeline_run_id', '=', run.id).execute();
        const trackingIds = [...new Set(steps.map((s) => s.tracking_run_id).filter((x): x is string => !!x))];
        const tracking = [];
        for (const id of trackingIds) tracking.push(await getRun(db, id));
        const data = {
          run: { ...run, error: run.error ? JSON.parse(run.error) : null, trigger_cause: run.trigger_cause ? (JSON.parse(run.trigger_cause) as Record<string, unknown>) : null },
          trigger_event: (await triggerEventOfRun(db, run.id)) ?? null,
          steps: steps.map((s) => ({ ...s, outputs: s.outputs ? JSON.parse(s.outputs) : null, resources: s.resources ? JSON.parse(s.resources) : null })),
          gates: gates.map((g) => ({ ...g, details: JSON.parse(g.details) })),
          datasets: datasets.map((d) => ({ id: d.id, name: d.name, rows: d.row_count })),
          models,
          tracking,
        };
        if (opts.json) return printJson(data);
        console.log(`${c.bold('run')} ${run.id}  ${statusColor(run.status)}  ${c.dim(`trigger ${run.trigger}, started ${formatTime(run.started_at)}`)}`);
        if (data.run.error) console.log(`  ${c.red(String(data.run.error.message ?? ''))}`);
        const te = data.trigger_event;
        if (te) {
          const chain = [te.model ? `registered ${te.model}@${te.version}` : '', te.environment ? `${te.revisionId !== null ? `revision ${te.revisionId} in` : 'for'} ${te.environment}` : '', te.status].filter(Boolean).join(' → ');
          console.log(`  ${c.dim(`triggered by ${te.kind}:`)} ${describeCause(te)}  ${c.dim(`(trigger event ${te.id}: ${chain}${te.reason ? `; ${te.reason}` : ''})`)}`);
        }
        console.log();
        console.log(
          table([
            ['STEP', 'KIND', 'STATUS', 'TIME', 'PEAK MEMORY', 'NOTE'],
            ...data.steps.map((s) => [
              s.name,
              s.kind,
              statusColor(s.status),
              s.started_at && s.ended_at ? formatMs(s.ended_at - s.started_at) : '-',
              s.resources?.peak_rss ? formatBytes(s.resources.peak_rss) : '-',
              s.status === 'cached' ? c.dim('unchanged, reused') : s.failure ? `${s.failure}: ${s.error ?? ''}` : (s.error ?? ''),
            ]),
          ]),
        );
        for (const g of data.gates) {
          console.log(`\ngate ${c.bold(g.gate)}: ${statusColor(g.status)}`);
          for (const d of g.details as { metric: string; message?: string; passed: boolean; severity?: string; skipped?: boolean }[]) {
            const mark = d.skipped ? c.dim('–') : d.passed ? c.green('✓') : d.severity === 'warn' ? c.yellow('⚠') : c.red('✗');
            console.log(`  ${mark} ${d.message ?? d.metric}`);
          }
        }
        if (datasets.length) console.log(`\ndatasets: ${datasets.map((d) => `${d.name} ${c.dim(d.id)}`).join(', ')}`);
        for (const t of tracking) {
          const metrics = Object.entries(t.metrics)
            .map(([k, p]) => [k, p.value] as const)
            // The headline figures; fairness per attribute and the confusion counts are in --json.
            .filter(([k]) => !k.includes('.') && !['tp', 'fp', 'tn', 'fn', 'rows', 'iterations'].some((x) => k.endsWith(x)));
          console.log(`\ntracking run ${t.info.runId} ${c.dim(`(${t.info.runName})`)}`);
          console.log(`  ${metrics.map(([k, v]) => `${k}=${fmtNum(v)}`).join('  ')}`);
        }
        for (const m of models) console.log(`\nmodel ${c.bold(`${m.name}@${m.version}`)}`);
      });
    });
  runs
    .command('search [filter]')
    .description(`search tracking runs with MLflow's filter, e.g. "metrics.auc > 0.9 and params.model = 'gbdt'"`)
    .option('--order-by <clause...>', 'e.g. "metrics.auc DESC" (several allowed)')
    .option('--experiment <name-or-id...>', 'only these experiments (default: all)')
    .option('--max-results <n>', 'how many', (v) => Number(v), 50)
    .option('--deleted', 'search deleted runs instead')
    .option('--json', 'print as JSON')
    .action(async (filter: string | undefined, opts: { orderBy?: string[]; experiment?: string[]; maxResults: number; deleted?: boolean; json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const experimentIds = opts.experiment ? await experimentIdsOf(db, opts.experiment) : undefined;
        const page = await searchRuns(db, { filter, orderBy: opts.orderBy, experimentIds, maxResults: opts.maxResults, viewType: opts.deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY' });
        if (opts.json) return printJson(page);
        if (page.runs.length === 0) return console.log('No runs match.');
        // Columns for what the filter and ordering mention, then a few more metrics.
        const mentioned = [...parseFilter(filter, RUN_GRAMMAR), ...parseOrderBy(opts.orderBy, RUN_GRAMMAR)].filter((x) => x.type === 'metric' || x.type === 'param');
        const columns: { type: string; key: string }[] = [...new Map(mentioned.map((x) => [`${x.type}:${x.key}`, { type: x.type, key: x.key }])).values()];
        for (const key of [...new Set(page.runs.flatMap((r) => Object.keys(r.metrics)))].sort()) {
          if (columns.length >= 6) break;
          if (!columns.some((x) => x.type === 'metric' && x.key === key)) columns.push({ type: 'metric', key });
        }
        const cell = (r: Run, x: { type: string; key: string }) => (x.type === 'metric' ? (r.metrics[x.key] ? fmtNum(r.metrics[x.key].value) : '-') : (r.params[x.key] ?? '-'));
        console.log(
          table([
            ['RUN', 'NAME', 'STATUS', 'STARTED', ...columns.map((x) => (x.type === 'param' ? `params.${x.key}` : x.key))],
            ...page.runs.map((r) => [r.info.runId, r.info.runName, statusColor(r.info.status), formatTime(r.info.startTime), ...columns.map((x) => cell(r, x))]),
          ]),
        );
        if (page.nextPageToken) console.log(c.dim(`… more runs match; raise --max-results to see them.`));
      });
    });
  runs
    .command('compare <runs...>')
    .description('tracking runs side by side: params, metrics with deltas, metric-history sparklines (run ids, id prefixes or run names)')
    .option('--json', 'print as JSON')
    .action(async (refs: string[], opts: { json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const runs: Run[] = [];
        for (const ref of refs) runs.push(await getRun(db, await resolveTrackingRun(db, ref)));
        const histories = new Map<string, Map<string, MetricPoint[]>>();
        for (const r of runs) {
          const byKey = new Map<string, MetricPoint[]>();
          for (const key of Object.keys(r.metrics)) byKey.set(key, await getMetricHistory(db, r.info.runId, key));
          histories.set(r.info.runId, byKey);
        }
        if (opts.json) {
          return printJson(runs.map((r) => ({ ...r, history: Object.fromEntries(histories.get(r.info.runId)!) })));
        }
        console.log(renderComparison(runs, histories));
      });
    });
}

async function experimentIdsOf(db: Db, refs: string[]): Promise<string[]> {
  const rows = await db.selectFrom('experiments').select(['experiment_id', 'name']).where((eb) => eb.or([eb('experiment_id', 'in', refs), eb('name', 'in', refs)])).execute();
  const unknown = refs.filter((r) => !rows.some((row) => row.experiment_id === r || row.name === r));
  if (unknown.length) throw new SluiceError('NOT_FOUND', `No experiment '${unknown[0]}'`, { hint: '`sluice exp list` shows the experiments there are.' });
  return rows.map((r) => r.experiment_id);
}

/** A tracking run by id, unique id prefix, or name (the newest run of that name). */
async function resolveTrackingRun(db: Db, ref: string): Promise<string> {
  if (/^[0-9a-f]{4,32}$/.test(ref)) {
    const rows = await db.selectFrom('tracking_runs').select('run_id').where('run_id', 'like', `${ref}%`).limit(2).execute();
    if (rows.length === 1) return rows[0].run_id;
    if (rows.length > 1) throw new SluiceError('USAGE', `Run id prefix '${ref}' is ambiguous`, { hint: 'Give more characters of the run id.' });
  }
  const named = await db.selectFrom('tracking_runs').select('run_id').where('run_name', '=', ref).orderBy('start_time', 'desc').limit(1).executeTakeFirst();
  if (named) return named.run_id;
  throw new SluiceError('NOT_FOUND', `No tracking run '${ref}'`, { hint: '`sluice runs search` lists tracking runs; give a run id, an id prefix or a run name.' });
}
