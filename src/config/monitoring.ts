/**
 * The `monitors:`, `alerts:` and `channels:` sections of sluice.yaml: which window of live
 * traffic is compared with which reference and how (monitors), the rules over monitor results
 * and over the pipeline itself that fire and resolve (alerts), and where notifications go
 * (channels). src/monitoring/monitors and src/monitoring/alerts read these.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { DURATION_PATTERN, _toMilliseconds } from './units.js';

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const name = (what: string) => z.string().regex(NAME, { error: (iss) => `${what} name '${iss.input}' must start with a letter and contain only letters, digits, '_' and '-'` });
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const duration = z
  .union([z.number().positive(), z.string().regex(new RegExp(DURATION_PATTERN), {
    error: (iss) => `expected a duration such as '30s', '10m', '1h' or '1d', got '${iss.input}'`,
  })])
  .transform((v, ctx) => _toMilliseconds(v) ?? (ctx.issues.push({ code: 'custom', input: v, message: `expected a duration greater than 0, got '${v}'` }), z.NEVER));

const window = z
  .union([duration, z.strictObject({ rows: z.int().min(1).describe('The newest this many predictions.') })])
  .transform((w) => (typeof w === 'number' ? { kind: 'time' as const, ms: w } : { kind: 'rows' as const, rows: w.rows }))
  .describe("The window of traffic compared: a duration ('1h': the predictions of the last hour) or {rows: 5000} (the newest 5000).");

/** An interval ('15m') or a cron expression ('0 * * * *'), for the scheduler of `sluice server`. */
const schedule = z
  .union([z.number().positive(), z.string().min(1)])
  .transform((v, ctx): { every: number } | { cron: string } => {
    const ms = _toMilliseconds(v);
    if (ms !== undefined) return { every: ms };
    try {
      new Cron(String(v), { paused: true });
      return { cron: String(v) };
    } catch (e) {
      ctx.issues.push({ code: 'custom', input: v, message: `expected an interval such as '15m' or a cron expression such as '0 * * * *', got '${v}' (${(e as Error).message})` });
      return z.NEVER;
    }
  });

const DRIFT_TESTS = ['ks', 'wasserstein', 'psi', 'jensenshannon', 'kl_div', 'chisquare', 'z', 'linf'] as const;
const KINDS = ['numerical', 'categorical'] as const;
const probability = z.number().min(0).max(1);

const driftSchema = z.strictObject({
  mode: z.enum(['evidently', 'tfdv', 'nannyml']).default('evidently').describe('Where Evidently, TFDV and NannyML disagree (log base, binning, empty bins, chi-square variant), whose choices to follow.'),
  tests: z.partialRecord(z.enum(KINDS), z.enum(DRIFT_TESTS)).optional().describe('Test per column kind, instead of the mode\'s default selection.'),
  thresholds: z.partialRecord(z.enum(DRIFT_TESTS), z.number().nonnegative()).optional().describe('Threshold per test, instead of the mode\'s.'),
  columns: z
    .record(z.string(), z.strictObject({ kind: z.enum(KINDS).optional(), test: z.enum(DRIFT_TESTS).optional(), threshold: z.number().nonnegative().optional() }))
    .optional()
    .describe('Per column: its kind, test and threshold.'),
  correction: z.enum(['none', 'bonferroni', 'bh']).default('none').describe("Correction of p-values across columns: 'bonferroni' or 'bh' (Benjamini–Hochberg)."),
  share: probability.default(0.5).describe('The dataset drifts when at least this share of the columns drift.'),
  min_rows: z.int().min(1).default(30).describe('Fewer non-missing rows than this in a column: its score is reported without a verdict.'),
});

