/**
 * The `triggers:` section of sluice.yaml: what starts a pipeline run without a person — cron
 * schedules, a change in a source's content, monitors on their schedules (whose alerts may ask
 * for a retrain) — and the retrain policy: how often at most, and where the new model goes.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { DURATION_PATTERN, _toMilliseconds } from './units.js';

const duration = z
  .union([z.number().positive(), z.string().regex(new RegExp(DURATION_PATTERN), {
    error: (iss) => `expected a duration such as '30s', '10m', '6h' or '1d', got '${iss.input}'`,
  })])
  .transform((v, ctx) => _toMilliseconds(v) ?? (ctx.issues.push({ code: 'custom', input: v, message: `expected a duration greater than 0, got '${v}'` }), z.NEVER));

/** A cron expression croner accepts (5 fields, or 6 with seconds first), checked when the file loads. */
export const cronExpression = z.string().superRefine((expr, ctx) => {
  try {
    new Cron(expr, { paused: true });
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid cron expression '${expr}': ${(e as Error).message} (expected 5 fields 'minute hour day month weekday', e.g. '0 3 * * *', or 6 with seconds first)` });
  }
});

const scheduleSchema = z.strictObject({
  cron: cronExpression.describe("When to run the pipeline: a cron expression such as '0 3 * * *' (every day at 03:00)."),
  timezone: z.string().optional().describe("IANA time zone of the expression, e.g. 'Europe/Paris' (default UTC)."),
  force: z.boolean().default(false).describe('Rerun every step, ignoring the cache (default: unchanged steps are reused).'),
});

const sourceChangeSchema = z.strictObject({
  sources: z.array(z.string()).optional().describe('Sources to watch (default: every file and URL source).'),
  poll: duration.prefault('1m').describe('How often to look: a file is hashed, a URL asked with If-None-Match / If-Modified-Since.'),
});

export const RETRAIN_STRATEGIES = ['canary', 'bluegreen', 'direct'] as const;

const retrainSchema = z.strictObject({
  min_interval: duration.prefault('6h').describe('At most one retrain started per this interval; an alert in between is recorded as rate-limited.'),
  environment: z.string().optional().describe('Where a model version registered by the retrain is deployed; left out, it is only registered.'),
  strategy: z.enum(RETRAIN_STRATEGIES).default('canary').describe("How it is deployed: 'canary' uses the environment's canary steps and analysis."),
  force: z.boolean().default(false).describe('Rerun every step instead of reusing unchanged ones.'),
});

export const triggersSchema = z
  .strictObject({
    schedules: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: (iss) => `schedule name '${iss.input}' must start with a letter and contain only letters, digits, '_' and '-'` }), scheduleSchema).default({}),
    on_source_change: sourceChangeSchema.optional().describe('Run the pipeline when a watched source changes; no change, no run.'),
    monitors: z
      .strictObject({ enabled: z.boolean().default(true) })
      .prefault({})
      .describe("`sluice server` runs each monitor on its schedule, then evaluates the alert rules."),
    retrain: retrainSchema.prefault({}).describe('What an alert rule with `actions: [retrain]` does.'),
    tick: duration.prefault('1s').describe('How often the scheduler looks for due work.'),
    lease: duration.prefault('2m').describe('How long a server holds the run lease without renewing it (another server takes over after).'),
  })
  .prefault({})
  .describe('What starts pipeline runs inside `sluice server`: cron schedules, source changes, monitors and their alerts.');

export type TriggersConfig = z.output<typeof triggersSchema>;
export type RetrainPolicy = z.output<typeof retrainSchema>;
export type ScheduleConfig = z.output<typeof scheduleSchema>;

/** Names in `triggers:` that must exist elsewhere in the file: watched sources, the retrain environment. */
export function triggerReferenceProblems(config: {
  triggers: TriggersConfig;
  sources: Record<string, { kind: 'file' | 'url' | 'query' }>;
  environments: Record<string, unknown>;
  register?: unknown;
}): { path: (string | number)[]; message: string; at: 'key' | 'value' }[] {
  const problems: { path: (string | number)[]; message: string; at: 'key' | 'value' }[] = [];
  const { triggers, sources, environments } = config;
  (triggers.on_source_change?.sources ?? []).forEach((name, i) => {
    const path = ['triggers', 'on_source_change', 'sources', i];
    if (!Object.hasOwn(sources, name)) problems.push({ path, at: 'value', message: `unknown source '${name}' (sources: ${Object.keys(sources).join(', ')})` });
    else if (sources[name].kind === 'query') problems.push({ path, at: 'value', message: `source '${name}' is a SQL query, whose content cannot be watched without running it; use a schedule instead` });
  });
  const env = triggers.retrain.environment;
  if (env !== undefined && !Object.hasOwn(environments, env)) {
    const known = Object.keys(environments);
    problems.push({ path: ['triggers', 'retrain', 'environment'], at: 'value', message: `unknown environment '${env}' (${known.length ? `environments: ${known.join(', ')}` : 'declare it under `environments:`'})` });
  }
  if (env !== undefined && config.register === undefined) {
    problems.push({ path: ['triggers', 'retrain', 'environment'], at: 'value', message: 'a retrain can only deploy a registered model; add a `register:` section' });
  }
  return problems;
}
