/**
 * The statistics profile of a dataset version: per column its type, missing values, distinct
 * count, range, mean, standard deviation, quantiles and a histogram (numbers, dates) or its most
 * frequent values (text, booleans). All computed by DuckDB in a few aggregate queries.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident } from './duckdb.js';

export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
const HISTOGRAM_BINS = 20;
const TOP_VALUES = 20;

export type ColumnKind = 'numeric' | 'temporal' | 'boolean' | 'text' | 'other';

export interface ColumnProfile {
  name: string;
  type: string;
  kind: ColumnKind;
  count: number;
  nulls: number;
  nullFraction: number;
  distinct: number;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  /** Quantile → value, for numbers (dates as ISO text). */
  quantiles?: Record<string, number | string | null>;
  histogram?: { edges: number[]; counts: number[] };
  top?: { value: string; count: number }[];
}

export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

export function columnKind(type: string): ColumnKind {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(type)) return 'numeric';
  if (/^(DATE|TIMESTAMP.*|TIME)$/.test(type)) return 'temporal';
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'VARCHAR') return 'text';
  return 'other';
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));

/** Profiles a relation: a table name or an expression such as `read_parquet('…')`. */
export async function profileRelation(conn: DuckDBConnection, relation: string): Promise<DatasetProfile> {
  const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  const cols = desc.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  // Materialise once: every aggregate below reads the same rows, from memory.
  await conn.run(`CREATE OR REPLACE TEMP TABLE __profile AS SELECT * FROM ${relation}`);
  const rowCount = Number((await conn.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM __profile')).getRowObjectsJS()[0].n);

  const parts: string[] = [];
  cols.forEach((c, i) => {
    const col = ident(c.name);
    const kind = columnKind(c.type);
    parts.push(`count(${col})::DOUBLE AS c${i}_count`, `count(DISTINCT ${col})::DOUBLE AS c${i}_distinct`);
    if (kind === 'numeric') {
      const x = `${col}::DOUBLE`;
      // Quantiles on the column's own type: casting 3M values first doubles the cost.
      parts.push(
        `min(${x}) AS c${i}_min`,
        `max(${x}) AS c${i}_max`,
        `avg(${x}) AS c${i}_mean`,
        `stddev_samp(${x}) AS c${i}_std`,
        `quantile_cont(${col}, [${PROFILE_QUANTILES.join(', ')}])::DOUBLE[] AS c${i}_q`,
      );
    } else if (kind === 'temporal') {
      parts.push(`min(${col})::VARCHAR AS c${i}_min`, `max(${col})::VARCHAR AS c${i}_max`, `quantile_disc(${col}, [${PROFILE_QUANTILES.join(', ')}])::VARCHAR[] AS c${i}_q`);
    }
  });
  const agg = (await conn.runAndReadAll(`SELECT ${parts.join(', ')} FROM __profile`)).getRowObjectsJS()[0] ?? {};

  const columns: ColumnProfile[] = [];
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const kind = columnKind(c.type);
    const count = Number(agg[`c${i}_count`] ?? 0);
    const profile: ColumnProfile = {
      name: c.name,
      type: c.type,
      kind,
      count,
      nulls: rowCount - count,
      nullFraction: rowCount === 0 ? 0 : (rowCount - count) / rowCount,
      distinct: Number(agg[`c${i}_distinct`] ?? 0),
    };
    if (kind === 'numeric') {
      profile.min = num(agg[`c${i}_min`]);
      profile.max = num(agg[`c${i}_max`]);
      profile.mean = num(agg[`c${i}_mean`]);
      profile.std = num(agg[`c${i}_std`]);
      const q = (agg[`c${i}_q`] as unknown[] | null) ?? [];
      profile.quantiles = Object.fromEntries(PROFILE_QUANTILES.map((p, k) => [String(p), num(q[k])]));
      profile.histogram = await histogram(conn, `${ident(c.name)}::DOUBLE`, profile.min, profile.max);
    } else if (kind === 'temporal') {
      profile.min = text(agg[`c${i}_min`]);
      profile.max = text(agg[`c${i}_max`]);
      const q = (agg[`c${i}_q`] as unknown[] | null) ?? [];
      profile.quantiles = Object.fromEntries(PROFILE_QUANTILES.map((p, k) => [String(p), text(q[k])]));
      profile.histogram = await histogram(conn, `epoch(${ident(c.name)})`, null, null);
    } else {
      profile.top = await topValues(conn, c.name);
    }
    columns.push(profile);
  }
  await conn.run('DROP TABLE __profile');
  return { rowCount, columns };
}

async function histogram(conn: DuckDBConnection, expr: string, min: number | null | undefined, max: number | null | undefined): Promise<{ edges: number[]; counts: number[] }> {
  if (min === null || max === null || min === undefined || max === undefined) {
    const r = (await conn.runAndReadAll(`SELECT min(${expr})::DOUBLE AS lo, max(${expr})::DOUBLE AS hi FROM __profile`)).getRowObjectsJS()[0];
    min = num(r?.lo);
    max = num(r?.hi);
  }
  if (min === null || max === null) return { edges: [], counts: [] };
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins || 1;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * width));
  const rows = (
    await conn.runAndReadAll(
      `SELECT least(${bins - 1}, floor((${expr} - ${min}) / ${width}))::INTEGER AS b, count(*)::DOUBLE AS n
       FROM __profile WHERE ${expr} IS NOT NULL GROUP BY b ORDER BY b`,
    )
  ).getRowObjectsJS();
  const counts = new Array<number>(bins).fill(0);
  for (const r of rows) counts[Number(r.b)] = Number(r.n);
  return { edges, counts };
}

async function topValues(conn: DuckDBConnection, column: string): Promise<{ value: string; count: number }[]> {
  const rows = (
    await conn.runAndReadAll(
      `SELECT ${ident(column)}::VARCHAR AS v, count(*)::DOUBLE AS n FROM __profile WHERE ${ident(column)} IS NOT NULL
       GROUP BY v ORDER BY n DESC, v LIMIT ${TOP_VALUES}`,
    )
  ).getRowObjectsJS();
  return rows.map((r) => ({ value: String(r.v), count: Number(r.n) }));
}
