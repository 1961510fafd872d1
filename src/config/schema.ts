import { z } from 'zod';
import { biasConfigSchema } from '../data/bias/index.js';
import { expectationSchema } from '../data/expectations/index.js';
import { piiPolicySchema } from '../data/pii/index.js';
import { gateCheckSchema } from '../evaluation/gate-schemas.js';
import { checksSchema, ciSchema } from './ci.js';
import { environmentsSchema } from './environments.js';
import { alertsSchema, channelsSchema, monitorsSchema } from './monitoring.js';
import { triggersSchema } from './triggers.js';
import { BYTES_PATTERN, DURATION_PATTERN, _toBytes, _toMilliseconds } from './units.js';

/** Names of sources, steps, gates and named outputs. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** A reference to a source or step (`clean`) or to one output of a step (`split.train`). */
export const REF_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)?$/;
const PROJECT_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const STEP_KINDS = ['prepare', 'sql', 'module', 'split', 'train', 'search', 'evaluate', 'command', 'check'] as const;
export const COLUMN_TYPES = ['string', 'integer', 'double', 'boolean', 'date', 'timestamp'] as const;

const NAME_RULE = "must start with a letter and contain only letters, digits, '_' and '-'";
const name = (what: string) => z.string().regex(NAME_PATTERN, { error: (iss) => `${what} name '${iss.input}' ${NAME_RULE}` });
const ref = z.string().regex(REF_PATTERN, {
  error: (iss) => `expected a source or step name such as 'clean', or a step output such as 'split.train', got '${iss.input}'`,
});
/** A YAML scalar read as text: `positive: 1` means the label "1". */
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const bytes = z
  .union([z.number().positive(), z.string().regex(new RegExp(BYTES_PATTERN), {
    error: (iss) => `expected a size such as '512MB', '2GB', '1.5GiB' or '800MiB', got '${iss.input}'`,
  })])
  .transform((v, ctx) => _toBytes(v) ?? (ctx.issues.push({ code: 'custom', input: v, message: `expected a size greater than 0, got '${v}'` }), z.NEVER))
  .meta({ id: 'Bytes', description: "A number of bytes or a size such as '512MB' (10^6 bytes), '2GB' or '1.5GiB' (2^30 bytes)." });
const duration = z
  .union([z.number().positive(), z.string().regex(new RegExp(DURATION_PATTERN), {
    error: (iss) => `expected a duration such as '90s', '10m', '1h' or '1h30m', got '${iss.input}'`,
  })])
  .transform((v, ctx) => _toMilliseconds(v) ?? (ctx.issues.push({ code: 'custom', input: v, message: `expected a duration greater than 0, got '${v}'` }), z.NEVER))
  .meta({ id: 'Duration', description: "A number of seconds or a duration such as '90s', '10m' or '1h30m'." });

export const resourcesSchema = z.strictObject({
  cpus: z.number().positive().default(1),
  memory: bytes.prefault('1GiB'),
  timeout: duration.prefault('30m'),
});
const partialResources = z.strictObject({ cpus: z.number().positive().optional(), memory: bytes.optional(), timeout: duration.optional() });

// JavaScript objects put whole-number keys first, which would lose the column order.
const columnName = z.string().refine((k) => !/^[0-9]+$/.test(k), {
  error: (iss) => `column name '${iss.input}' cannot be a whole number (the column order would be lost); use a name such as 'c${iss.input}'`,
});

export const SOURCE_FORMATS = ['csv', 'tsv', 'parquet', 'json', 'jsonl', 'arrow'] as const;

const EXTENSIONS: Record<string, (typeof SOURCE_FORMATS)[number]> = {
  csv: 'csv',
  tsv: 'tsv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  arrow: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
};

