/**
 * A starter expectations file from the data, TFDV-style: each column's type, its null policy,
 * the domain of low-cardinality text columns, the observed range of numbers and dates, and a
 * row-count band. It describes the data as it was; the user tightens it into what it should be.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Document, isMap, isSeq } from 'yaml';
import { ident } from '../duckdb.js';
import { family } from './run.js';
import type { Expectation } from './schema.js';

/** Text columns with at most this many distinct values get an `in_set`. */
export const MAX_DOMAIN = 50;

export async function inferExpectations(conn: DuckDBConnection, relation: string): Promise<Expectation[]> {
  const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRowObjectsJS();
  const columns = desc.map((r, i) => ({ name: String(r.column_name), fam: family(String(r.column_type)), i }));
  const aggs = columns.flatMap(({ name, fam, i }) => {
    const col = ident(name);
    const out = [`count(${col})::DOUBLE AS "nn${i}"`];
    if (fam === 'string') out.push(`count(DISTINCT ${col})::DOUBLE AS "d${i}"`);
    if (fam === 'integer' || fam === 'double') out.push(`min(${col})::DOUBLE AS "lo${i}"`, `max(${col})::DOUBLE AS "hi${i}"`);
    if (fam === 'date' || fam === 'timestamp') out.push(`min(${col})::VARCHAR AS "lo${i}"`, `max(${col})::VARCHAR AS "hi${i}"`);
    return out;
  });
  const stats = (await conn.runAndReadAll(`SELECT ${['count(*)::DOUBLE AS "rows"', ...aggs].join(', ')} FROM ${relation}`)).getRowObjectsJS()[0];
  const rows = Number(stats.rows);

  // Domains in a second pass, only for the columns small enough to have one.
  const small = columns.filter((c) => c.fam === 'string' && Number(stats[`d${c.i}`]) > 0 && Number(stats[`d${c.i}`]) <= MAX_DOMAIN);
  const domains = small.length
    ? (await conn.runAndReadAll(`SELECT ${small.map((c) => `list(DISTINCT ${ident(c.name)} ORDER BY ${ident(c.name)}) FILTER (WHERE ${ident(c.name)} IS NOT NULL) AS "v${c.i}"`).join(', ')} FROM ${relation}`)).getRowObjectsJS()[0]
    : {};

  const base = { severity: 'fail' as const };
  const out: Expectation[] = [];
  for (const { name: column, fam, i } of columns) {
    if (fam !== 'other') out.push({ column, expect: 'type', type: fam, mostly: 1, ...base });
    const nn = Number(stats[`nn${i}`]);
    // Rounded down, so the data it came from still passes.
    const mostly = rows === 0 ? 1 : Math.floor((nn / rows) * 1000) / 1000;
    if (mostly > 0) out.push({ column, expect: 'not_null', mostly, ...base });
    const domain = domains[`v${i}`];
    if (Array.isArray(domain)) out.push({ column, expect: 'in_set', values: domain.map(String), mostly: 1, ...base });
    const lo = stats[`lo${i}`], hi = stats[`hi${i}`];
    if (lo !== undefined && lo !== null && hi !== null) {
      const bound = (v: unknown) => (typeof v === 'number' ? v : String(v));
      out.push({ column, expect: 'between', min: bound(lo), max: bound(hi), strict_min: false, strict_max: false, mostly: 1, ...base });
    }
  }
  out.push({ expect: 'row_count_between', min: Math.floor(rows / 2), max: rows * 2, strict_min: false, strict_max: false, ...base });
  return out;
}

export interface ToYamlOptions {
  /** What the expectations were inferred from, for the header comment. */
  source: string;
  /** The date in the header; today by default. */
  date?: Date;
}

/** An expectations file for people: defaults left out, one expectation a line, a header asking for review. */
export function toYaml(expectations: readonly Expectation[], options: ToYamlOptions): string {
  const day = (options.date ?? new Date()).toISOString().slice(0, 10);
  const items = expectations.map(withoutDefaults);
  const doc = new Document({ expectations: items });
  doc.commentBefore = [
    ` Expectations inferred from ${options.source} on ${day} by \`sluice data infer\`.`,
    ' They describe the data as it was, not as it should be: review every rule before relying on it.',
    ' Tighten ranges, remove domain values that are errors, and set `severity: warn` where a failure',
    ' should not stop the pipeline. Syntax: column, expect (type, not_null, between, in_set, regex,',
    ' unique, row_count_between, mean_between, quantile_between, distribution), mostly, severity.',
  ].join('\n');
  const list = doc.get('expectations');
  if (isSeq(list)) {
    let previous: string | undefined;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      // One line each, except domains: one value a line, easy to review and prune.
      item.flow = !item.has('values');
      const column = item.get('column');
      const group = typeof column === 'string' ? column : '(dataset)';
      if (group !== previous) item.commentBefore = ` ${group}`;
      previous = group;
    }
  }
  return doc.toString({ lineWidth: 120, flowCollectionPadding: true });
}

function withoutDefaults(e: Expectation): Record<string, unknown> {
  const defaults: Record<string, unknown> = { severity: 'fail', mostly: 1, strict_min: false, strict_max: false };
  const { column, expect, ...rest } = e as Expectation & { column?: string };
  const kept = Object.entries(rest).filter(([k, v]) => v !== undefined && defaults[k] !== v);
  return { ...(column === undefined ? {} : { column }), expect, ...Object.fromEntries(kept) };
}
