import type { Command } from 'commander';
import { searchExperiments, type ViewType } from '../../tracking/index.js';
import { withProject } from '../context.js';
import { c, formatTime, printJson, table } from '../output.js';

export function registerExperimentCommands(program: Command): void {
  const exp = program.command('exp').description('tracking experiments: named groups of runs (MLflow-compatible)');
  exp
    .command('list')
    .description('list experiments, newest first')
    .option('--filter <filter>', `MLflow filter, e.g. "name LIKE 'income%'" or "tags.team = 'ml'"`)
    .option('--deleted', 'list deleted experiments instead')
    .option('--all', 'list active and deleted experiments')
    .option('--json', 'print as JSON')
    .action(async (opts: { filter?: string; deleted?: boolean; all?: boolean; json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const viewType: ViewType = opts.all ? 'ALL' : opts.deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY';
        const { experiments } = await searchExperiments(db, { filter: opts.filter, viewType, maxResults: 50_000 });
        const counts = await db
          .selectFrom('tracking_runs')
          .select((eb) => ['experiment_id', eb.fn.countAll<number>().as('n')])
          .where('lifecycle_stage', '=', 'active')
          .groupBy('experiment_id')
          .execute();
        const runs = new Map(counts.map((r) => [r.experiment_id, Number(r.n)]));
        const rows = experiments.map((e) => ({ ...e, runs: runs.get(e.experimentId) ?? 0 }));
        if (opts.json) return printJson(rows);
        if (rows.length === 0) return console.log('No experiments. A pipeline train step or an MLflow client creates them.');
        console.log(
          table([
            ['ID', 'NAME', 'RUNS', 'CREATED', 'TAGS'],
            ...rows.map((e) => [
              e.experimentId,
              e.lifecycleStage === 'active' ? e.name : c.dim(`${e.name} (deleted)`),
              String(e.runs),
              formatTime(e.creationTime),
              Object.entries(e.tags).map(([k, v]) => `${k}=${v}`).join(', '),
            ]),
          ]),
        );
      });
    });
}
