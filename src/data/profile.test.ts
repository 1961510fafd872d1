/**
 * The profile's statistics against the same figures computed independently, in plain
 * TypeScript over the raw values (sorting for quantiles with numpy's linear interpolation).
 */
import { describe, expect, it } from 'vitest';
import { lit, withDuckDB } from './duckdb.js';
import { profileRelation } from './profile.js';

const ADULT = 'examples/income/data/adult.data';
const relation = `read_csv(${lit(ADULT)}, header = true, delim = ', ', nullstr = '?', auto_detect = true)`;

function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

describe('profileRelation()', () => {
  it('matches independently computed statistics on the Adult data', async () => {
    const { profile, rows } = await withDuckDB(async (conn) => ({
      profile: await profileRelation(conn, relation),
      rows: (await conn.runAndReadAll(`SELECT * FROM ${relation}`)).getRowObjectsJS(),
    }));
    expect(profile.rowCount).toBe(32561);
    for (const name of ['age', 'fnlwgt', 'capital-gain', 'hours-per-week']) {
      const values = rows.map((r) => r[name]).filter((v) => v !== null).map(Number);
      const col = profile.columns.find((c) => c.name === name)!;
      const n = values.length;
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      const sorted = [...values].sort((a, b) => a - b);
      expect(col.count).toBe(n);
      expect(col.min).toBe(sorted[0]);
      expect(col.max).toBe(sorted[n - 1]);
      expect(col.mean).toBeCloseTo(mean, 9);
      expect((col.std as number) / std).toBeCloseTo(1, 12);
      expect(col.distinct).toBe(new Set(values).size);
      for (const p of [0.01, 0.25, 0.5, 0.75, 0.99]) expect(col.quantiles?.[String(p)]).toBeCloseTo(quantile(sorted, p), 9);
      expect(col.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(n);
    }
    const workclass = profile.columns.find((c) => c.name === 'workclass')!;
    const wc = rows.map((r) => r.workclass as string | null);
    expect(workclass.nulls).toBe(wc.filter((v) => v === null).length);
    expect(workclass.nulls).toBe(1836);
    const counts = new Map<string, number>();
    for (const v of wc) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect(workclass.top?.slice(0, 3)).toEqual(top.slice(0, 3).map(([value, count]) => ({ value, count })));
    expect(workclass.distinct).toBe(counts.size);
  });
});
