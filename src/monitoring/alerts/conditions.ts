/**
 * What an alert rule sees when it is evaluated: whether its condition holds on the newest
 * result, the value, and how many consecutive results (and since when) it has held. Monitor
 * rules read the metric's time series; pipeline rules read the project's finished runs.
 */
import type { AlertOp, AlertRuleConfig, PipelineCondition } from '../../config/index.js';
import type { Db } from '../../store/index.js';

export interface Observation {
  /** null: nothing to judge yet (no run, or the metric was not computed). */
  holds: boolean | null;
  value: number | null;
  /** What was judged: `monitor-run:<id>` or `pipeline-run:<id>`. */
  subject: string | null;
  /** Consecutive newest results that meet the condition, and when the first of them ended. */
  streak: number;
  streakStart: number | null;
  message: string;
}

const HISTORY = 200;

/** A value for a message: 4 significant digits (the exact value is in the event's `value`). */
const shown = (v: number | null) => (v === null ? 'n/a' : String(Number(v.toPrecision(4))));

export function compare(value: number, op: AlertOp, threshold: number): boolean {
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return value === threshold;
    case '!=': return value !== threshold;
  }
}

/** `column:age:drift_score` → metric drift_score of column age; `fairness:sex:x` keeps its name, column sex. */
export function parseMetric(metric: string): { metric: string; column: string | null } {
  const column = /^column:(.+):([a-z_]+)$/.exec(metric);
  if (column) return { metric: column[2], column: column[1] };
  const fairness = /^fairness:(.+):[a-z_]+$/.exec(metric);
  if (fairness) return { metric, column: fairness[1] };
  return { metric, column: null };
}

export function conditionText(rule: AlertRuleConfig): string {
  if (rule.pipeline) return { run_failed: 'the latest pipeline run failed', gate_blocked: 'a gate blocked the latest pipeline run', step_timeout: 'a step of the latest pipeline run ran over its time limit' }[rule.pipeline];
  return `${rule.metric} ${rule.op} ${rule.threshold}`;
}

export async function observe(db: Db, project: string, rule: AlertRuleConfig): Promise<Observation> {
  return rule.pipeline ? observePipeline(db, project, rule.pipeline) : observeMonitor(db, project, rule);
}

async function observeMonitor(db: Db, project: string, rule: AlertRuleConfig): Promise<Observation> {
  const { metric, column } = parseMetric(rule.metric!);
  let q = db
    .selectFrom('monitor_metrics')
    .select(['run_id', 'at', 'value'])
    .where('project', '=', project)
    .where('monitor', '=', rule.monitor!)
    .where('metric', '=', metric)
    .where('value', 'is not', null);
  q = column === null ? q.where('column_name', 'is', null) : q.where('column_name', '=', column);
  const points = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(HISTORY).execute();
  if (points.length === 0) return { holds: null, value: null, subject: null, streak: 0, streakStart: null, message: `no value of ${rule.metric} from monitor '${rule.monitor}' yet` };
  const holds = (v: number | null) => v !== null && compare(v, rule.op!, rule.threshold!);
  let streak = 0;
  while (streak < points.length && holds(points[streak].value)) streak++;
  const newest = points[0];
  const value = newest.value;
  return {
    holds: holds(value),
    value,
    subject: `monitor-run:${newest.run_id}`,
    streak,
    streakStart: streak ? points[streak - 1].at : null,
    message: `${rule.metric} of monitor '${rule.monitor}' is ${shown(value)} (${holds(value) ? '' : 'not '}${rule.op} ${rule.threshold}; monitor run ${newest.run_id})`,
  };
}

async function observePipeline(db: Db, project: string, condition: PipelineCondition): Promise<Observation> {
  const runs = await db
    .selectFrom('pipeline_runs')
    .select(['id', 'status', 'started_at', 'ended_at', 'error'])
    .where('project', '=', project)
    .where('status', '!=', 'running')
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(HISTORY)
    .execute();
  if (runs.length === 0) return { holds: null, value: null, subject: null, streak: 0, streakStart: null, message: 'no finished pipeline run yet' };
  const ids = runs.map((r) => r.id);
  const flagged = new Set<string>();
  if (condition === 'step_timeout') {
    const rows = await db.selectFrom('step_runs').select(['pipeline_run_id', 'name']).where('pipeline_run_id', 'in', ids).where('failure', '=', 'timeout').execute();
    for (const r of rows) flagged.add(r.pipeline_run_id);
  } else if (condition === 'gate_blocked') {
    const rows = await db.selectFrom('gate_results').select(['pipeline_run_id']).where('pipeline_run_id', 'in', ids).where('status', '=', 'fail').execute();
    for (const r of rows) flagged.add(r.pipeline_run_id);
    for (const r of runs) if (r.status === 'blocked') flagged.add(r.id);
  } else {
    for (const r of runs) if (r.status === 'failed') flagged.add(r.id);
  }
  let streak = 0;
  while (streak < runs.length && flagged.has(runs[streak].id)) streak++;
  const newest = runs[0];
  const holds = flagged.has(newest.id);
  const error = newest.error ? (JSON.parse(newest.error) as { message?: string; step?: string }) : null;
  const what = { run_failed: 'failed', gate_blocked: 'was blocked by a gate', step_timeout: 'had a step over its time limit' }[condition];
  const detail = error?.message ? `: ${error.step ? `${error.step}: ` : ''}${error.message}` : '';
  return {
    holds,
    value: holds ? 1 : 0,
    subject: `pipeline-run:${newest.id}`,
    streak,
    streakStart: streak ? (runs[streak - 1].ended_at ?? runs[streak - 1].started_at) : null,
    message: holds ? `pipeline run ${newest.id} ${what}${detail}` : `the latest pipeline run ${newest.id} ended ${newest.status}`,
  };
}
