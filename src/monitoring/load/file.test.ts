/** Files of every supported format read into drift columns, checked value by value. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import type { DriftColumn } from '../drift/index.js';
import { readDriftFile, withDuckDB, type LoadedTable } from './index.js';

const rows = [
  { n: 1.5, s: 'b', b: true },
  { n: null, s: 'a', b: false },
  { n: -2, s: null, b: null },
  { n: 4, s: 'b', b: true },
];

/** Numbers (NaN for missing) and text (null for missing) of a loaded column, in row order. */
function values(c: DriftColumn): (number | string | null)[] {
  if (c.type === 'number') return Array.from(c.values);
  if (c.type === 'category') return Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]));
  return Array.from(c.values, (v) => v ?? null);
}

const expected = { n: [1.5, NaN, -2, 4], s: ['b', 'a', null, 'b'], b: ['true', 'false', null, 'true'] };

describe('readDriftFile', () => {
  const dir = tempDir();
  const files: Record<string, string> = {
    'data.csv': 'n,s,b\n1.5,b,true\n,a,false\n-2,,\n4,b,true\n',
    'data.tsv': 'n\ts\tb\n1.5\tb\ttrue\n\ta\tfalse\n-2\t\t\n4\tb\ttrue\n',
    'data.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    'data.json': JSON.stringify(rows),
    // No extension: sniffed from the content.
    'rows': rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  it.each(Object.keys(files))('reads %s: numbers as Float64Array, text and booleans as dictionary categories', async (name) => {
    const t: LoadedTable = await withDuckDB((conn) => readDriftFile(conn, join(dir, name)));
    expect(t.rows).toBe(4);
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([['n', 'number'], ['s', 'category'], ['b', 'category']]);
    expect(t.columns[0].type === 'number' && t.columns[0].values).toBeInstanceOf(Float64Array);
    expect(Object.fromEntries(t.columns.map((c) => [c.name, values(c)]))).toEqual(expected);
    // Categories sorted, codes −1 for missing.
    expect(t.columns[1]).toMatchObject({ categories: ['a', 'b'], codes: Int32Array.from([1, 0, -1, 1]) });
  });

  it('reads Parquet, and more rows than one DuckDB chunk, in order', async () => {
    const n = 5000;
    const path = join(dir, 'big.parquet');
    await withDuckDB(async (conn) => {
      await conn.run(`COPY (SELECT i::DOUBLE / 3 AS x, CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || (i % 5) END AS k, DATE '2024-01-01' + (i % 30)::INTEGER AS d FROM range(${n}) t(i) ORDER BY i) TO '${path}' (FORMAT parquet)`);
    });
    const t = await withDuckDB((conn) => readDriftFile(conn, path));
    expect(t.rows).toBe(n);
    expect(t.skipped).toEqual([{ name: 'd', type: 'DATE', reason: expect.stringContaining('--columns') }]);
    const [x, k] = t.columns;
    expect(values(x)).toEqual(Array.from({ length: n }, (_, i) => i / 3));
    expect(values(k)).toEqual(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `c${i % 5}`)));
    const withDates = await withDuckDB((conn) => readDriftFile(conn, path, { columns: ['d'] }));
    expect(values(withDates.columns[0]).slice(0, 2)).toEqual([Date.UTC(2024, 0, 1) / 1000, Date.UTC(2024, 0, 2) / 1000]);
  });

  it('reads CSV with a multi-character separator and extra null markers', async () => {
    const path = join(dir, 'adult-like.data');
    writeFileSync(path, 'age, job\n39, State-gov\n50, ?\n?, Private\n');
    const t = await withDuckDB((conn) => readDriftFile(conn, path, { delimiter: ', ', nulls: ['?'] }));
    expect(Object.fromEntries(t.columns.map((c) => [c.name, values(c)]))).toEqual({ age: [39, 50, NaN], job: ['State-gov', null, 'Private'] });
  });

  it('says what is wrong with a missing, empty or unreadable file', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'bad.json'), '{"a": 1,,}');
    writeFileSync(join(dir, 'sheet.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    const read = (name: string) => withDuckDB((conn) => readDriftFile(conn, join(dir, name)));
    await expect(read('nope.csv')).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(read('empty.csv')).rejects.toMatchObject({ code: 'DATA_INVALID', message: expect.stringContaining('is empty') });
    await expect(read('bad.json')).rejects.toMatchObject({ code: 'DATA_INVALID', message: expect.stringContaining('as JSON') });
    await expect(read('sheet.xlsx')).rejects.toMatchObject({ code: 'DATA_INVALID', message: expect.stringContaining('neither Parquet nor text') });
  });
});
