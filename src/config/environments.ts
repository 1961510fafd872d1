/**
 * The `environments:` section of sluice.yaml: where models are served (a local router on a
 * port), the smoke tests every deploy runs, and the canary steps and analysis thresholds.
 */
import { z } from 'zod';
import { DURATION_PATTERN, _toMilliseconds } from './units.js';

const pause = z
  .union([z.number().nonnegative(), z.string().regex(new RegExp(DURATION_PATTERN), {
    error: (iss) => `expected a pause such as '5s', '500ms' or '1m', got '${iss.input}'`,
  })])
  .transform((v) => (v === 0 ? 0 : (_toMilliseconds(v) ?? 0)));

const smokeTestSchema = z.strictObject({
  name: z.string().optional(),
  path: z.string().startsWith('/').default('/predict').describe('Path the request is POSTed to.'),
  request: z.unknown().describe('The JSON body, e.g. {records: [...]}.'),
  expect: z
    .strictObject({
      status: z.number().int().default(200),
      label: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional().describe('Label of the first prediction.'),
      probability: z
        .strictObject({ class: z.union([z.string(), z.number()]).transform(String).optional(), min: z.number().min(0).max(1).default(0), max: z.number().min(0).max(1).default(1) })
        .optional()
        .describe('Range of the first prediction\'s probability of `class` (default: the last class).'),
    })
    .prefault({}),
});

const canaryStepSchema = z.union([
  z.strictObject({ weight: z.number().min(0).max(100).describe('Share of traffic, in percent, sent to the canary.') }),
  z.strictObject({ pause }),
]);

export const canarySchema = z.strictObject({
  steps: z.array(canaryStepSchema).min(1).default([{ weight: 20 }, { pause: 5000 }, { weight: 50 }, { pause: 5000 }]),
  analysis: z
    .strictObject({
      max_error_rate: z.number().min(0).max(1).default(0.01).describe('Largest share of canary requests answered with a 5xx.'),
      max_p99_ms: z.number().positive().default(250).describe('Largest canary p99 latency, in milliseconds.'),
      max_prediction_shift: z.number().min(0).max(1).default(0.1).describe('Largest difference of mean predicted probability, canary vs stable.'),
      min_requests: z.number().int().min(0).default(0).describe('Fewer canary requests than this in a step: the step is inconclusive and the canary rolls back (after max_wait).'),
      max_wait: pause.default(0).describe('How much longer a pause may last to collect min_requests canary requests before the step is judged inconclusive (e.g. 30s; default 0: no extension). A threshold crossed is judged at once.'),
    })
    .prefault({}),
});

export const environmentSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).describe('Port of the environment\'s router.'),
  host: z.string().default('127.0.0.1'),
  alias: z.string().optional().describe('Registry alias moved with each promotion (default: the environment name).'),
  smoke: z.array(smokeTestSchema).default([]),
  canary: canarySchema.prefault({}),
  shadow: z.strictObject({ percent: z.number().min(0).max(100).default(100) }).prefault({}),
});

export const environmentsSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: (iss) => `environment name '${iss.input}' must start with a letter and contain only letters, digits, '_' and '-'` }), environmentSchema)
  .default({})
  .describe('Where models are served: a local router per environment, its smoke tests and canary analysis.');

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type SmokeTest = z.output<typeof smokeTestSchema>;
export type CanaryConfig = z.output<typeof canarySchema>;
