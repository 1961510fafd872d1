/**
 * The shapes of gate checks, as zod schemas the project config can embed. Three kinds, told apart
 * by their keys: an absolute check has `op`, a champion check (MLflow's MetricThreshold) has
 * `greater_is_better`, a fairness check has `fairness`.
 */
import { z } from 'zod';
import { FAIRNESS_METRICS } from './fairness.js';

export const gateOpSchema = z.enum(['>=', '>', '<=', '<', '==']);
const severity = z.enum(['fail', 'warn']).default('fail').describe("'warn' only warns when the check fails.");

/** `{ metric: roc_auc, op: '>=', threshold: 0.85 }` */
export const absoluteCheckSchema = z.strictObject({
  metric: z.string().min(1),
  op: gateOpSchema,
  threshold: z.number(),
  severity,
});

/**
 * `{ metric: roc_auc, threshold: 0.85, min_absolute_change: 0.005, greater_is_better: true }`:
 * MLflow's MetricThreshold, compared with the champion's metrics.
 */
export const metricThresholdCheckSchema = z
  .strictObject({
    metric: z.string().min(1),
    threshold: z.number().optional().describe('Absolute bound: >= when greater is better, else <=.'),
    min_absolute_change: z.number().positive().optional().describe('Must beat the champion by at least this much.'),
    min_relative_change: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Must beat the champion by at least this fraction of |champion's value|."),
    greater_is_better: z.boolean(),
    severity,
  })
  .refine((c) => c.threshold !== undefined || c.min_absolute_change !== undefined || c.min_relative_change !== undefined, {
    error: 'expected at least one of threshold, min_absolute_change, min_relative_change',
  });

/** `{ fairness: demographic_parity_ratio, attribute: sex, op: '>=', threshold: 0.8 }` */
export const fairnessCheckSchema = z.strictObject({
  fairness: z.enum(FAIRNESS_METRICS),
  attribute: z.string().min(1).describe('A declared sensitive attribute.'),
  op: gateOpSchema,
  threshold: z.number(),
  severity,
});

export const gateCheckSchema = z.union([absoluteCheckSchema, metricThresholdCheckSchema, fairnessCheckSchema]);

export type GateOp = z.output<typeof gateOpSchema>;
export type GateSeverity = 'fail' | 'warn';
/** The inputs: severity may be left out (it defaults to 'fail'). */
export type AbsoluteCheck = z.input<typeof absoluteCheckSchema>;
export type MetricThresholdCheck = z.input<typeof metricThresholdCheckSchema>;
export type FairnessCheck = z.input<typeof fairnessCheckSchema>;
export type GateCheck = AbsoluteCheck | MetricThresholdCheck | FairnessCheck;
