/**
 * Test helper: UCI Adult as Tables, read with just enough CSV (a header, ", " between values,
 * '?' for missing, test labels ending in '.'). Values are trimmed; '?' and '' become missing.
 */
import { readFileSync } from 'node:fs';
import type { Column, Table } from '../../src/data/table.js';

const DATA = new URL('../../examples/income/data/', import.meta.url);

export function readAdult(file: 'adult.data' | 'adult.test' | string): Table {
  const lines = readFileSync(new URL(file, DATA), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((s) => s.trim());
  const rows = lines.slice(1).map((l) => l.split(',').map((s) => s.trim()));
  const columns = header.map((name, j): Column => {
    const raw = rows.map((r) => (r[j] === '?' || r[j] === '' ? null : r[j]));
    if (name === 'Y') return { name, type: 'string', values: raw.map((v) => v && v.replace(/\.$/, '')) };
    const numeric = raw.every((v) => v === null || Number.isFinite(Number(v)));
    return numeric
      ? { name, type: 'number', values: Float64Array.from(raw, (v) => (v === null ? NaN : Number(v))) }
      : { name, type: 'string', values: raw };
  });
  return { rowCount: rows.length, columns };
}

/** Rows as records `{ age: 39, workclass: 'State-gov', ... }`, missing values as null. */
export function tableRecords(table: Table): Record<string, unknown>[] {
  return Array.from({ length: table.rowCount }, (_, i) => {
    const r: Record<string, unknown> = {};
    for (const c of table.columns) r[c.name] = c.type === 'number' ? (Number.isNaN(c.values[i]) ? null : c.values[i]) : c.values[i];
    return r;
  });
}