/** The format a path or URL's extension names, if any (`data/*.parquet` → parquet). */
export function formatFromExtension(location: string): (typeof SOURCE_FORMATS)[number] | undefined {
  const clean = location.split(/[?#]/)[0].toLowerCase();
  const ext = clean.slice(clean.lastIndexOf('.') + 1);
  return EXTENSIONS[ext];
}

/** Expectations inline, or the path of a YAML file with `expectations:` (relative to the project). */
const expectationsField = z
  .union([z.string().min(1), z.array(expectationSchema)])
  .optional()
  .describe('Rules the data must meet: a list, or a YAML file holding `expectations:` (see `sluice data infer`).');

export const sourceSchema = z
  .strictObject({
    expectations: expectationsField,
    path: z.string().min(1).optional().describe('A file or a glob (data/*.parquet), relative to the project folder.'),
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional().describe('An HTTP(S) URL; fetched again only when its ETag or Last-Modified changes.'),
    query: z.string().min(1).optional().describe('A SQL query, run on the PostgreSQL database named by `connection`.'),
    connection: z.string().min(1).optional().describe('A postgres:// URL, or ${ENV_VAR} naming the variable that holds it.'),
    format: z.enum(SOURCE_FORMATS).optional().describe('File format; inferred from the extension when left out.'),
    header: z.boolean().default(true),
    delimiter: z.string().min(1).optional(),
    nulls: z.array(text).default([]).describe('Values that mean "missing", such as "" or "NA".'),
    columns: z
      .record(columnName, z.enum(COLUMN_TYPES))
      .refine((c) => Object.keys(c).length > 0, { error: 'expected at least one column' })
      .optional()
      .describe('Column name → type. Required for CSV/TSV (in the order of the file); for other formats, checked when given.'),
    filter: z.string().min(1).optional().describe('A SQL condition on the rows to keep, e.g. "month(date) = 1".'),
    description: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    const given = (['path', 'url', 'query'] as const).filter((k) => s[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', message: given.length === 0 ? "expected one of 'path', 'url' or 'query'" : `expected only one of 'path', 'url' or 'query', got ${given.map((g) => `'${g}'`).join(' and ')}` });
      return;
    }
    if (s.query !== undefined && s.connection === undefined) ctx.addIssue({ code: 'custom', path: ['connection'], message: "a 'query' source needs a 'connection' (a postgres:// URL or ${ENV_VAR})" });
    if (s.query === undefined && s.connection !== undefined) ctx.addIssue({ code: 'custom', path: ['connection'], message: "'connection' only applies to a 'query' source" });
    const location = s.path ?? s.url;
    const format = s.format ?? (location ? formatFromExtension(location) : undefined);
    if (location && !format) ctx.addIssue({ code: 'custom', path: ['format'], message: `cannot tell the format of '${location}' from its extension; set 'format' to one of ${SOURCE_FORMATS.map((f) => `'${f}'`).join(', ')}` });
    if ((format === 'csv' || format === 'tsv') && s.columns === undefined) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a CSV or TSV source must declare its columns and their types' });
  })
  .transform((s) => ({
    ...s,
    kind: (s.query !== undefined ? 'query' : s.url !== undefined ? 'url' : 'file') as 'file' | 'url' | 'query',
    format: s.format ?? formatFromExtension(s.path ?? s.url ?? '') ?? ('parquet' as const),
  }));

const common = {
  description: z.string().optional(),
  needs: z.array(z.string()).optional().describe('Steps that must run before this one, beyond those named as inputs.'),
  resources: partialResources.optional(),
};

const prepareStep = z.strictObject({
  kind: z.literal('prepare'),
  input: ref,
  trim: z.boolean().default(false),
  nulls: z.array(text).default([]).describe('Values that mean "missing", such as "" or "NA" (after trimming).'),
  rename: z.record(z.string(), z.string()).default({}).describe('Old column name → new column name.'),
  replace: z
    .record(z.string(), z.record(z.string(), text.nullable()))
    .default({})
    .describe('Column → (value → replacement); a null replacement makes the value missing.'),
  drop: z.array(z.string()).default([]).describe('Columns to remove.'),
  drop_missing: z.array(z.string()).default([]).describe('Rows with a missing value in any of these columns are removed.'),
  ...common,
}).meta({ id: 'PrepareStep' });

const splitStep = z.strictObject({
  kind: z.literal('split'),
  input: ref,
  fractions: z
    .record(name('output'), z.number().gt(0).lte(1))
    .refine((f) => Math.abs(Object.values(f).reduce((a, b) => a + b, 0) - 1) <= 1e-9, {
      error: (iss) => {
        const values = Object.values(iss.input as Record<string, number>);
        return `fractions must add up to 1, but ${values.join(' + ') || 'nothing'} = ${+values.reduce((a, b) => a + b, 0).toFixed(9)}`;
      },
      when: (payload) => payload.issues.length === 0,
    })
    .describe('Output name → fraction of rows; the fractions add up to 1. Refer to an output as `<step>.<name>`.'),
  seed: z.int().default(0),
  stratify: z.string().optional().describe('Keep the proportions of this column the same in every output.'),
  ...common,
}).meta({ id: 'SplitStep' });

export const TRAINERS = ['logistic_regression', 'linear_regression', 'gbdt', 'random_forest'] as const;
const trainerField = z.enum(TRAINERS).describe('logistic_regression (binary), linear_regression (regression), gbdt or random_forest (binary, multiclass, regression).');
const taskField = z.enum(['binary', 'multiclass', 'regression']).optional().describe('What is predicted; default binary (regression for linear_regression).');

/** Fills in the task, and asks for `positive` where a binary task needs it. */
function withTask<T extends { trainer: (typeof TRAINERS)[number]; task?: 'binary' | 'multiclass' | 'regression'; positive?: string }>(s: T, ctx: z.RefinementCtx): T & { task: 'binary' | 'multiclass' | 'regression' } {
  const task = s.task ?? (s.trainer === 'linear_regression' ? 'regression' : 'binary');
  if (task === 'binary' && s.positive === undefined) ctx.addIssue({ code: 'custom', path: ['positive'], message: "a binary task needs 'positive': the value of the target that counts as the positive class" });
  return { ...s, task };
}

const trainStep = z
  .strictObject({
    kind: z.literal('train'),
    trainer: trainerField,
    task: taskField,
    train: ref,
    validation: ref.optional(),
    target: z.string(),
    positive: text.optional().describe('Binary tasks: the value of the target column that counts as the positive class.'),
    features: z.array(z.string()).optional().describe('Columns to train on; by default every column but the target.'),
    exclude: z.array(z.string()).default([]),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).default({}),
    seed: z.int().default(0).describe('Seeds any randomness in training, so a run can be repeated exactly.'),
    ...common,
  })
  .transform(withTask)
  .meta({ id: 'TrainStep' });

const searchValue = z.union([z.number(), z.string(), z.boolean()]);
const searchStep = z
  .strictObject({
    kind: z.literal('search'),
    trainer: trainerField,
    task: taskField,
    train: ref,
    validation: ref.describe('Trials are compared on this data.'),
    target: z.string(),
    positive: text.optional(),
    features: z.array(z.string()).optional(),
    exclude: z.array(z.string()).default([]),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).default({}).describe('Fixed parameters of every trial.'),
    space: z
      .record(z.string(), z.union([z.array(searchValue).min(1), z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().default(false), integer: z.boolean().default(false) })]))
      .refine((sp) => Object.keys(sp).length > 0, { error: 'expected at least one parameter to search' })
      .describe('Parameter → list of values (grid or random), or {min, max, log?, integer?} (random).'),
    strategy: z.enum(['grid', 'random']).default('grid'),
    trials: z.int().min(1).default(10).describe('Random search: how many draws.'),
    metric: z.string().default('validation_roc_auc').describe('The trial metric that picks the best.'),
    goal: z.enum(['maximize', 'minimize']).default('maximize'),
    seed: z.int().default(0),
    ...common,
  })
  .transform(withTask)
  .meta({ id: 'SearchStep' });

