/**
 * Field types of MLflow's REST messages as the Python client sends them: int64 as a number or
 * a decimal string, doubles also as "NaN"/"Infinity", ids as strings or numbers, enums by name
 * or number. Strings never hold NUL (PostgreSQL cannot store it). Limits are MLflow's
 * (mlflow/utils/validation.py).
 */
import { z } from 'zod';

export const LIMITS = {
  key: 250,
  paramValue: 6000,
  tagValue: 5000,
  experimentName: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  datasetName: 500,
  datasetDigest: 36,
  datasetSource: 65_536,
  datasetSchema: 1_048_576,
  datasetProfile: 16_777_216,
  /** Body of every JSON call but log-inputs. */
  body: 1_000_000,
  /** log-inputs carries a dataset's schema (1 MB) and profile (16 MB). */
  inputsBody: 20_000_000,
  /** Items of a list field (experiment ids of a search, …). */
  listItems: 10_000,
} as const;

/** A string without NUL, at most `max` characters. */
export function text(max?: number) {
  const s = max === undefined ? z.string() : z.string().max(max, { error: `must be at most ${max} characters` });
  return s.refine((v) => !v.includes('\0'), { error: 'must not contain NUL characters' });
}

/** Present and not empty: MLflow's rule for a required parameter. */
export function required(max?: number) {
  return text(max).refine((v) => v !== '', { error: 'required' });
}

/** Experiment and run ids: strings, or numbers (made strings). */
export const id = z.union([text(256), z.number().int().transform(String)]);
export const requiredId = z.union([required(256), z.number().int().transform(String)]);

/** int64 fields: a safe integer, as a JSON number or a decimal string. */
export const int64 = z.union([z.int(), z.string().regex(/^[+-]?\d{1,16}$/).transform(Number)]).pipe(z.int());

/** A model version number: a string (or number) holding a positive 32-bit integer. */
export const versionNumber = z
  .union([z.string().regex(/^\d{1,10}$/, { error: 'must be an integer' }).transform(Number), z.int()])
  .pipe(z.int().min(1).max(2_147_483_647));

const DOUBLE = /^(?:NaN|[+-]?Infinity|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;

/** A double: a JSON number, or a string such as "NaN", "Infinity", "-Infinity", "0.5". Never a boolean. */
export const double = z.union([z.number(), z.string().regex(DOUBLE).transform((v) => (v.endsWith('Infinity') ? (v.startsWith('-') ? -Infinity : Infinity) : Number(v)))]);

export const bool = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False']).transform((v) => v.toLowerCase() === 'true')]);

/** A proto enum: by name, or by number (1-based, in the given order). */
export function protoEnum<const T extends readonly [string, ...string[]]>(names: T) {
  return z.union([z.enum(names), z.int().min(1).max(names.length).transform((n) => names[n - 1] as T[number])]);
}

export const viewType = protoEnum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);
export const runStatus = protoEnum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

/** A repeated field of at most `max` items. */
export function list<T extends z.ZodType>(item: T, max: number = LIMITS.listItems) {
  return z.array(item).max(max, { error: `must have at most ${max} items` });
}

export const tag = (valueMax: number) => z.object({ key: required(LIMITS.key), value: text(valueMax).default('') });

/** Metric values in responses: a number, or MLflow's strings for the values JSON cannot hold. */
export const doubleOut = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

export function renderDouble(v: number): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** A search filter. */
export const filterText = text(100_000).optional();

export const keyValue = z.object({ key: z.string(), value: z.string() });
export const empty = z.object({});
