/**
 * DuckDB does Sluice's columnar work: reading sources, checking and preparing them, writing
 * Parquet. One in-memory instance per task, closed afterwards, so nothing outlives a step.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface DuckOptions {
  threads?: number;
  memoryLimitBytes?: number;
}

export async function withDuckDB<T>(fn: (conn: DuckDBConnection) => Promise<T>, options: DuckOptions = {}): Promise<T> {
  // Imported lazily: loading DuckDB costs ~30 ms, and commands that hit the cache never need it.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(Math.max(1, Math.floor(options.threads)));
  if (options.memoryLimitBytes) config.memory_limit = `${Math.floor(options.memoryLimitBytes / 1_048_576)}MiB`;
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Quotes an SQL identifier (column names such as `education-num` need it). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface ColumnInfo {
  name: string;
  type: string;
}

export async function describeParquet(conn: DuckDBConnection, path: string): Promise<{ columns: ColumnInfo[]; rowCount: number }> {
  const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`);
  const columns = desc.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const count = await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM read_parquet(${lit(path)})`);
  const rowCount = Number(count.getRowObjectsJS()[0]?.n ?? 0);
  return { columns, rowCount };
}

/** Writes a query's result as Parquet; the caller's output directory is private to the step. */
export async function writeParquet(conn: DuckDBConnection, query: string, outPath: string): Promise<void> {
  // ZSTD and a fixed row-group size keep files small and the same bytes for the same rows,
  // which content addressing relies on.
  await conn.run(`COPY (${query}) TO ${lit(outPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
}
