/**
 * `evaluateAlerts`: every alert rule judged at `now`. A rule whose condition holds goes
 * pending, then firing once it has held for its `for:` (a duration, or consecutive results);
 * a firing rule stays firing, without a second notification, while the condition holds, and
 * resolves when it no longer does. Each change is recorded, notified through the rule's
 * channels (firing and resolved only), and returned, so the scheduler can act on `retrain`.
 * State is changed with a conditional write, so two servers evaluating at once record a
 * change once.
 */
import type { AlertRuleConfig, ProjectConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { conditionText, observe, type Observation } from './conditions.js';
import { notify, type AlertPayload, type NotificationResult } from './notify.js';
import type { AlertEvent } from './records.js';

export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** A state change just recorded: its event (as listAlertEvents returns it) with the monitor judged. */
export interface AlertTransition extends Omit<AlertEvent, 'id'> {
  eventId: number;
  monitor: string | null;
}

export interface AlertsProject {
  config: ProjectConfig;
  store: Store;
  dir?: string;
  workspace?: string;
}

export interface EvaluateAlertsOptions {
  now?: number;
  /** Only these rules (default: all). */
  rules?: readonly string[];
}



function forMet(rule: AlertRuleConfig, o: Observation, now: number): boolean {
  if (!rule.for) return true;
  const { evaluations, ms } = rule.for as { evaluations?: number; ms?: number };
  if (evaluations !== undefined) return o.streak >= evaluations;
  return o.streakStart !== null && now - o.streakStart >= (ms ?? 0);
}

/** The next state, or undefined for no change. */
function next(current: AlertState, rule: AlertRuleConfig, o: Observation, now: number): AlertState | undefined {
  if (o.holds === null) return undefined;
  if (o.holds) {
    if (current === 'firing') return undefined;
    if (forMet(rule, o, now)) return 'firing';
    return current === 'pending' ? undefined : 'pending';
  }
  if (current === 'firing') return 'resolved';
  if (current === 'pending') return 'inactive';
  return undefined;
}

export async function evaluateAlerts(project: AlertsProject, options: EvaluateAlertsOptions = {}): Promise<AlertTransition[]> {
  const now = options.now ?? Date.now();
  const { config, store } = project;
  const name = config.project;
  const transitions: AlertTransition[] = [];
  for (const [ruleName, rule] of Object.entries(config.alerts)) {
    if (options.rules && !options.rules.includes(ruleName)) continue;
    const o = await observe(store.db, name, rule);
    const row = await store.db.selectFrom('alert_states').selectAll().where('project', '=', name).where('rule', '=', ruleName).executeTakeFirst();
    const current = (row?.state ?? 'inactive') as AlertState;
    const to = next(current, rule, o, now);
    if (to === undefined) {
      if (row && o.holds !== null) {
        await store.db.updateTable('alert_states').set({ value: o.value, subject: o.subject, evaluated_at: now }).where('project', '=', name).where('rule', '=', ruleName).where('state', '=', current).execute();
      }
      continue;
    }
    const since = to === 'pending' ? (o.streakStart ?? now) : now;
    const message = o.message;
    const eventId = await store.transaction(async (trx) => {
      if (row) {
        const r = await trx.updateTable('alert_states').set({ state: to, since, value: o.value, subject: o.subject, evaluated_at: now })
          .where('project', '=', name).where('rule', '=', ruleName).where('state', '=', current).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return undefined;
      } else {
        const r = await trx.insertInto('alert_states').values({ project: name, rule: ruleName, state: to, since, value: o.value, subject: o.subject, evaluated_at: now })
          .onConflict((oc) => oc.columns(['project', 'rule']).doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
      }
      const event = await trx.insertInto('alert_events').values({
        project: name, rule: ruleName, from_state: current, to_state: to, at: now, value: o.value, severity: rule.severity,
        message, subject: o.subject, actions: JSON.stringify(rule.actions), notifications: '[]',
      }).returning('id').executeTakeFirstOrThrow();
      return Number(event.id);
    });
    if (eventId === undefined) continue; // another evaluator recorded this change first
    let notifications: NotificationResult[] = [];
    if ((to === 'firing' || (to === 'resolved' && current === 'firing')) && rule.channels.length) {
      notifications = await notify(config.channels, rule.channels, payload(name, ruleName, rule, current, to, o, now), project);
      await store.db.updateTable('alert_events').set({ notifications: JSON.stringify(notifications) }).where('id', '=', eventId).execute();
    }
    transitions.push({
      eventId, rule: ruleName, from: current, to, at: now, value: o.value, severity: rule.severity, message,
      monitor: rule.monitor ?? null, subject: o.subject, actions: [...rule.actions], notifications,
    });
  }
  return transitions;
}

function payload(project: string, ruleName: string, rule: AlertRuleConfig, from: AlertState, to: AlertState, o: Observation, now: number): AlertPayload {
  return {
    version: 1, project, rule: ruleName, state: to, previous: from, severity: rule.severity, at: new Date(now).toISOString(),
    condition: conditionText(rule), value: o.value, monitor: rule.monitor ?? null, metric: rule.metric ?? null, pipeline: rule.pipeline ?? null,
    subject: o.subject, message: to === 'resolved' ? `resolved: ${o.message}` : o.message, actions: to === 'firing' ? [...rule.actions] : [], description: rule.description ?? null,
  };
}


