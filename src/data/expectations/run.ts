/**
 * Runs expectations on a DuckDB relation with Great Expectations' semantics: nulls are never
 * unexpected and are left out of the denominator of column-map expectations; `mostly` is the
 * share of non-null values (all rows for not_null) that must pass. Every aggregate of every
 * expectation goes into one SELECT; only examples, `unique` and distribution checks need more.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SluiceError, errorMessage } from '../../errors.js';
import { driftColumn, type ColumnDriftResult, type DriftColumn } from '../../monitoring/drift/index.js';
import { ident, lit } from '../duckdb.js';
import { SQL_TYPES, type DeclaredType } from '../validate.js';
import type { Expectation, Severity } from './schema.js';

export type ExampleValue = string | number | boolean;

/** Great Expectations' result fields (SUMMARY level). Percentages are 0–100. */
export interface ExpectationResultFields {
  element_count: number;
  missing_count: number;
  missing_percent: number;
  unexpected_count: number;
  /** Over all rows. */
  unexpected_percent: number;
  /** Over non-null rows (for not_null, over all rows, as its denominator is). */
  unexpected_percent_nonmissing: number;
  /** Up to 20 distinct unexpected values, the most frequent first. */
  partial_unexpected_list: ExampleValue[];
  /** Aggregates: the observed figure; `type`: the column's SQL type; otherwise null. */
  observed_value: number | string | null;
  /** Distribution checks: the drift test's figures. */
  details?: Record<string, unknown>;
}

export interface ExpectationResult {
  expectation: Expectation;
  success: boolean;
  severity: Severity;
  result: ExpectationResultFields;
  /** One sentence for people. */
  message: string;
  /** Set when the expectation could not be evaluated (unknown column, SQL error, no reference). */
  error?: string;
}

export interface ExpectationsReport {
  /** False when any expectation of severity `fail` did not pass. */
  success: boolean;
  statistics: { evaluated: number; successful: number; failed: number; warnings: number };
  results: ExpectationResult[];
}

export interface RunOptions {
  /** The relation distribution checks compare against (a table name or `read_parquet('…')`). */
  reference?: string;
}

type Family = DeclaredType | 'other';
type Row = Record<string, unknown>;

interface Ctx {
  conn: DuckDBConnection;
  relation: string;
  columns: Map<string, string>;
  options: RunOptions;
}

/** What one expectation adds to the shared SELECT, and how its row becomes a result. */
interface Plan {
  aggs: Record<string, string>;
  finish(row: Row): Promise<ExpectationResult>;
}

const EXAMPLES = 20;

/**
 * Evaluates expectations on `relation`: a table or view name, a table function such as
 * `read_parquet('…')`, or a parenthesised query.
 */
export async function runExpectations(
  conn: DuckDBConnection,
  relation: string,
  expectations: readonly Expectation[],
  options: RunOptions = {},
): Promise<ExpectationsReport> {
  const ctx: Ctx = { conn, relation, columns: await describeRelation(conn, relation), options };
  const plans = expectations.map((e) => {
    try {
      return plan(e, ctx);
    } catch (err) {
      return failure(e, err);
    }
  });
  const rows = await evaluate(ctx, plans.filter((p): p is Plan => 'aggs' in p));
  const results: ExpectationResult[] = [];
  for (const [i, p] of plans.entries()) {
    if (!('aggs' in p)) {
      results.push(p);
      continue;
    }
    try {
      const row = rows.get(p);
      if (row instanceof Error) throw row;
      results.push(await p.finish(row as Row));
    } catch (err) {
      results.push(failure(expectations[i], err));
    }
  }
  return summarise(results);
}

function summarise(results: ExpectationResult[]): ExpectationsReport {
  const failed = results.filter((r) => !r.success && r.severity === 'fail').length;
  const warnings = results.filter((r) => !r.success && r.severity === 'warn').length;
  return {
    success: failed === 0,
    statistics: { evaluated: results.length, successful: results.length - failed - warnings, failed, warnings },
    results,
  };
}

