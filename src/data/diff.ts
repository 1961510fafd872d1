/**
 * `sluice datasets diff A B`: what changed between two dataset versions — columns added,
 * removed or retyped, the row count, and per column the missing share, the mean and a drift
 * test of the distribution (Evidently's default choice of test per column type and size).
 */
import { driftReport, type DriftReport } from '../monitoring/drift/index.js';
import { columnKind, type DatasetProfile } from './profile.js';
import { ident, lit, withDuckDB } from './duckdb.js';
import type { Column, Table } from './table.js';

export interface DatasetDiff {
  a: { id: string; rows: number };
  b: { id: string; rows: number };
  rowChange: number;
  rowChangePercent: number | null;
  added: { name: string; type: string }[];
  removed: { name: string; type: string }[];
  retyped: { name: string; from: string; to: string }[];
  columns: {
    name: string;
    nullFraction: [number, number];
    mean: [number | null, number | null];
    distinct: [number, number];
    test?: string;
    statistic?: number;
    pValue?: number;
    /** null: too few values on a side for a verdict. */
    drifted?: boolean | null;
  }[];
  drift: Pick<DriftReport, 'dataset'> | null;
}

export async function diffDatasets(
  a: { id: string; path: string; profile: DatasetProfile },
  b: { id: string; path: string; profile: DatasetProfile },
): Promise<DatasetDiff> {
  const colsA = new Map(a.profile.columns.map((c) => [c.name, c]));
  const colsB = new Map(b.profile.columns.map((c) => [c.name, c]));
  const added = b.profile.columns.filter((c) => !colsA.has(c.name)).map((c) => ({ name: c.name, type: c.type }));
  const removed = a.profile.columns.filter((c) => !colsB.has(c.name)).map((c) => ({ name: c.name, type: c.type }));
  const common = a.profile.columns.filter((c) => colsB.has(c.name));
  const retyped = common.filter((c) => colsB.get(c.name)?.type !== c.type).map((c) => ({ name: c.name, from: c.type, to: colsB.get(c.name)?.type ?? '' }));
  const comparable = common.filter((c) => colsB.get(c.name)?.type === c.type && columnKind(c.type) !== 'other');

  let report: DriftReport | null = null;
  if (comparable.length > 0) {
    const [ta, tb] = await withDuckDB(async (conn) => {
      const load = async (path: string): Promise<Table> => {
        const select = comparable.map((c) => {
          const kind = columnKind(c.type);
          const col = ident(c.name);
          return kind === 'numeric' ? `${col}::DOUBLE AS ${col}` : kind === 'temporal' ? `epoch(${col})::DOUBLE AS ${col}` : `${col}::VARCHAR AS ${col}`;
        });
        const r = await conn.runAndReadAll(`SELECT ${select.join(', ')} FROM read_parquet(${lit(path)})`);
        const data = r.getColumnsJS();
        const columns: Column[] = comparable.map((c, i) => {
          const kind = columnKind(c.type);
          const values = data[i] ?? [];
          if (kind === 'numeric' || kind === 'temporal') return { name: c.name, type: 'number', values: Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))) };
          return { name: c.name, type: 'string', values: values.map((v) => (v === null ? null : String(v))) };
        });
        return { rowCount: data[0]?.length ?? 0, columns };
      };
      return [await load(a.path), await load(b.path)];
    });
    report = driftReport(ta, tb);
  }
  const byColumn = new Map((report?.columns ?? []).map((r) => [r.column, r]));
  return {
    a: { id: a.id, rows: a.profile.rowCount },
    b: { id: b.id, rows: b.profile.rowCount },
    rowChange: b.profile.rowCount - a.profile.rowCount,
    rowChangePercent: a.profile.rowCount === 0 ? null : ((b.profile.rowCount - a.profile.rowCount) / a.profile.rowCount) * 100,
    added,
    removed,
    retyped,
    columns: common.map((c) => {
      const other = colsB.get(c.name)!;
      const r = byColumn.get(c.name);
      return {
        name: c.name,
        nullFraction: [c.nullFraction, other.nullFraction],
        mean: [c.mean ?? null, other.mean ?? null],
        distinct: [c.distinct, other.distinct],
        ...(r ? { test: r.test, statistic: r.statistic, pValue: r.pValue, drifted: r.drifted } : {}),
      };
    }),
    drift: report ? { dataset: report.dataset } : null,
  };
}
