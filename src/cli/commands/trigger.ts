/**
 * `sluice trigger`: start a run by hand (or from CI) with its reason recorded, here or through a
 * running server; `sluice triggers list` the declared triggers and what the scheduler saw;
 * `sluice triggers history` every trigger event and what it led to.
 */
import { Cron } from 'croner';
import type { Command } from 'commander';
import { monitorSchedule } from '../../config/monitoring.js';
import { ERROR_CODES, SluiceError, type ErrorCode } from '../../errors.js';
import { listTriggerEvents, newHolder, startTriggeredRun, systemClock, TRIGGER_KINDS, type TriggerEvent, type TriggerKind } from '../../pipeline/triggers/index.js';
import { runExitCode } from '../../pipeline/finalize.js';
import { readState } from '../../pipeline/triggers/state.js';
import { abortOnSignal, withProject } from '../context.js';
import { c, formatTime, printJson, statusColor, table } from '../output.js';
import { RunView } from '../run-view.js';

const actor = () => process.env.SLUICE_ACTOR ?? process.env.USER ?? 'sluice';

/** 90000 → '1m30s', 21600000 → '6h'. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join('');
}

export function registerTriggerCommands(program: Command): void {
  program
    .command('trigger')
    .description('start a pipeline run now, recorded with its reason (trigger manual, or ci); refused while another run is in progress')
    .option('--reason <text>', 'why: recorded as the cause of the run')
    .option('--ci', "record the trigger as 'ci' rather than 'manual'")
    .option('--force', 'rerun every step, ignoring the cache')
    .option('--server <url>', 'ask a running `sluice server` to start it (its scheduler runs it), and return at once')
    .option('--quiet', "don't show step output, only step results")
    .option('--json', 'print the outcome as JSON (no live output)')
    .action(async (opts: { reason?: string; ci?: boolean; force?: boolean; server?: string; quiet?: boolean; json?: boolean }, cmd: Command) => {
      const kind = opts.ci ? 'ci' : 'manual';
      if (opts.server) return triggerOnServer(opts.server, { kind, reason: opts.reason, force: opts.force ?? false, actor: actor() }, opts.json);
      await withProject(cmd, async (project) => {
        const view = opts.json ? undefined : new RunView({ quiet: opts.quiet });
        await abortOnSignal(async (signal) => {
          const cause = { ...(opts.reason ? { reason: opts.reason } : {}), actor: actor() };
          const started = await startTriggeredRun(project, { kind, cause, force: opts.force }, { holder: newHolder(), clock: systemClock, leaseMs: project.config.triggers.lease, onEvent: view?.handle, signal });
          if ('skipped' in started) throw new SluiceError('CONFLICT', `Cannot start a run of '${project.config.project}' now: ${started.skipped}`, { hint: 'Wait for it to finish (`sluice runs list`), then trigger again.' });
          const outcome = await started.done;
          if (opts.json) printJson({ trigger_event: outcome.eventId, pipeline_run_id: outcome.runId ?? null, status: outcome.status, model: outcome.summary?.model ?? null, error: outcome.error ?? null });
          else if (outcome.runId) console.log(`${c.dim('trigger event')} ${outcome.eventId}  ${c.dim('records:')} sluice runs show ${outcome.runId}`);
          if (outcome.status === 'failed' && !outcome.summary && outcome.error && !opts.json) process.stderr.write(`${c.red('error:')} ${outcome.error}\n`);
          if (outcome.status !== 'succeeded') process.exitCode = runExitCode(outcome.status, outcome.summary?.errors ?? []);
        });
      });
    });

  const triggers = program.command('triggers').description("what starts pipeline runs: the project's triggers and their history");
  triggers
    .command('list')
    .description('the declared triggers (schedules, source watches, monitors, retrain policy) with their last and next times')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const db = project.store.db;
        const name = project.config.project;
        const t = project.config.triggers;
        const now = Date.now();
        const rows: { kind: string; name: string; when: string; last: number | null; next: number | null; note: string }[] = [];
        for (const [n, s] of Object.entries(t.schedules)) {
          const state = await readState<{ last: number; cron: string }>(db, name, `cron:${n}`);
          const last = state?.value.cron === s.cron ? state.value.last : null;
          const next = new Cron(s.cron, { paused: true, timezone: s.timezone ?? 'UTC' }).nextRun(new Date(Math.max(last ?? 0, now)))?.getTime() ?? null;
          rows.push({ kind: 'schedule', name: n, when: `${s.cron} (${s.timezone ?? 'UTC'})`, last, next, note: s.force ? 'force' : '' });
        }
        if (t.on_source_change) {
          const { watchedSources } = await import('../../pipeline/triggers/sources.js');
          for (const s of watchedSources(project)) {
            const state = await readState<{ digest: string }>(db, name, `source:${s}`);
            rows.push({ kind: 'data-change', name: s, when: `every ${formatDuration(t.on_source_change.poll)}`, last: null, next: null, note: state ? `seen ${state.value.digest.replace(/^sha256:/, '').slice(0, 12)}` : 'not looked at yet' });
          }
        }
        for (const [m, monitor] of Object.entries(project.config.monitors)) {
          const schedule = monitorSchedule(monitor);
          const state = await readState<{ last: number }>(db, name, `monitor:${m}`);
          const rules = Object.entries(project.config.alerts).filter(([, r]) => r.monitor === m);
          const retrain = rules.filter(([, r]) => r.actions.includes('retrain')).map(([r]) => r);
          rows.push({
            kind: 'monitor',
            name: m,
            when: 'every' in schedule ? `every ${formatDuration(schedule.every)}` : schedule.cron,
            last: state?.value.last ?? null,
            next: 'every' in schedule ? (state ? state.value.last + schedule.every : null) : null,
            note: `${rules.length} alert rule(s)${retrain.length ? `; retrain on ${retrain.join(', ')}` : ''}${t.monitors.enabled ? '' : '; disabled'}`,
          });
        }
        const retrain = { min_interval_ms: t.retrain.min_interval, environment: t.retrain.environment ?? null, strategy: t.retrain.strategy, force: t.retrain.force };
        if (opts.json) return printJson({ triggers: rows, retrain });
        if (rows.length === 0) console.log('No triggers declared. Add `triggers: { schedules: … }` or `on_source_change:` to sluice.yaml (docs/triggers.md).');
        else console.log(table([['KIND', 'NAME', 'WHEN', 'LAST', 'NEXT', 'NOTE'], ...rows.map((r) => [r.kind, r.name, r.when, formatTime(r.last), formatTime(r.next), r.note])]));
        console.log(`\n${c.dim('retrain:')} at most one per ${formatDuration(t.retrain.min_interval)}; ${t.retrain.environment ? `deploys to ${t.retrain.environment} (${t.retrain.strategy})` : 'registers only (no environment)'}`);
        console.log(c.dim('The scheduler runs inside `sluice server`; `sluice triggers history` shows what fired.'));
      });
    });
  triggers
    .command('history')
    .description('trigger events, newest first: what fired, and the run, model version and deployment it led to')
    .option('--kind <kind>', `only one kind: ${TRIGGER_KINDS.join(', ')}`)
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--json', 'print as JSON')
    .action(async (opts: { kind?: string; limit: number; json?: boolean }, cmd: Command) => {
      if (opts.kind !== undefined && !(TRIGGER_KINDS as readonly string[]).includes(opts.kind)) throw new SluiceError('USAGE', `Unknown trigger kind '${opts.kind}'`, { hint: `Use one of ${TRIGGER_KINDS.join(', ')}.` });
      await withProject(cmd, async (project) => {
        const events = await listTriggerEvents(project.store.db, project.config.project, { kind: opts.kind as TriggerKind | undefined, limit: opts.limit });
        if (opts.json) return printJson(events);
        if (events.length === 0) return console.log('No trigger events yet. `sluice trigger` starts a run by hand; `sluice server` runs the scheduler.');
        console.log(table([['EVENT', 'AT', 'KIND', 'CAUSE', 'STATUS', 'RUN', 'MODEL', 'DEPLOYMENT'], ...events.map(eventRow)]));
        const explained = events.filter((e) => e.reason);
        if (explained.length) console.log(`\n${explained.map((e) => `${c.dim(`event ${e.id}:`)} ${e.reason}`).join('\n')}`);
      });
    });
}

/** One line of cause: the schedule, the sources that changed, the alert rule and event, or the reason. */
export function describeCause(e: Pick<TriggerEvent, 'kind' | 'cause'>): string {
  const k = e.cause;
  if (e.kind === 'schedule') return `${String(k.schedule)} (${String(k.cron)})`;
  if (e.kind === 'data-change') return ((k.changes as { source: string; digest: string }[] | undefined) ?? []).map((ch) => `${ch.source} → ${ch.digest.replace(/^sha256:/, '').slice(0, 10)}`).join(', ');
  if (e.kind === 'alert') return `alert ${String(k.rule)} (event ${String(k.event_id)})`;
  return [k.reason ? `"${String(k.reason)}"` : '', k.actor ? `by ${String(k.actor)}` : ''].filter(Boolean).join(' ');
}

