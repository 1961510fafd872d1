/** Alert state and the event log, read back for `sluice alerts list` and the API. */
import type { Db } from '../../store/index.js';
import type { AlertState } from './evaluate.js';
import type { NotificationResult } from './notify.js';

export interface AlertStateRecord {
  rule: string;
  state: AlertState;
  since: number;
  value: number | null;
  subject: string | null;
  evaluatedAt: number;
}

export interface AlertEvent {
  id: number;
  rule: string;
  from: AlertState;
  to: AlertState;
  at: number;
  value: number | null;
  severity: string;
  message: string;
  subject: string | null;
  /** The rule's actions: `retrain` asks the scheduler for a pipeline run (when `to` is firing). */
  actions: string[];
  notifications: NotificationResult[];
}

export async function listAlertStates(db: Db, project: string): Promise<AlertStateRecord[]> {
  const rows = await db.selectFrom('alert_states').selectAll().where('project', '=', project).orderBy('rule').execute();
  return rows.map((r) => ({ rule: r.rule, state: r.state as AlertState, since: r.since, value: r.value, subject: r.subject, evaluatedAt: r.evaluated_at }));
}

/** Events newest first. */
export async function listAlertEvents(db: Db, project: string, options: { rule?: string; limit?: number; since?: number } = {}): Promise<AlertEvent[]> {
  let q = db.selectFrom('alert_events').selectAll().where('project', '=', project);
  if (options.rule !== undefined) q = q.where('rule', '=', options.rule);
  if (options.since !== undefined) q = q.where('at', '>=', options.since);
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100).execute();
  return rows.map((r) => ({
    id: Number(r.id), rule: r.rule, from: r.from_state as AlertState, to: r.to_state as AlertState, at: r.at, value: r.value,
    severity: r.severity, message: r.message, subject: r.subject,
    actions: JSON.parse(r.actions) as string[], notifications: JSON.parse(r.notifications) as NotificationResult[],
  }));
}
