/**
 * Monitoring in Sluice's API: monitors with their latest run, the runs of a monitor, a metric
 * over time (per column) for charts, one run with its figures and its report, the alert rules
 * with their state, and the alert event log. Read-only: runs are made by the scheduler or
 * `sluice monitor run`.
 */
import { z } from 'zod';
import type { ProjectConfig } from '../../config/index.js';
import { conditionText, listAlertEvents, listAlertStates } from '../../monitoring/alerts/index.js';
import { getMonitorRun, listMonitorRuns, listRunMetrics, metricSeries } from '../../monitoring/monitors/index.js';
import { monitorSchedule } from '../../config/index.js';
import { SluiceError } from '../../errors.js';
import { int64, required, text } from '../mlflow/fields.js';
import type { ServerContext } from '../context.js';
import { route, type Route } from '../route.js';

const json = z.unknown().describe('JSON value');
const limit = (max: number) => int64.pipe(z.int().min(1).max(max)).optional();

const MonitorRun = z.object({
  id: z.number(),
  project: z.string(),
  monitor: z.string(),
  model: z.string(),
  version: z.number(),
  windowStart: z.number().describe('Epoch ms; the window is [windowStart, windowEnd).'),
  windowEnd: z.number(),
  rows: z.number(),
  labeledRows: z.number().describe('Predictions of the window with a feedback label.'),
  referenceDataset: z.string().nullable(),
  status: z.enum(['ok', 'drift', 'insufficient_data']),
  driftShare: z.number().nullable(),
  accuracy: z.number().nullable(),
  reportDigest: z.string().nullable(),
  htmlDigest: z.string().nullable(),
  summary: z.object({
    driftedColumns: z.array(z.string()),
    datasetDrift: z.boolean().nullable(),
    predictionDrift: z.boolean().nullable(),
    qualityFailures: z.array(z.string()),
    metrics: z.record(z.string(), z.number().nullable()),
    note: z.string().optional(),
  }),
  createdAt: z.number(),
});

const MetricPoint = z.object({
  runId: z.number(),
  at: z.number().describe("The run's window end (epoch ms)."),
  metric: z.string(),
  column: z.string().nullable().describe('The column, or null for a figure of the whole window.'),
  value: z.number().nullable().describe('null when not a finite number.'),
  threshold: z.number().nullable(),
  verdict: z.string().nullable().describe("'drift', 'ok', 'fail', 'insufficient_data' or null (no verdict)."),
  detail: z.string().nullable().describe('The test (ks, psi, …) or a note.'),
});

const Monitor = z.object({
  name: z.string(),
  model: z.string().nullable(),
  window: json.nullable().describe("{kind: 'time', ms} or {kind: 'rows', rows}; null when the server has no sluice.yaml."),
  schedule: json.nullable().describe('{every: ms} or {cron}.'),
  reference: z.string().nullable().describe('The named reference, or null for the training data of the model version.'),
  latest_run: MonitorRun.nullable(),
});

const AlertRule = z.object({
  rule: z.string(),
  state: z.enum(['inactive', 'pending', 'firing', 'resolved']),
  since: z.number().nullable(),
  value: z.number().nullable(),
  subject: z.string().nullable().describe("What was judged last: 'monitor-run:<id>' or 'pipeline-run:<id>'."),
  evaluated_at: z.number().nullable(),
  condition: z.string(),
  monitor: z.string().nullable(),
  pipeline: z.string().nullable(),
  severity: z.string(),
  channels: z.array(z.string()),
  actions: z.array(z.string()),
});

const Notification = z.object({ channel: z.string(), kind: z.string(), ok: z.boolean(), status: z.number().optional(), error: z.string().optional(), ms: z.number() });
const AlertEvent = z.object({
  id: z.number(),
  rule: z.string(),
  from: z.string(),
  to: z.string(),
  at: z.number(),
  value: z.number().nullable(),
  severity: z.string(),
  message: z.string(),
  subject: z.string().nullable(),
  actions: z.array(z.string()),
  notifications: z.array(Notification),
});

const config = (ctx: ServerContext): ProjectConfig | undefined => ctx.local?.config;

async function monitorNames(ctx: ServerContext): Promise<string[]> {
  const c = config(ctx);
  if (c) return Object.keys(c.monitors);
  const rows = await ctx.store.db.selectFrom('monitor_runs').select('monitor').distinct().where('project', '=', ctx.project).orderBy('monitor').execute();
  return rows.map((r) => r.monitor);
}

async function runId(ref: string): Promise<number> {
  if (!/^\d{1,15}$/.test(ref)) throw new SluiceError('USAGE', `Monitor run '${ref.slice(0, 40)}' is not a run number`);
  return Number(ref);
}