const qualitySchema = z.strictObject({
  null_share_increase: probability.default(0.05).describe("Largest rise of a column's share of missing values over the reference's (absolute)."),
  out_of_range_share: probability.default(0.01).describe("Largest share of numbers outside the reference's [min, max]."),
  unseen_share: probability.default(0.01).describe('Largest share of categories the reference never had.'),
  invalid_share: probability.default(0).describe('Largest share of values of the wrong type (text in a numeric input).'),
});

const performanceSchema = z.strictObject({
  positive: text.optional().describe("Binary models: the label that counts as positive (default: the model's positive class)."),
  threshold: probability.default(0.5).describe('A prediction is positive when its probability is at least this.'),
  sensitive: z.array(z.string()).default([]).describe('Inputs whose groups get fairness metrics once labels arrive.'),
  privileged: z.record(z.string(), text).optional().describe('The privileged group per sensitive input (default: the highest selection rate).'),
  min_labels: z.int().min(1).default(30).describe('Fewer labelled predictions than this: no accuracy is computed.'),
});

export const monitorSchema = z.strictObject({
  model: z.string().regex(/^[A-Za-z0-9][\w.-]*(@[\w-]+)?$/, { error: (iss) => `expected a model such as 'income' or 'income@production', got '${iss.input}'` }).describe("The model watched: 'name' or 'name@alias' (resolved on every run)."),
  window: window.prefault('1h'),
  schedule: schedule.optional().describe("How often `sluice server` runs it: an interval ('15m') or a cron expression; default the window's length (1h for a window of rows)."),
  reference: z.string().min(1).optional().describe("The reference dataset version (id or dataset name); default the training dataset of the model version."),
  columns: z.array(z.string()).min(1).optional().describe('Inputs compared (default: every model input the reference has).'),
  exclude: z.array(z.string()).default([]),
  drift: driftSchema.prefault({}),
  prediction_drift: z.boolean().default(true).describe("Compare the model's scores on the window with its scores on the reference."),
  quality: z.union([z.literal(false), qualitySchema]).prefault({}).describe('Missing values, numbers out of the reference range, unseen categories (false: off).'),
  performance: performanceSchema.prefault({}).describe('Accuracy and fairness from feedback labels.'),
  min_rows: z.int().min(1).default(100).describe('A window with fewer predictions is recorded as insufficient data, not judged.'),
  max_rows: z.int().min(1).default(200_000).describe('A time window holding more predictions keeps the newest this many.'),
  description: z.string().optional(),
});

export const ALERT_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export const PIPELINE_CONDITIONS = ['run_failed', 'gate_blocked', 'step_timeout'] as const;
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const ALERT_ACTIONS = ['retrain'] as const;

const forSchema = z
  .union([duration, z.strictObject({ evaluations: z.int().min(1).describe('Consecutive results (monitor runs or pipeline runs) that meet the condition.') })])
  .transform((f) => (typeof f === 'number' ? { ms: f } : { evaluations: f.evaluations }));

