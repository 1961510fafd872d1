import type { Command } from 'commander';
import { withProject } from '../context.js';
import { c, fmtNum, formatTime, printJson, table } from '../output.js';
import { parseNow, positiveInt } from './monitor.js';
import type { TriggerEvent } from '../../pipeline/triggers/events.js';

interface RetrainOutcome {
  status: TriggerEvent['status'];
  pipelineRunId: string | null;
  model: string | null;
  version: number | null;
  environment: string | null;
  revisionId: number | null;
  reason: string | null;
}

function retrainOf(t: TriggerEvent | undefined): RetrainOutcome | null {
  if (!t) return null;
  return { status: t.status, pipelineRunId: t.pipelineRunId, model: t.model, version: t.version, environment: t.environment, revisionId: t.revisionId, reason: t.reason };
}

function retrainText(r: RetrainOutcome | null): string {
  if (!r) return '-';
  const version = r.model && r.version !== null ? ` ${r.model}@${r.version}` : '';
  const where = r.environment ? ` in ${r.environment}` : '';
  return `${r.status}${version}${where}${r.pipelineRunId ? c.dim(` (run ${r.pipelineRunId})`) : ''}`;
}

const stateText = (s: string) => (s === 'firing' ? c.red(s) : s === 'pending' ? c.yellow(s) : s === 'resolved' ? c.green(s) : s);
const num = (x: number | null | undefined) => (x === null || x === undefined ? '-' : fmtNum(x));

/** `sluice alerts list | check`. */
export function registerAlertsCommands(program: Command): void {
  const alerts = program.command('alerts').description('alert rules over monitor results and the pipeline: their state and the event log');
  alerts
    .command('list')
    .description('the current state of every alert rule (--events: the log of state changes and notifications)')
    .option('--events', 'also print the event log, newest first')
    .option('--limit <n>', 'how many events', positiveInt, 50)
    .option('--json', 'print as JSON')
    .action(async (opts: { events?: boolean; limit: number; json?: boolean }, cmd: Command) => {
      const { listAlertStates, listAlertEvents, conditionText } = await import('../../monitoring/alerts/index.js');
      await withProject(cmd, async (project) => {
        const states = new Map((await listAlertStates(project.store.db, project.config.project)).map((s) => [s.rule, s]));
        const rules = Object.entries(project.config.alerts).map(([rule, r]) => {
          const s = states.get(rule);
          return {
            rule, state: s?.state ?? 'inactive', since: s?.since ?? null, value: s?.value ?? null, subject: s?.subject ?? null, evaluatedAt: s?.evaluatedAt ?? null,
            condition: conditionText(r), monitor: r.monitor ?? null, pipeline: r.pipeline ?? null, for: r.for ?? null,
            severity: r.severity, channels: r.channels, actions: r.actions,
          };
        });
        const alertEvents = opts.events || opts.json ? await listAlertEvents(project.store.db, project.config.project, { limit: opts.limit }) : [];
        // What each firing led to: the retrain the scheduler started for it (pipeline run, model
        // version, deployment outcome), so the timeline reads alert → run → version → revision.
        const { listTriggerEvents } = await import('../../pipeline/triggers/events.js');
        const retrains = new Map<string, TriggerEvent>();
        if (alertEvents.length) {
          for (const t of await listTriggerEvents(project.store.db, project.config.project, { kind: 'alert', limit: 1000 })) {
            const id = t.cause.event_id;
            if (id !== undefined && id !== null && !retrains.has(String(id))) retrains.set(String(id), t);
          }
        }
        const events = alertEvents.map((e) => ({ ...e, retrain: retrainOf(retrains.get(String(e.id))) }));
        if (opts.json) return printJson({ rules, events });
        if (!rules.length) console.log('No alert rules in sluice.yaml; declare them under `alerts:` (see docs/monitoring.md).');
        else {
          console.log(table([
            ['RULE', 'STATE', 'SINCE', 'VALUE', 'CONDITION', 'SEVERITY', 'CHANNELS', 'ACTIONS'],
            ...rules.map((r) => [r.rule, stateText(r.state), formatTime(r.since), num(r.value), `${r.monitor ? `${r.monitor}: ` : ''}${r.condition}`, r.severity, r.channels.join(',') || '-', r.actions.join(',') || '-']),
          ]));
        }
        if (opts.events) {
          if (!events.length) return console.log('\nNo alert events yet.');
          console.log(`\n${c.bold('events')}`);
          console.log(table([
            ['WHEN', 'RULE', 'CHANGE', 'VALUE', 'NOTIFIED', 'RETRAIN', 'MESSAGE'],
            ...events.map((e) => [formatTime(e.at), e.rule, `${e.from} → ${e.to}`, num(e.value), e.notifications.map((n) => `${n.channel}:${n.ok ? 'ok' : c.red(n.error ?? 'failed')}`).join(' ') || '-', retrainText(e.retrain), e.message]),
          ]));
        }
      });
    });
  alerts
    .command('check')
    .description('evaluate every alert rule now: record state changes and send notifications (`sluice server` does this after each monitor run)')
    .option('--now <time>', 'evaluate at this time instead of now (ISO 8601 or epoch ms)')
    .option('--json', 'print the state changes as JSON')
    .action(async (opts: { now?: string; json?: boolean }, cmd: Command) => {
      const { evaluateAlerts } = await import('../../monitoring/alerts/index.js');
      const now = parseNow(opts.now);
      await withProject(cmd, async (project) => {
        const transitions = await evaluateAlerts(project, { now });
        if (opts.json) return printJson(transitions);
        if (!transitions.length) return console.log('No alert changed state.');
        for (const t of transitions) {
          const sent = t.notifications.map((n) => `${n.channel} ${n.ok ? 'ok' : c.red(`failed: ${n.error}`)}`).join(', ');
          console.log(`${t.rule}: ${t.from} → ${stateText(t.to)}  ${t.message}${sent ? c.dim(`  (notified: ${sent})`) : ''}`);
        }
      });
    });
}
