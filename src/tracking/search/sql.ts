/**
 * SQL pieces whose meaning must not differ between SQLite and PostgreSQL: string comparison
 * in code-point order, and MLflow's LIKE (case-sensitive, `%` and `_`, no escape character).
 */
import { PostgresAdapter, sql, type Expression, type RawBuilder } from 'kysely';
import type { Db } from '../../store/index.js';

export type SqlDialect = 'sqlite' | 'postgres';

export function dialectOf(db: Db): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The column in byte order (PostgreSQL's default collation may sort by locale). */
export function binary(dialect: SqlDialect, column: Expression<unknown>): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`(${column} collate "C")` : sql<string>`${column}`;
}

/** `column <op> value` for MLflow's string comparators (=, !=, LIKE, ILIKE). */
export function compareText(dialect: SqlDialect, column: Expression<unknown>, op: string, value: string): RawBuilder<boolean> {
  switch (op) {
    case '=':
      return sql<boolean>`${column} = ${value}`;
    case '!=':
      return sql<boolean>`${column} <> ${value}`;
    case 'LIKE':
      // SQLite's LIKE ignores case; GLOB does not, and takes the same pattern translated.
      return dialect === 'postgres' ? sql<boolean>`${column} like ${value} escape ''` : sql<boolean>`${column} glob ${likeToGlob(value)}`;
    case 'ILIKE':
      return dialect === 'postgres' ? sql<boolean>`${column} ilike ${value} escape ''` : sql<boolean>`lower(${column}) like lower(${value})`;
  }
  throw new Error(`Unsupported string comparator ${op}`);
}

export function compareNumber(column: Expression<unknown>, op: string, value: number): RawBuilder<boolean> {
  if (!['=', '!=', '>', '>=', '<', '<='].includes(op)) throw new Error(`Unsupported numeric comparator ${op}`);
  // The cast keeps PostgreSQL from reading a fractional or infinite value as the column's bigint type.
  return sql<boolean>`${column} ${sql.raw(op === '!=' ? '<>' : op)} cast(${value} as double precision)`;
}

/** LIKE's `%` and `_` as GLOB's `*` and `?`; GLOB's own special characters made literal. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}