export const alertRuleSchema = z
  .strictObject({
    monitor: name('monitor').optional().describe('The monitor whose results are judged.'),
    metric: z.string().regex(/^(column:[^:]+:[a-z_]+|fairness:[^:]+:[a-z_]+|[a-z_]+)$/, {
      error: (iss) => `expected a metric such as 'drift_share', 'accuracy', 'roc_auc', 'null_share', 'column:<name>:drift_score' or 'fairness:<attribute>:<metric>', got '${iss.input}'`,
    }).optional(),
    op: z.enum(ALERT_OPS).optional(),
    threshold: z.number().optional(),
    pipeline: z.enum(PIPELINE_CONDITIONS).optional().describe('A rule over the pipeline itself: its latest run failed, a gate blocked it, or a step ran over its time limit.'),
    for: forSchema.optional().describe("How long ('30m') or for how many consecutive results ({evaluations: 3}) the condition must hold before the alert fires."),
    severity: z.enum(SEVERITIES).default('warning'),
    channels: z.array(z.string()).default([]).describe('Channels notified when the alert fires and when it resolves.'),
    actions: z.array(z.enum(ALERT_ACTIONS)).default([]).describe("'retrain': the scheduler of `sluice server` starts a pipeline run when the alert fires."),
    description: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.monitor === undefined) === (r.pipeline === undefined)) {
      ctx.addIssue({ code: 'custom', message: "expected one of 'monitor' (a rule over monitor results) or 'pipeline' (run_failed, gate_blocked or step_timeout)" });
      return;
    }
    if (r.monitor !== undefined) {
      for (const key of ['metric', 'op', 'threshold'] as const) {
        if (r[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a monitor rule needs '${key}'` });
      }
    } else {
      for (const key of ['metric', 'op', 'threshold'] as const) {
        if (r[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `'${key}' only applies to a monitor rule; a pipeline rule holds when its condition is met` });
      }
    }
  });

const timeout = duration.prefault('5s').describe('How long a notification may take before it counts as failed.');

export const channelSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra request headers, e.g. an Authorization token.'),
    timeout,
  }).describe('A JSON POST of the alert (see docs/monitoring.md for the payload).'),
  z.strictObject({
    kind: z.literal('slack'),
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).describe('A Slack incoming webhook URL (or any service that takes its payload).'),
    timeout,
  }).describe('A Slack-compatible incoming-webhook payload: `text` and `blocks`.'),
  z.strictObject({
    kind: z.literal('log'),
    path: z.string().min(1).optional().describe('A file the alerts are appended to as JSON lines (default <workspace>/alerts.log); relative to the project.'),
  }).describe('One JSON line per alert change, and a line on standard error.'),
]);

export const monitorsSchema = z.record(name('monitor'), monitorSchema).default({}).describe('Scheduled comparisons of live traffic with a reference: drift, data quality, accuracy and fairness once labels arrive.');
export const alertsSchema = z.record(name('alert'), alertRuleSchema).default({}).describe('Rules over monitor results and over the pipeline that fire, notify, resolve, and may ask for a retrain.');
export const channelsSchema = z.record(name('channel'), channelSchema).default({}).describe('Where alert notifications go: webhook (JSON), slack, log.');

export type MonitorConfig = z.output<typeof monitorSchema>;
export type MonitorWindow = MonitorConfig['window'];
export type AlertRuleConfig = z.output<typeof alertRuleSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type AlertOp = (typeof ALERT_OPS)[number];
export type PipelineCondition = (typeof PIPELINE_CONDITIONS)[number];

type Problem = { path: (string | number)[]; message: string; at: 'key' | 'value' };

/** Names in `alerts:` that must exist elsewhere in the file: monitors and channels. */
export function monitoringReferenceProblems(config: {
  monitors: Record<string, MonitorConfig>;
  alerts: Record<string, AlertRuleConfig>;
  channels: Record<string, ChannelConfig>;
}): Problem[] {
  const problems: Problem[] = [];
  const list = (names: string[]) => (names.length ? names.join(', ') : 'none declared');
  for (const [rule, r] of Object.entries(config.alerts)) {
    if (r.monitor !== undefined && !Object.hasOwn(config.monitors, r.monitor)) {
      problems.push({ path: ['alerts', rule, 'monitor'], at: 'value', message: `unknown monitor '${r.monitor}' (monitors: ${list(Object.keys(config.monitors))})` });
    }
    r.channels.forEach((c, i) => {
      if (!Object.hasOwn(config.channels, c)) problems.push({ path: ['alerts', rule, 'channels', i], at: 'value', message: `unknown channel '${c}' (channels: ${list(Object.keys(config.channels))})` });
    });
  }
  return problems;
}

/** The schedule a monitor runs on: its own, else its window's length, else hourly. */
export function monitorSchedule(monitor: MonitorConfig): { every: number } | { cron: string } {
  return monitor.schedule ?? { every: monitor.window.kind === 'time' ? monitor.window.ms : 3_600_000 };
}