const evaluateStep = z.strictObject({
  kind: z.literal('evaluate'),
  model: ref,
  data: ref,
  threshold: z.number().min(0).max(1).default(0.5),
  slices: z.array(z.string()).default([]).describe('Columns whose values each get their own metrics.'),
  sensitive: z.array(z.string()).default([]).describe('Sensitive attributes: fairness metrics per group (selection rate, TPR, FPR, parity, odds).'),
  privileged: z.record(z.string(), text).optional().describe('The privileged group per sensitive attribute (default: the group with the highest selection rate).'),
  bootstrap: z.int().min(0).default(1000).describe('Bootstrap resamples for the fairness confidence intervals (0: none).'),
  ...common,
}).meta({ id: 'EvaluateStep' });

const commandStep = z.strictObject({
  kind: z.literal('command'),
  run: z.string().min(1).describe('Shell command to run in the project folder.'),
  inputs: z.record(name('input'), ref).default({}),
  outputs: z
    .record(name('output'), z.strictObject({ type: z.enum(['dataset', 'file', 'dir', 'model']), path: z.string().min(1) }))
    .default({}),
  code: z.array(z.string()).default([]).describe('Files or globs whose contents go into the cache key.'),
  env: z.record(z.string(), text).default({}),
  ...common,
}).meta({ id: 'CommandStep' });

const declaredColumns = z
  .record(columnName, z.enum(COLUMN_TYPES))
  .optional()
  .describe('The output must have exactly these columns, with these types.');

const sqlStep = z
  .strictObject({
    kind: z.literal('sql'),
    inputs: z.record(name('input'), ref).describe('Input name → source or step; each is a table of that name in the query.'),
    query: z.string().min(1).optional().describe('A DuckDB SQL query over the inputs.'),
    file: z.string().min(1).optional().describe('A .sql file with the query, relative to the project folder.'),
    columns: declaredColumns,
    ...common,
  })
  .refine((s) => (s.query === undefined) !== (s.file === undefined), { error: "expected one of 'query' or 'file'" })
  .meta({ id: 'SqlStep' });