async function describeRelation(conn: DuckDBConnection, relation: string): Promise<Map<string, string>> {
  try {
    const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    return new Map(desc.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
  } catch (cause) {
    throw new SluiceError('DATA_INVALID', `Cannot read ${relation} to check its expectations: ${errorMessage(cause)}`, { cause });
  }
}

/** All plans' aggregates in one query; when it fails, each plan alone, so one bad expectation cannot hide the rest. */
async function evaluate(ctx: Ctx, plans: Plan[]): Promise<Map<Plan, Row | Error>> {
  const query = async (ps: Plan[]): Promise<Row[]> => {
    const select = ps.flatMap((p, i) => Object.entries(p.aggs).map(([k, sql]) => `, ${sql} AS ${ident(`${i}:${k}`)}`)).join('');
    const row = (await ctx.conn.runAndReadAll(`SELECT count(*)::DOUBLE AS "rows"${select} FROM ${ctx.relation}`)).getRowObjectsJS()[0];
    return ps.map((p, i) => Object.fromEntries([['rows', row.rows], ...Object.keys(p.aggs).map((k) => [k, row[`${i}:${k}`]])]));
  };
  const out = new Map<Plan, Row | Error>();
  try {
    (await query(plans)).forEach((row, i) => out.set(plans[i], row));
  } catch {
    for (const p of plans) {
      try {
        out.set(p, (await query([p]))[0]);
      } catch (err) {
        out.set(p, err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
  return out;
}

function plan(e: Expectation, ctx: Ctx): Plan | ExpectationResult {
  if (e.expect === 'row_count_between') {
    return {
      aggs: { ok: inRange('count(*)', e) },
      finish: async (row) => aggregateResult(e, row, Number(row.rows), 'row count'),
    };
  }
  const sqlType = ctx.columns.get(e.column);
  if (sqlType === undefined) {
    const names = [...ctx.columns.keys()];
    const list = names.slice(0, 12).map((n) => `'${n}'`).join(', ') + (names.length > 12 ? ', …' : '');
    return failure(e, `column '${e.column}' is not in the data (its columns: ${list})`);
  }
  const col = ident(e.column);
  const fam = family(sqlType);
  const nn = `count(${col})::DOUBLE`;
  switch (e.expect) {
    case 'not_null':
      return { aggs: { nn }, finish: async (row) => mapResult(e, ctx, row, { nn: Number(row.nn), bad: Number(row.rows) - Number(row.nn) }) };
    case 'type':
    case 'between':
    case 'in_set':
    case 'regex': {
      const ok = conforms(e, col, fam);
      const badWhere = `${col} IS NOT NULL AND NOT coalesce(${ok}, false)`;
      return {
        aggs: { nn, bad: `count(*) FILTER (WHERE ${badWhere})::DOUBLE` },
        finish: async (row) => {
          const bad = Number(row.bad);
          const examples = bad > 0 ? await examplesOf(ctx, col, fam, badWhere) : [];
          return mapResult(e, ctx, row, { nn: Number(row.nn), bad, examples, observed: e.expect === 'type' ? sqlType : null });
        },
      };
    }
    case 'unique':
      return { aggs: { nn }, finish: (row) => unique(e, ctx, row, col, fam) };
    case 'mean_between':
    case 'quantile_between': {
      const numeric = fam === 'integer' || fam === 'double';
      if (!numeric && !(e.expect === 'quantile_between' && (fam === 'date' || fam === 'timestamp'))) {
        return failure(e, `column '${e.column}' has type ${sqlType}; ${e.expect} needs a numeric column`);
      }
      const agg = e.expect === 'mean_between' ? `avg(${col})` : `quantile_cont(${col}, ${e.quantile})`;
      const label = `column '${e.column}': ${e.expect === 'mean_between' ? 'mean' : `quantile ${e.quantile}`}`;
      return {
        aggs: { obs: `${agg}::${numeric ? 'DOUBLE' : 'VARCHAR'}`, ok: inRange(agg, e) },
        finish: async (row) => aggregateResult(e, row, row.obs === null ? null : numeric ? Number(row.obs) : String(row.obs), label),
      };
    }
    case 'distribution':
      return { aggs: { nn }, finish: (row) => distribution(e, ctx, row, fam) };
  }
}

export function family(sqlType: string): Family {
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(sqlType)) return 'integer';
  if (/^(FLOAT|DOUBLE|DECIMAL)/.test(sqlType)) return 'double';
  if (sqlType.startsWith('VARCHAR') || sqlType.startsWith('ENUM')) return 'string';
  if (sqlType === 'BOOLEAN') return 'boolean';
  if (sqlType === 'DATE') return 'date';
  if (sqlType.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

/** SQL that is true when a non-null value meets a column-map expectation. */
function conforms(e: Expectation & { expect: 'type' | 'between' | 'in_set' | 'regex' }, col: string, fam: Family): string {
  switch (e.expect) {
    case 'type': {
      if (fam === e.type || (e.type === 'double' && fam === 'integer')) return 'true';
      if (fam === 'string') {
        // Text read as the type, as the schema check does: TRY_CAST alone would accept '3.5' as an integer.
        const v = `trim(${col})`;
        if (e.type === 'integer') return `(regexp_full_match(${v}, '[+-]?[0-9]+') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL)`;
        return `TRY_CAST(${v} AS ${SQL_TYPES[e.type]}) IS NOT NULL`;
      }
      if (e.type === 'string') return 'false';
      if (e.type === 'integer' && fam === 'double') return `(isfinite(${col}::DOUBLE) AND ${col} = trunc(${col}))`;
      return `TRY_CAST(${col} AS ${SQL_TYPES[e.type]}) IS NOT NULL`;
    }
    case 'between': {
      // Numeric bounds on a text column: values that are not numbers are unexpected.
      const numericBound = typeof e.min === 'number' || typeof e.max === 'number';
      return inRange(numericBound && fam === 'string' ? `TRY_CAST(trim(${col}) AS DOUBLE)` : col, e);
    }
    case 'in_set': {
      const values = e.values.map((v) => (fam === 'string' || typeof v === 'string' ? lit(String(v)) : String(v).toUpperCase()));
      return `${col} IN (${values.join(', ')})`;
    }
    case 'regex':
      // Search, not full match, as Great Expectations.
      return `regexp_matches(${col}::VARCHAR, ${lit(e.pattern)})`;
  }
}

interface Range {
  min?: number | string;
  max?: number | string;
  strict_min: boolean;
  strict_max: boolean;
}

function inRange(expr: string, r: Range): string {
  const bound = (v: number | string) => (typeof v === 'number' ? String(v) : lit(v));
  const parts = [
    r.min === undefined ? '' : `${expr} ${r.strict_min ? '>' : '>='} ${bound(r.min)}`,
    r.max === undefined ? '' : `${expr} ${r.strict_max ? '<' : '<='} ${bound(r.max)}`,
  ].filter(Boolean);
  return `(${parts.join(' AND ')})`;
}

export function interval(r: Range): string {
  return `${r.min === undefined || r.strict_min ? '(' : '['}${r.min ?? '-∞'}, ${r.max ?? '∞'}${r.max === undefined || r.strict_max ? ')' : ']'}`;
}

/** Values as JSON-friendly JavaScript: numbers stay numbers, dates and the rest become text. */
function exampleExpr(col: string, fam: Family): string {
  return fam === 'integer' || fam === 'double' ? `${col}::DOUBLE` : fam === 'boolean' ? col : `${col}::VARCHAR`;
}

async function examplesOf(ctx: Ctx, col: string, fam: Family, where: string): Promise<ExampleValue[]> {
  const rows = await ctx.conn.runAndReadAll(
    `SELECT ${exampleExpr(col, fam)} AS v FROM ${ctx.relation} WHERE ${where} GROUP BY ALL ORDER BY count(*) DESC, v LIMIT ${EXAMPLES}`,
  );
  return rows.getRowObjectsJS().map((r) => r.v as ExampleValue);
}

async function unique(e: Expectation & { expect: 'unique' }, ctx: Ctx, row: Row, col: string, fam: Family): Promise<ExpectationResult> {
  const groups = `SELECT ${exampleExpr(col, fam)} AS v, count(*) AS n FROM ${ctx.relation} WHERE ${col} IS NOT NULL GROUP BY ALL`;
  // Every occurrence of a repeated value is unexpected, as in Great Expectations.
  const dup = await ctx.conn.runAndReadAll(`SELECT coalesce(sum(n), 0)::DOUBLE AS bad FROM (${groups}) WHERE n > 1`);
  const bad = Number(dup.getRowObjectsJS()[0].bad);
  const examples = bad > 0
    ? (await ctx.conn.runAndReadAll(`SELECT v FROM (${groups}) WHERE n > 1 ORDER BY n DESC, v LIMIT ${EXAMPLES}`)).getRowObjectsJS().map((r) => r.v as ExampleValue)
    : [];
  return mapResult(e, ctx, row, { nn: Number(row.nn), bad, examples });
}

/** How a column-map expectation's values are described when they pass and when they do not. */
function phrases(e: Expectation): [ok: string, bad: string] {
  switch (e.expect) {
    case 'type': return [`are ${e.type}`, `are not ${e.type}`];
    case 'between': return [`are within ${interval(e)}`, `are outside ${interval(e)}`];
    case 'in_set': return ['are in the set', 'are not in the set'];
    case 'regex': return [`match '${e.pattern}'`, `do not match '${e.pattern}'`];
    default: return ['are unique', 'are repeated'];
  }
}

function mapResult(
  e: Expectation & { column: string; mostly: number },
  ctx: Ctx,
  row: Row,
  f: { nn: number; bad: number; examples?: ExampleValue[]; observed?: string | null },
): ExpectationResult {
  const rows = Number(row.rows);
  const missing = rows - f.nn;
  const notNull = e.expect === 'not_null';
  const den = notNull ? rows : f.nn;
  // Zero rows (or zero non-null values) pass, as in Great Expectations.
  const success = den === 0 || (den - f.bad) / den >= e.mostly;
  const pct = (n: number, d: number) => (d === 0 ? 0 : (100 * n) / d);
  const result: ExpectationResultFields = {
    element_count: rows,
    missing_count: missing,
    missing_percent: pct(missing, rows),
    unexpected_count: f.bad,
    unexpected_percent: pct(f.bad, rows),
    unexpected_percent_nonmissing: pct(f.bad, den),
    partial_unexpected_list: f.examples ?? [],
    observed_value: f.observed ?? null,
  };
  const label = e.expect === 'type' ? `column '${e.column}' (${ctx.columns.get(e.column)})` : `column '${e.column}'`;
  let message: string;
  if (notNull) {
    message = f.bad === 0 ? `${label}: none of the ${rows} values are missing` : `${label}: ${f.bad} of ${rows} values (${percent(result.unexpected_percent)}) are missing`;
  } else if (den === 0) {
    message = `${label}: no non-null values to check`;
  } else {
    const [ok, bad] = phrases(e);
    message = f.bad === 0
      ? `${label}: all ${den} non-null values ${ok}`
      : `${label}: ${f.bad} of ${den} values (${percent(result.unexpected_percent_nonmissing)}) ${bad}`;
    if (missing > 0) message += ` (${missing} missing values not counted)`;
  }
  if (f.bad > 0 && e.mostly < 1) message += success ? `, within mostly ${e.mostly}` : `, more than mostly ${e.mostly} allows`;
  if (f.examples?.length) message += `; examples: ${f.examples.slice(0, 5).map(quote).join(', ')}`;
  return { expectation: e, success, severity: e.severity, result, message };
}

function aggregateResult(e: Expectation & Range, row: Row, observed: number | string | null, label: string): ExpectationResult {
  const success = row.ok === true;
  const message = observed === null
    ? `${label} cannot be computed: the column has no non-null values`
    : `${label} is ${typeof observed === 'number' ? num(observed) : observed}, ${success ? 'within' : 'outside'} ${interval(e)}`;
  return { expectation: e, success, severity: e.severity, result: { ...emptyFields(Number(row.rows)), observed_value: observed }, message };
}

async function distribution(e: Expectation & { expect: 'distribution' }, ctx: Ctx, row: Row, fam: Family): Promise<ExpectationResult> {
  const reference = ctx.options.reference;
  if (reference === undefined) return failure(e, `column '${e.column}': no reference dataset was given to compare the distribution with`);
  const refColumns = await describeRelation(ctx.conn, reference);
  const refType = refColumns.get(e.column);
  if (refType === undefined) return failure(e, `column '${e.column}' is not in the reference data`);
  // One after the other: a connection streams one result at a time.
  const ref = await driftInput(ctx.conn, reference, e.column, family(refType));
  const cur = await driftInput(ctx.conn, ctx.relation, e.column, fam);
  const d: ColumnDriftResult = driftColumn(ref, cur, { test: e.test, threshold: e.threshold });
  const figure = d.details.verdictOn === 'pValue' ? d.pValue ?? NaN : d.statistic;
  const shown = `${d.test} ${d.details.verdictOn === 'pValue' ? 'p-value' : 'statistic'} ${num(figure)}`;
  const rule = `drift when ${d.details.operator} ${d.threshold}`;
  const message =
    d.drifted === null
      ? `column '${e.column}': too few values for a ${d.test} verdict (${d.details.referenceRows - d.details.referenceMissing} in the reference, ${d.details.currentRows - d.details.currentMissing} here)`
      : d.drifted
        ? `column '${e.column}': drifted from the reference (${shown}; ${rule})`
        : `column '${e.column}': no drift from the reference (${shown}; ${rule})`;
  const rows = Number(row.rows);
  const missing = rows - Number(row.nn);
  return {
    expectation: e,
    // No verdict (too little data) is not a pass: the check could not show the data is as expected.
    success: d.drifted === false,
    severity: e.severity,
    result: { ...emptyFields(rows), missing_count: missing, missing_percent: rows ? (100 * missing) / rows : 0, observed_value: Number.isFinite(figure) ? figure : null, details: { ...d } },
    message,
  };
}

/** A numeric column (dates as epoch seconds) as one Float64Array; anything else as category counts. */
async function driftInput(conn: DuckDBConnection, relation: string, column: string, fam: Family): Promise<DriftColumn> {
  const col = ident(column);
  if (fam === 'integer' || fam === 'double' || fam === 'date' || fam === 'timestamp') {
    const expr = fam === 'date' || fam === 'timestamp' ? `epoch(${col})::DOUBLE` : `${col}::DOUBLE`;
    return { name: column, type: 'number', values: await readDoubles(conn, `SELECT ${expr} FROM ${relation} WHERE ${col} IS NOT NULL`) };
  }
  const counts = (await conn.runAndReadAll(`SELECT ${col}::VARCHAR AS v, count(*)::DOUBLE AS n FROM ${relation} GROUP BY ALL`)).getRowObjectsJS();
  const categories = counts.filter((r) => r.v !== null).map((r) => String(r.v));
  // Codes rebuilt from the counts: 4 bytes a row, and the drift library counts them back exactly.
  const codes = new Int32Array(counts.reduce((s, r) => s + Number(r.n), 0));
  let at = 0, code = 0;
  for (const r of counts) {
    const n = Number(r.n);
    codes.fill(r.v === null ? -1 : code++, at, at + n);
    at += n;
  }
  return { name: column, type: 'category', codes, categories };
}

async function readDoubles(conn: DuckDBConnection, sql: string): Promise<Float64Array> {
  const result = await conn.stream(sql);
  const parts: Float64Array[] = [];
  let total = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const vector = chunk.getColumnVector(0);
    const part = new Float64Array(chunk.rowCount);
    for (let i = 0; i < part.length; i++) part[i] = (vector.getItem(i) as number | null) ?? NaN;
    parts.push(part);
    total += part.length;
  }
  const out = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function emptyFields(rows: number): ExpectationResultFields {
  return {
    element_count: rows,
    missing_count: 0,
    missing_percent: 0,
    unexpected_count: 0,
    unexpected_percent: 0,
    unexpected_percent_nonmissing: 0,
    partial_unexpected_list: [],
    observed_value: null,
  };
}

function failure(e: Expectation, err: unknown): ExpectationResult {
  const text = typeof err === 'string' ? err : errorMessage(err);
  const where = 'column' in e ? `column '${e.column}': ` : '';
  const message = typeof err === 'string' ? text : `${where}${e.expect} could not be checked: ${text}`;
  return { expectation: e, success: false, severity: e.severity, result: emptyFields(0), message, error: text };
}

export function percent(p: number): string {
  if (p === 0) return '0%';
  if (p < 0.1) return `${Number(p.toPrecision(2))}%`;
  // Never round a partial failure up to 100%.
  return p < 100 && p.toFixed(1) === '100.0' ? '>99.9%' : `${p.toFixed(1)}%`;
}

export function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

function quote(v: ExampleValue): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}
