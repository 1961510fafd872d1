import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table.js';
import { SluiceError } from '../errors.js';
import { encode, fitEncoder } from './encoding.js';

function table(columns: Table['columns']): Table {
  return { rowCount: columns[0].values.length, columns };
}
const num = (name: string, values: number[]) => ({ name, type: 'number' as const, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]) => ({ name, type: 'string' as const, values });

function thrown(fn: () => unknown): SluiceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected a throw');
}

describe('fitEncoder / encode', () => {
  const train = table([num('x', [1, 2, NaN, 5]), str('c', ['b', null, 'a', 'b'])]);

  it('standardises numbers with the population std and imputes NaN to 0', () => {
    const enc = fitEncoder(train, ['x']);
    // mean of 1, 2, 5 = 8/3; population variance = ((5/3)² + (2/3)² + (7/3)²) / 3 = 26/9
    expect(enc.features[0]).toMatchObject({ kind: 'numeric', mean: 8 / 3 });
    expect((enc.features[0] as { std: number }).std).toBeCloseTo(Math.sqrt(26 / 9), 14);
    const { X } = encode(enc, train);
    expect(X[2]).toBe(0);
    expect(X[0]).toBeCloseTo((1 - 8 / 3) / Math.sqrt(26 / 9), 14);
  });

  it('one-hot encodes strings over sorted categories; missing and unseen values are all zeros', () => {
    const enc = fitEncoder(train, ['c', 'x']);
    expect(enc.names).toEqual(['c=a', 'c=b', 'x']);
    const test = table([num('x', [0, 0, 0]), str('c', ['a', null, 'zzz'])]);
    const { X, rows, cols } = encode(enc, test);
    expect([rows, cols]).toEqual([3, 3]);
    expect(Array.from(X.subarray(0, 2))).toEqual([1, 0]);
    expect(Array.from(X.subarray(3, 5))).toEqual([0, 0]);
    expect(Array.from(X.subarray(6, 8))).toEqual([0, 0]);
  });

  it('gives a constant column std 1, so it encodes as zeros', () => {
    const t = table([num('k', [0.1, 0.1, NaN, 0.1])]);
    const enc = fitEncoder(t, ['k']);
    expect(enc.features[0]).toMatchObject({ mean: 0.1, std: 1 });
    expect(Array.from(encode(enc, t).X)).toEqual([0, 0, 0, 0]);
  });

  it('is a plain JSON object', () => {
    const enc = fitEncoder(train, ['x', 'c']);
    const back = JSON.parse(JSON.stringify(enc));
    expect(back).toEqual(enc);
    expect(encode(back, train).X).toEqual(encode(enc, train).X);
  });

  it('refuses a feature column that is not in the table, naming it', () => {
    const e = thrown(() => fitEncoder(train, ['nope']));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain("'nope'");
    const enc = fitEncoder(train, ['x', 'c']);
    expect(thrown(() => encode(enc, table([num('x', [1])]))).message).toContain("'c'");
  });

  it('refuses columns with only missing values', () => {
    const t = table([num('x', [NaN, NaN]), str('s', [null, null])]);
    expect(thrown(() => fitEncoder(t, ['x'])).message).toMatch(/'x' has only missing values/);
    expect(thrown(() => fitEncoder(t, ['s'])).message).toMatch(/'s' has only missing values/);
  });

  it('refuses infinite values at fit and at encode time', () => {
    const e = thrown(() => fitEncoder(table([num('x', [1, -Infinity, 2])]), ['x']));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain("'x' has 1 infinite value(s) (first at row 1");
    const enc = fitEncoder(table([num('x', [1, 2])]), ['x']);
    expect(thrown(() => encode(enc, table([num('x', [Infinity])]))).message).toContain('infinite');
  });

  it('refuses a column whose type changed since training', () => {
    const enc = fitEncoder(train, ['x']);
    expect(thrown(() => encode(enc, table([str('x', ['1'])]))).code).toBe('SCHEMA_MISMATCH');
  });

  it('refuses a string column with too many distinct values', () => {
    const t = table([str('id', ['a', 'b', 'c'])]);
    expect(thrown(() => fitEncoder(t, ['id'], { maxCategories: 2 })).message).toContain('3 distinct values');
  });
});