const moduleStep = z
  .strictObject({
    kind: z.literal('module'),
    module: z.string().min(1).describe('A JavaScript or TypeScript module whose default export prepares the data.'),
    inputs: z.record(name('input'), ref),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
    columns: declaredColumns,
    ...common,
  })
  .meta({ id: 'ModuleStep' });

const checkStep = z
  .strictObject({
    kind: z.literal('check'),
    input: ref,
    expectations: expectationsField,
    reference: ref.optional().describe('The dataset that distribution expectations compare with.'),
    bias: biasConfigSchema.optional().describe('Group representation and label rate per sensitive attribute.'),
    ...common,
  })
  .meta({ id: 'CheckStep' });

export const stepSchema = z.discriminatedUnion('kind', [prepareStep, sqlStep, moduleStep, splitStep, trainStep, searchStep, evaluateStep, commandStep, checkStep]);

export const gateSchema = z.strictObject({
  evaluation: z.string().describe('The evaluate step whose metrics are checked.'),
  champion: z.string().default('champion').describe("The registry alias of the model to beat; checks relative to it are skipped while it has none."),
  checks: z
    .array(gateCheckSchema)
    .min(1)
    .describe('Absolute thresholds ({metric, op, threshold}), changes against the champion ({metric, min_absolute_change, min_relative_change, greater_is_better}), or fairness ({fairness, attribute, op, threshold}).'),
});

export const registerSchema = z.strictObject({
  model: z.string().regex(MODEL_PATTERN, {
    error: (iss) => `model name '${iss.input}' must start with a letter or digit and contain only letters, digits, '_', '.' and '-'`,
  }),
  from: z.string().describe('The train (or search) step whose model is registered.'),
  evaluation: z.string().describe('The evaluate step whose metrics are recorded with the model version.'),
  gates: z.array(z.string()).default([]).describe('Gates that must pass before the model is registered.'),
  aliases: z.array(z.string()).default([]).describe("Aliases moved to the new version when it is registered, e.g. [champion]."),
});

export const projectSchema = z.strictObject({
  project: z.string().regex(PROJECT_PATTERN, {
    error: (iss) => `project name '${iss.input}' must start with a letter and contain only letters, digits, '_', '.' and '-'`,
  }),
  workspace: z.string().min(1).default('.sluice').describe('Folder, relative to the project, where Sluice keeps its records.'),
  sources: z
    .record(name('source'), sourceSchema)
    .refine((s) => Object.keys(s).length > 0, { error: 'expected at least one source' }),
  steps: z.record(name('step'), stepSchema).default({}),
  gates: z.record(name('gate'), gateSchema).default({}),
  register: registerSchema.optional(),
  pii: piiPolicySchema.prefault({}).describe('What to do with personal data found in any dataset: per column block, mask or allow; anything else found fails the data gate.'),
  defaults: z.strictObject({ resources: resourcesSchema.prefault({}) }).prefault({}),
  environments: environmentsSchema,
  monitors: monitorsSchema,
  alerts: alertsSchema,
  channels: channelsSchema,
  triggers: triggersSchema,
  checks: checksSchema,
  ci: ciSchema,
});

export type ProjectConfig = z.output<typeof projectSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type StepConfig = z.output<typeof stepSchema>;
export type StepKind = StepConfig['kind'];
export type GateConfig = z.output<typeof gateSchema>;
export type RegisterConfig = z.output<typeof registerSchema>;
export type Resources = z.output<typeof resourcesSchema>;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export type PrepareStep = Extract<StepConfig, { kind: 'prepare' }>;
export type SplitStep = Extract<StepConfig, { kind: 'split' }>;
export type TrainStep = Extract<StepConfig, { kind: 'train' }>;
export type EvaluateStep = Extract<StepConfig, { kind: 'evaluate' }>;
export type CommandStep = Extract<StepConfig, { kind: 'command' }>;
export type SqlStep = Extract<StepConfig, { kind: 'sql' }>;
export type CheckStep = Extract<StepConfig, { kind: 'check' }>;
export type SearchStep = Extract<StepConfig, { kind: 'search' }>;
export type ModuleStep = Extract<StepConfig, { kind: 'module' }>;

/** Splits `split.train` into its step and output names. */
export function parseRef(ref: string): { name: string; output?: string } {
  const dot = ref.indexOf('.');
  return dot < 0 ? { name: ref } : { name: ref.slice(0, dot), output: ref.slice(dot + 1) };
}

/** The resources a step runs with: its own settings over the project defaults. */
export function stepResources(config: ProjectConfig, step: string): Resources {
  return { ...config.defaults.resources, ...config.steps[step]?.resources };
}