function eventRow(e: TriggerEvent): string[] {
  return [
    String(e.id),
    formatTime(e.at),
    e.kind,
    describeCause(e),
    statusColor(e.status),
    e.pipelineRunId ?? '-',
    e.model ? `${e.model}@${e.version}` : '-',
    e.revisionId !== null ? `${e.environment} rev ${e.revisionId}` : e.environment ?? '-',
  ];
}

async function triggerOnServer(url: string, body: { kind: string; reason?: string; force: boolean; actor: string }, json?: boolean): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/$/, '')}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (e) {
    throw new SluiceError('USAGE', `No Sluice server answers at ${url}`, { hint: 'Start one with `sluice server`, or leave out --server to run here.', cause: e });
  }
  const data = (await response.json().catch(() => ({}))) as { trigger_event?: number; pipeline_run_id?: string | null; error?: { code: string; message: string; hint?: string } };
  if (!response.ok) {
    const code = (data.error?.code && data.error.code in ERROR_CODES ? data.error.code : 'INTERNAL') as ErrorCode;
    throw new SluiceError(code, data.error?.message ?? `The server answered ${response.status}`, { hint: data.error?.hint });
  }
  if (json) printJson(data);
  else console.log(`${c.green('✓')} pipeline run ${data.pipeline_run_id ?? '(starting)'} started on ${url} (trigger event ${data.trigger_event}); follow it with \`sluice runs show ${data.pipeline_run_id ?? 'latest'}\``);
}
