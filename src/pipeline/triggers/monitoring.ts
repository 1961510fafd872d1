/**
 * What the scheduler needs from monitoring (src/monitoring): run one monitor over its window,
 * then judge the alert rules and learn which changed state. An interface, so the scheduler can
 * be tested and run without monitors, and the monitoring part keeps its own shape.
 */
import type { Project } from '../../project.js';

/** One change of an alert rule's state, as the alert evaluation recorded it. */
export interface AlertTransition {
  rule: string;
  /** The recorded alert event's id. */
  eventId: string | number;
  from: string;
  to: string;
  message?: string;
  monitor?: string;
}

export interface MonitoringHooks {
  runMonitor(project: Project, name: string, options: { now: number }): Promise<unknown>;
  evaluateAlerts(project: Project, options: { now: number }): Promise<AlertTransition[]>;
}

/** The monitoring part's functions, when the project declares monitors or alert rules. */
export async function monitoringHooks(project: Project): Promise<MonitoringHooks | null> {
  const { monitors, alerts } = project.config;
  if (Object.keys(monitors).length === 0 && Object.keys(alerts).length === 0) return null;
  const [{ runMonitor }, { evaluateAlerts }] = await Promise.all([import('../../monitoring/monitors/index.js'), import('../../monitoring/alerts/index.js')]);
  return {
    runMonitor: (p, name, options) => runMonitor(p, name, options),
    evaluateAlerts: async (p, options) =>
      (await evaluateAlerts(p, options)).map((t) => ({ rule: t.rule, eventId: t.eventId, from: t.from, to: t.to, message: t.message, monitor: t.monitor ?? undefined })),
  };
}
