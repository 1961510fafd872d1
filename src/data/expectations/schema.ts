/**
 * The expectations file: declared rules on a dataset, one YAML list item each, discriminated
 * on `expect`. Semantics follow Great Expectations 1.x (nulls, `mostly`, result fields; see
 * /work/shared/reference/drift-validation-fairness.md §6).
 */
import { z } from 'zod';
import type { DeclaredType } from '../validate.js';

export const DECLARED_TYPES = ['string', 'integer', 'double', 'boolean', 'date', 'timestamp'] as const satisfies readonly DeclaredType[];
export const DISTRIBUTION_TESTS = ['ks', 'psi', 'wasserstein', 'jensenshannon', 'chisquare'] as const;

const column = z.string().min(1).describe('The column the expectation is about.');
const severity = z.enum(['fail', 'warn']).default('fail').describe('A failing `fail` expectation fails validation; a failing `warn` one is reported only.');
const mostly = z
  .number()
  .refine((m) => m > 0 && m <= 1, { error: (iss) => `expected a number greater than 0 and at most 1, got ${String(iss.input)}` })
  .default(1)
  .describe('Share of non-null values (of all rows for not_null) that must meet the expectation.');
const common = { severity, description: z.string().optional() };

/** `min` / `max` bounds, inclusive unless `strict_min` / `strict_max`; either may be left out. */
function range<T extends z.ZodType>(bound: T) {
  return {
    min: bound.optional(),
    max: bound.optional(),
    strict_min: z.boolean().default(false),
    strict_max: z.boolean().default(false),
  };
}

type Bounds = { min?: number | string; max?: number | string };
const boundsGiven = (r: Bounds) => r.min !== undefined || r.max !== undefined;
const boundsOrdered = (r: Bounds) => r.min === undefined || r.max === undefined || typeof r.min !== typeof r.max || r.min <= r.max;
const checkBounds = <T extends z.ZodObject>(schema: T) =>
  schema
    .refine(boundsGiven, { error: 'give min, max or both' })
    .refine(boundsOrdered, { error: 'min must not be greater than max' });

const number = z.number().refine(Number.isFinite, { error: 'expected a finite number' });
/** Numbers, or ISO dates and timestamps written as strings ('2001-01-31'). */
const numberOrDate = z.union([number, z.string().min(1)]);

const isRegex = (p: string) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
};

export const typeExpectation = z
  .strictObject({ expect: z.literal('type'), column, type: z.enum(DECLARED_TYPES), mostly, ...common })
  .meta({ id: 'ExpectType', description: 'Non-null values are of this type (or, in a text column, can be read as it).' });

export const notNullExpectation = z
  .strictObject({ expect: z.literal('not_null'), column, mostly, ...common })
  .meta({ id: 'ExpectNotNull', description: 'Values are not missing.' });

export const betweenExpectation = checkBounds(
  z.strictObject({ expect: z.literal('between'), column, ...range(numberOrDate), mostly, ...common }),
).meta({ id: 'ExpectBetween', description: 'Non-null values lie within [min, max].' });

export const inSetExpectation = z
  .strictObject({
    expect: z.literal('in_set'),
    column,
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
    mostly,
    ...common,
  })
  .meta({ id: 'ExpectInSet', description: 'Non-null values are among these.' });

export const regexExpectation = z
  .strictObject({
    expect: z.literal('regex'),
    column,
    pattern: z.string().min(1).refine(isRegex, { error: (iss) => `'${String(iss.input)}' is not a valid regular expression` }),
    mostly,
    ...common,
  })
  .meta({ id: 'ExpectRegex', description: 'Non-null values contain a match of the pattern (anchor it with ^…$ to match whole values).' });

export const uniqueExpectation = z
  .strictObject({ expect: z.literal('unique'), column, mostly, ...common })
  .meta({ id: 'ExpectUnique', description: 'Non-null values occur once; every occurrence of a repeated value counts as unexpected.' });

export const rowCountExpectation = checkBounds(
  z.strictObject({ expect: z.literal('row_count_between'), ...range(z.number().int().nonnegative()), ...common }),
).meta({ id: 'ExpectRowCountBetween', description: 'The number of rows lies within [min, max].' });

export const meanExpectation = checkBounds(
  z.strictObject({ expect: z.literal('mean_between'), column, ...range(number), ...common }),
).meta({ id: 'ExpectMeanBetween', description: 'The mean of the non-null values lies within [min, max].' });

export const quantileExpectation = checkBounds(
  z.strictObject({
    expect: z.literal('quantile_between'),
    column,
    quantile: z.number().min(0).max(1).describe('0.5 is the median; linear interpolation between values, as numpy.'),
    ...range(numberOrDate),
    ...common,
  }),
).meta({ id: 'ExpectQuantileBetween', description: 'A quantile of the non-null values lies within [min, max].' });

export const distributionExpectation = z
  .strictObject({
    expect: z.literal('distribution'),
    column,
    test: z.enum(DISTRIBUTION_TESTS).optional().describe("The drift test; by default Evidently's choice for the column's kind and size."),
    threshold: z.number().nonnegative().optional().describe("The test's threshold; by default Evidently's (0.05 for p-values, 0.1 for distances)."),
    ...common,
  })
  .meta({ id: 'ExpectDistribution', description: 'The column has not drifted from the reference dataset.' });

export const expectationSchema = z.discriminatedUnion('expect', [
  typeExpectation,
  notNullExpectation,
  betweenExpectation,
  inSetExpectation,
  regexExpectation,
  uniqueExpectation,
  rowCountExpectation,
  meanExpectation,
  quantileExpectation,
  distributionExpectation,
]);

export const expectationsFileSchema = z.strictObject({ expectations: z.array(expectationSchema) }).meta({ id: 'ExpectationsFile' });

/** An expectation with defaults filled in (severity, mostly, strict flags). */
export type Expectation = z.output<typeof expectationSchema>;
/** An expectation as written in YAML. */
export type ExpectationInput = z.input<typeof expectationSchema>;
export type ExpectationKind = Expectation['expect'];
export type Severity = Expectation['severity'];
export type DistributionTest = (typeof DISTRIBUTION_TESTS)[number];
