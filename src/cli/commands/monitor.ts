import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SluiceError, errorMessage, isSluiceError } from '../../errors.js';
import { withProject } from '../context.js';
import { c, fmtNum, formatTime, printJson, table } from '../output.js';

/** `--now 2026-01-31T00:00:00Z` or epoch milliseconds: the end of the window. */
export function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new SluiceError('USAGE', `Cannot read --now '${value}' as a time`, { hint: 'Give an ISO 8601 time such as 2026-02-01T00:00:00Z, or epoch milliseconds.' });
  return ms;
}

/** `--limit 20`: a whole number from 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new SluiceError('USAGE', `Cannot read '${value}' as a count`, { hint: 'Give a whole number from 1, e.g. --limit 20.' });
  return n;
}

const statusText = (s: string) => (s === 'drift' ? c.red(s) : s === 'ok' ? c.green(s) : c.yellow(s));
const num = (x: number | null | undefined) => (x === null || x === undefined ? '-' : fmtNum(x));

/** `sluice monitor run | history | show`. */
export function registerMonitorCommands(program: Command): void {
  const monitor = program.command('monitor').description('monitors: drift, data quality and accuracy of live traffic against a reference');
  monitor
    .command('run [name]')
    .description('run one monitor (or every monitor) on its window of the prediction log now, and record the results')
    .option('--now <time>', 'end the window at this time instead of now (ISO 8601 or epoch ms)')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { now?: string; json?: boolean }, cmd: Command) => {
      const { runMonitor, monitorConfig } = await import('../../monitoring/monitors/index.js');
      const now = parseNow(opts.now);
      await withProject(cmd, async (project) => {
        const names = name !== undefined ? [name] : Object.keys(project.config.monitors);
        if (name !== undefined) monitorConfig(project.config, name);
        if (names.length === 0) throw new SluiceError('NOT_FOUND', 'No monitors in sluice.yaml', { hint: 'Declare one under `monitors:` (see docs/monitoring.md).' });
        const results = [];
        // Every monitor is tried; the first failure decides the exit code, after the others ran.
        const failures: { monitor: string; error: unknown }[] = [];
        for (const n of names) {
          if (!opts.json) process.stderr.write(`monitor ${n}: reading the window and comparing with the reference…\n`);
          const started = performance.now();
          try {
            const { run, referenceBuilt } = await runMonitor(project, n, { now });
            results.push({ ...run, referenceBuilt, ms: Math.round(performance.now() - started) });
          } catch (e) {
            if (name !== undefined) throw e;
            failures.push({ monitor: n, error: e });
            if (!opts.json) process.stderr.write(`monitor ${n}: ${errorMessage(e)}\n`);
          }
        }
        const fail = () => {
          const first = failures[0];
          throw isSluiceError(first.error)
            ? new SluiceError(first.error.code, `Monitor '${first.monitor}' failed: ${first.error.message}`, { where: first.error.where, hint: first.error.hint })
            : first.error;
        };
        if (opts.json) return failures.length ? fail() : printJson(name !== undefined ? results[0] : results);
        for (const r of results) {
          console.log(`${c.bold(r.monitor)}  run ${r.id}  ${statusText(r.status)}  ${r.model}@${r.version}  ${formatTime(r.windowStart)} → ${formatTime(r.windowEnd)}  ${r.rows} rows (${r.labeledRows} labelled)`);
          if (r.summary.note) console.log(`  ${c.yellow(r.summary.note)}`);
          else {
            console.log(`  drift share ${num(r.driftShare)}${r.summary.driftedColumns.length ? `: ${r.summary.driftedColumns.join(', ')}` : ''}${r.summary.predictionDrift ? `; ${c.red('prediction drift')}` : ''}`);
            if (r.summary.qualityFailures.length) console.log(`  quality: ${c.red(r.summary.qualityFailures.join('; '))}`);
            if (r.accuracy !== null) console.log(`  accuracy ${num(r.accuracy)}${r.summary.metrics.roc_auc !== undefined ? `, ROC AUC ${num(r.summary.metrics.roc_auc)}` : ''}`);
            console.log(c.dim(`  reference ${r.referenceDataset}${r.referenceBuilt ? ' (prepared now, cached)' : ' (cached)'}; \`sluice monitor show ${r.id}\` for the report`));
          }
        }
        if (failures.length) fail();
      });
    });
  monitor
    .command('history [name]')
    .description('the timeline of monitor runs, newest first (window, rows, drift share, accuracy, verdicts) and the alert events')
    .option('--limit <n>', 'how many runs', positiveInt, 50)
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { limit: number; json?: boolean }, cmd: Command) => {
      const { listMonitorRuns, monitorConfig } = await import('../../monitoring/monitors/index.js');
      const { listAlertEvents } = await import('../../monitoring/alerts/index.js');
      await withProject(cmd, async (project) => {
        if (name !== undefined) monitorConfig(project.config, name);
        const db = project.store.db;
        const runs = await listMonitorRuns(db, project.config.project, { monitor: name, limit: opts.limit });
        const rules = Object.entries(project.config.alerts).filter(([, r]) => name === undefined || r.monitor === name).map(([n]) => n);
        const events = (await listAlertEvents(db, project.config.project, { limit: 200 })).filter((e) => rules.includes(e.rule) || (name === undefined));
        if (opts.json) return printJson({ runs, alert_events: events });
        if (!runs.length) console.log(`No monitor runs yet. Run one with \`sluice monitor run${name ? ` ${name}` : ''}\`.`);
        else {
          console.log(table([
            ['RUN', 'MONITOR', 'MODEL', 'WINDOW END', 'ROWS', 'LABELLED', 'DRIFT SHARE', 'DRIFTED', 'ACCURACY', 'STATUS'],
            ...runs.map((r) => [String(r.id), r.monitor, `${r.model}@${r.version}`, formatTime(r.windowEnd), String(r.rows), String(r.labeledRows), num(r.driftShare), r.summary.driftedColumns.join(',') || '-', num(r.accuracy), statusText(r.status)]),
          ]));
        }
        if (events.length) {
          console.log(`\n${c.bold('alert events')}`);
          console.log(table([['WHEN', 'RULE', 'CHANGE', 'VALUE', 'MESSAGE'], ...events.map((e) => [formatTime(e.at), e.rule, `${e.from} → ${e.to}`, num(e.value), e.message])]));
        }
      });
    });
  monitor
    .command('show <run>')
    .description("a monitor run's figures per column, and its report (--html writes the page with the distribution plots)")
    .option('--html <file>', 'write the HTML report to this file')
    .option('--json', 'print as JSON (the run, its metrics and the full report)')
    .action(async (ref: string, opts: { html?: string; json?: boolean }, cmd: Command) => {
      const { getMonitorRun, listRunMetrics } = await import('../../monitoring/monitors/index.js');
      await withProject(cmd, async (project) => {
        const id = Number(ref);
        if (!/^\d+$/.test(ref)) throw new SluiceError('USAGE', `Monitor run '${ref}' is not a run number`, { hint: 'Give the RUN number shown by `sluice monitor history`.' });
        const run = await getMonitorRun(project.store.db, project.config.project, id);
        const metrics = await listRunMetrics(project.store.db, run.id);
        if (opts.html) {
          if (!run.htmlDigest) throw new SluiceError('NOT_FOUND', `Monitor run ${run.id} has no report: ${run.summary.note ?? 'it was not judged'}`);
          const file = resolve(opts.html);
          await writeFile(file, await project.artifacts.readBytes(run.htmlDigest));
          if (!opts.json) process.stderr.write(`Wrote ${file}\n`);
        }
        if (opts.json) {
          const report = run.reportDigest ? JSON.parse((await project.artifacts.readBytes(run.reportDigest)).toString('utf8')) : null;
          return printJson({ run, metrics, report });
        }
        console.log(`${c.bold(`monitor ${run.monitor}`)}  run ${run.id}  ${statusText(run.status)}  ${run.model}@${run.version}`);
        console.log(`  window ${formatTime(run.windowStart)} → ${formatTime(run.windowEnd)}, ${run.rows} rows (${run.labeledRows} labelled), reference ${run.referenceDataset ?? '-'}`);
        if (run.summary.note) return console.log(`  ${c.yellow(run.summary.note)}`);
        const by = (m: string, col: string) => metrics.find((x) => x.metric === m && x.column === col);
        const columns = [...new Set(metrics.filter((m) => m.metric === 'drift_score').map((m) => m.column!))];
        console.log(table([
          ['COLUMN', 'TEST', 'DRIFT SCORE', 'THRESHOLD', 'VERDICT', 'NULLS', 'OUT OF RANGE', 'UNSEEN'],
          ...columns.map((col) => {
            const d = by('drift_score', col)!;
            return [col, d.detail ?? '', num(d.value), num(d.threshold), d.verdict === 'drift' ? c.red('drift') : d.verdict ?? 'no verdict', num(by('null_share', col)?.value), num(by('out_of_range_share', col)?.value), num(by('unseen_share', col)?.value)];
          }),
        ]));
        const overall = metrics.filter((m) => m.column === null && !['drifted_columns', 'dataset_drift', 'prediction_drifted'].includes(m.metric));
        console.log(`\n${overall.map((m) => `${m.metric} ${num(m.value)}${m.verdict ? ` (${m.verdict})` : ''}`).join(', ')}`);
      });
    });
}
