import type { Command } from 'commander';
import { getPipelineRun, listDatasetVersions, listGateResults, listPipelineRuns, listStepRuns } from '../../pipeline/index.js';
import { formatBytes, formatMs } from '../../pipeline/run-step.js';
import { getRun } from '../../tracking/index.js';
import { withProject } from '../context.js';
import { c, fmtNum, formatTime, printJson, statusColor, table } from '../output.js';

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
        const datasets = (await listDatasetVersions(db, { project: project.config.project, limit: 1000 })).filter((d) => d.pipeline_run_id === run.id);
        const models = await db.selectFrom('model_versions').select(['name', 'version']).where('pipeline_run_id', '=', run.id).execute();
        const trackingIds = [...new Set(steps.map((s) => s.tracking_run_id).filter((x): x is string => !!x))];
        const tracking = [];
        for (const id of trackingIds) tracking.push(await getRun(db, id));
        const data = {
          run: { ...run, error: run.error ? JSON.parse(run.error) : null },
          steps: steps.map((s) => ({ ...s, outputs: s.outputs ? JSON.parse(s.outputs) : null, resources: s.resources ? JSON.parse(s.resources) : null })),
          gates: gates.map((g) => ({ ...g, details: JSON.parse(g.details) })),
          datasets: datasets.map((d) => ({ id: d.id, name: d.name, rows: d.row_count })),
          models,
          tracking,
        };
        if (opts.json) return printJson(data);
        console.log(`${c.bold('run')} ${run.id}  ${statusColor(run.status)}  ${c.dim(`trigger ${run.trigger}, started ${formatTime(run.started_at)}`)}`);
        if (data.run.error) console.log(`  ${c.red(String(data.run.error.message ?? ''))}`);
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
          for (const d of g.details as { metric: string; op: string; threshold: number; actual: number | null; passed: boolean }[]) {
            console.log(`  ${d.passed ? c.green('✓') : c.red('✗')} ${d.metric} ${fmtNum(d.actual)} ${d.op} ${d.threshold}`);
          }
        }
        if (datasets.length) console.log(`\ndatasets: ${datasets.map((d) => `${d.name} ${c.dim(d.id)}`).join(', ')}`);
        for (const t of tracking) {
          const metrics = Object.entries(t.metrics)
            .map(([k, p]) => [k, p.value] as const)
            .filter(([k]) => !['tp', 'fp', 'tn', 'fn', 'rows', 'iterations'].some((x) => k.endsWith(x)));
          console.log(`\ntracking run ${t.info.runId} ${c.dim(`(${t.info.runName})`)}`);
          console.log(`  ${metrics.map(([k, v]) => `${k}=${fmtNum(v)}`).join('  ')}`);
        }
        for (const m of models) console.log(`\nmodel ${c.bold(`${m.name}@${m.version}`)}`);
      });
    });
}