export const monitoringRoutes: Route[] = [
  route({
    method: 'GET',
    path: 'monitors',
    tag: 'Monitoring',
    summary: 'The monitors of sluice.yaml with their latest run.',
    input: z.object({}),
    output: z.object({ monitors: z.array(Monitor) }),
    handler: async (_i, ctx) => {
      const c = config(ctx);
      const names = await monitorNames(ctx);
      const monitors = [];
      for (const name of names) {
        const m = c?.monitors[name];
        const [latest] = await listMonitorRuns(ctx.store.db, ctx.project, { monitor: name, limit: 1 });
        monitors.push({ name, model: m?.model ?? latest?.model ?? null, window: m?.window ?? null, schedule: m ? monitorSchedule(m) : null, reference: m?.reference ?? null, latest_run: latest ?? null });
      }
      return { monitors };
    },
  }),
  route({
    method: 'GET',
    path: 'monitors/:name/runs',
    tag: 'Monitoring',
    summary: "A monitor's runs, newest first: window, rows, drift share, accuracy, status.",
    input: z.object({ name: required(256), limit: limit(10_000), since: int64.optional() }),
    output: z.object({ runs: z.array(MonitorRun) }),
    handler: async (i, ctx) => ({ runs: await listMonitorRuns(ctx.store.db, ctx.project, { monitor: i.name, limit: i.limit ?? 100, since: i.since }) }),
  }),
  route({
    method: 'GET',
    path: 'monitors/:name/series',
    tag: 'Monitoring',
    summary: "A metric over time, oldest first, for charts: drift_score, p_value, drift_share, null_share, accuracy, roc_auc, … (per column unless `column` narrows it; column null = the whole window).",
    input: z.object({ name: required(256), metric: required(256), column: text(1000).optional(), since: int64.optional(), limit: limit(100_000) }),
    output: z.object({ metric: z.string(), points: z.array(MetricPoint) }),
    handler: async (i, ctx) => ({ metric: i.metric, points: await metricSeries(ctx.store.db, ctx.project, { monitor: i.name, metric: i.metric, column: i.column, since: i.since, limit: i.limit }) }),
  }),
  route({
    method: 'GET',
    path: 'monitor-runs/:ref',
    tag: 'Monitoring',
    summary: 'A monitor run with every figure it recorded (per column and for the whole window).',
    input: z.object({ ref: required(40) }),
    output: z.object({ run: MonitorRun, metrics: z.array(MetricPoint) }),
    handler: async (i, ctx) => {
      const run = await getMonitorRun(ctx.store.db, ctx.project, await runId(i.ref));
      return { run, metrics: await listRunMetrics(ctx.store.db, run.id) };
    },
  }),
  route({
    method: 'GET',
    path: 'monitor-runs/:ref/report',
    tag: 'Monitoring',
    summary: "A monitor run's full report: drift per column (test, score, threshold, verdict), reference-vs-current distributions, quality, accuracy, fairness.",
    input: z.object({ ref: required(40) }),
    output: z.object({ report: json.nullable().describe('null for a window with insufficient data.'), html_digest: z.string().nullable() }),
    handler: async (i, ctx) => {
      const run = await getMonitorRun(ctx.store.db, ctx.project, await runId(i.ref));
      const report = run.reportDigest ? (JSON.parse((await ctx.artifacts.readBytes(run.reportDigest)).toString('utf8')) as unknown) : null;
      return { report, html_digest: run.htmlDigest };
    },
  }),
  route({
    method: 'GET',
    path: 'alerts',
    tag: 'Monitoring',
    summary: 'Alert rules with their current state (inactive, pending, firing, resolved).',
    input: z.object({}),
    output: z.object({ rules: z.array(AlertRule) }),
    handler: async (_i, ctx) => {
      const states = await listAlertStates(ctx.store.db, ctx.project);
      const byRule = new Map(states.map((s) => [s.rule, s]));
      const c = config(ctx);
      const names = c ? Object.keys(c.alerts) : states.map((s) => s.rule);
      return {
        rules: names.map((rule) => {
          const s = byRule.get(rule);
          const r = c?.alerts[rule];
          return {
            rule, state: s?.state ?? 'inactive', since: s?.since ?? null, value: s?.value ?? null, subject: s?.subject ?? null, evaluated_at: s?.evaluatedAt ?? null,
            condition: r ? conditionText(r) : '', monitor: r?.monitor ?? null, pipeline: r?.pipeline ?? null,
            severity: r?.severity ?? 'warning', channels: r?.channels ?? [], actions: r?.actions ?? [],
          };
        }),
      };
    },
  }),
  route({
    method: 'GET',
    path: 'alerts/events',
    tag: 'Monitoring',
    summary: 'Alert state changes, newest first, with the notifications sent.',
    input: z.object({ rule: text(256).optional(), since: int64.optional(), limit: limit(10_000) }),
    output: z.object({ events: z.array(AlertEvent) }),
    handler: async (i, ctx) => ({ events: await listAlertEvents(ctx.store.db, ctx.project, { rule: i.rule, since: i.since, limit: i.limit ?? 100 }) }),
  }),
];
