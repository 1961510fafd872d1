/**
 * Rows as JSON objects (the inputs and outputs of the prediction log) to a drift table shaped
 * like the reference: a column numeric in the reference becomes a Float64Array, a categorical
 * one a dictionary-encoded column. Values that do not fit the reference's kind (text in a
 * numeric column, objects, arrays) are counted as invalid rather than silently coerced.
 */
import type { DriftColumn, DriftTable } from '../drift/index.js';

export interface ColumnSchema {
  name: string;
  kind: 'number' | 'category';
}

export interface InvalidValues {
  count: number;
  /** Up to five of them, as JSON text. */
  examples: string[];
}

export interface RecordsTable extends DriftTable {
  rows: number;
  columns: DriftColumn[];
  /** Reference columns that no record has (not even as null). */
  missing: string[];
  /** Keys found in the records that the reference does not have (kept as columns, kind guessed). */
  unexpected: string[];
  /** Per column: values that are neither missing nor of the column's kind (they count as missing in `columns`). */
  invalid: Record<string, InvalidValues>;
}

/** The kind of each column of a table, for reading records like it. */
export function schemaOf(table: DriftTable): ColumnSchema[] {
  return table.columns.map((c) => ({ name: c.name, kind: c.type === 'number' ? 'number' : 'category' }));
}

export function tableFromRecords(records: readonly Readonly<Record<string, unknown>>[], schema: readonly ColumnSchema[]): RecordsTable {
  const known = new Set(schema.map((s) => s.name));
  const seen = new Set<string>();
  const extraKeys: string[] = [];
  for (const r of records) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      if (!known.has(k)) extraKeys.push(k);
    }
  }
  const missing = schema.filter((s) => !seen.has(s.name)).map((s) => s.name);
  const invalid: Record<string, InvalidValues> = {};
  const columns: DriftColumn[] = [];
  const guessed: ColumnSchema[] = extraKeys.map((name) => ({
    name,
    kind: records.every((r) => r[name] === null || r[name] === undefined || typeof r[name] === 'number') ? 'number' : 'category',
  }));
  for (const s of [...schema.filter((x) => seen.has(x.name)), ...guessed]) {
    const bad: InvalidValues = { count: 0, examples: [] };
    const reject = (v: unknown) => {
      bad.count++;
      if (bad.examples.length < 5) bad.examples.push(JSON.stringify(v) ?? String(v));
    };
    if (s.kind === 'number') {
      const values = new Float64Array(records.length);
      records.forEach((r, i) => {
        const v = r[s.name];
        if (typeof v === 'number') values[i] = v;
        else if (typeof v === 'boolean') values[i] = v ? 1 : 0;
        else {
          values[i] = NaN;
          if (v !== null && v !== undefined) reject(v);
        }
      });
      columns.push({ name: s.name, type: 'number', values });
    } else {
      const index = new Map<string, number>();
      const categories: string[] = [];
      const codes = new Int32Array(records.length);
      records.forEach((r, i) => {
        const v = r[s.name];
        if (v === null || v === undefined) return void (codes[i] = -1);
        if (typeof v === 'object') {
          reject(v);
          return void (codes[i] = -1);
        }
        // Numbers and booleans in a text column are read as their text, as a CSV reader would.
        const key = String(v);
        let code = index.get(key);
        if (code === undefined) {
          code = categories.length;
          categories.push(key);
          index.set(key, code);
        }
        codes[i] = code;
      });
      columns.push({ name: s.name, type: 'category', codes, categories });
    }
    if (bad.count > 0) invalid[s.name] = bad;
  }
  return { rows: records.length, columns, missing, unexpected: extraKeys, invalid };
}
