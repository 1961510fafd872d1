/** Loads a Parquet dataset into an in-memory Table for trainers and evaluators. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, lit } from './duckdb.js';
import type { Column, Table } from './table.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

export async function readTable(conn: DuckDBConnection, path: string, columns?: string[]): Promise<Table> {
  const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`);
  const all = desc.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const wanted = columns ? all.filter((c) => columns.includes(c.name)) : all;
  // Numbers come out as DOUBLE and everything else as text: a Table has just those two kinds.
  const select = wanted
    .map((c) => (NUMERIC.test(c.type) ? `${ident(c.name)}::DOUBLE AS ${ident(c.name)}` : `${ident(c.name)}::VARCHAR AS ${ident(c.name)}`))
    .join(', ');
  if (wanted.length === 0) return { rowCount: 0, columns: [] };
  const result = await conn.runAndReadAll(`SELECT ${select} FROM read_parquet(${lit(path)})`);
  const data = result.getColumnsJS();
  const rowCount = data[0]?.length ?? 0;
  const out: Column[] = wanted.map((c, i) => {
    const values = data[i] ?? [];
    if (NUMERIC.test(c.type)) {
      const arr = new Float64Array(rowCount);
      for (let r = 0; r < rowCount; r++) {
        const v = values[r];
        arr[r] = v === null || v === undefined ? Number.NaN : Number(v);
      }
      return { name: c.name, type: 'number', values: arr };
    }
    return { name: c.name, type: 'string', values: values.map((v) => (v === null || v === undefined ? null : String(v))) };
  });
  return { rowCount, columns: out };
}
