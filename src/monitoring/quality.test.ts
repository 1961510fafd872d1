/**
 * Production data quality: prediction-log rows (JSON objects) read like the reference, then
 * checked. Every figure is compared with a count made here, by a plain loop over the rows.
 */
import { describe, expect, it } from 'vitest';
import type { Expectation } from '../data/expectations/index.js';
import { driftReport, type DriftTable } from './drift/index.js';
import { schemaOf, tableFromRecords } from './load/records.js';
import { qualityReport } from './quality.js';

function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const COLOURS = ['red', 'green', 'blue'];
function rows(n: number, seed: number, shift = 0, extra: (i: number, u: () => number) => Record<string, unknown> = () => ({})) {
  const u = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    age: u() < 0.05 ? null : Math.round(20 + 50 * u() + shift),
    colour: u() < 0.02 ? null : COLOURS[Math.floor(u() * 3)],
    score: u(),
    ...extra(i, u),
  }));
}

const reference = rows(2000, 7);
const refTable = tableFromRecords(reference, [{ name: 'age', kind: 'number' }, { name: 'colour', kind: 'category' }, { name: 'score', kind: 'number' }]);

describe('tableFromRecords', () => {
  it('shapes rows like the reference: numbers, dictionary categories, missing and invalid values', () => {
    const window = [{ age: 30, colour: 'red', score: 0.5 }, { age: 'thirty', colour: 7, score: null }, { age: null, colour: { a: 1 }, note: 'x' }];
    const t = tableFromRecords(window, schemaOf(refTable));
    expect(t.rows).toBe(3);
    const [age, colour, score, note] = t.columns;
    expect(age).toMatchObject({ name: 'age', type: 'number' });
    expect(age.type === 'number' && Array.from(age.values)).toEqual([30, NaN, NaN]);
    expect(colour).toEqual({ name: 'colour', type: 'category', codes: Int32Array.from([0, 1, -1]), categories: ['red', '7'] });
    expect(score.type === 'number' && Array.from(score.values)).toEqual([0.5, NaN, NaN]);
    expect(note).toMatchObject({ name: 'note', type: 'category', categories: ['x'] });
    expect(t.invalid).toEqual({ age: { count: 1, examples: ['"thirty"'] }, colour: { count: 1, examples: ['{"a":1}'] } });
    expect(t.unexpected).toEqual(['note']);
    expect(t.missing).toEqual([]);
    expect(tableFromRecords([{ age: 1 }], schemaOf(refTable)).missing).toEqual(['colour', 'score']);
  });
});

describe('qualityReport', () => {
  it('reports null shares, out-of-range numbers and unseen categories equal to counts made here', () => {
    const window = rows(500, 11, 15, (i) => (i % 40 === 0 ? { colour: i % 80 === 0 ? 'purple' : 'teal' } : {}));
    const cur = tableFromRecords(window, schemaOf(refTable));
    const q = qualityReport(refTable, cur);

    const refAges = reference.map((r) => r.age).filter((v): v is number => v !== null);
    const [lo, hi] = [Math.min(...refAges), Math.max(...refAges)];
    const ages = window.map((r) => r.age);
    const age = q.columns.find((c) => c.column === 'age')!;
    expect(age.nulls.count).toBe(ages.filter((v) => v === null).length);
    expect(age.nulls.referenceShare).toBe(reference.filter((r) => r.age === null).length / reference.length);
    expect(age.range).toMatchObject({
      min: lo, max: hi, source: 'reference',
      below: ages.filter((v) => v !== null && v < lo).length,
      above: ages.filter((v) => v !== null && v > hi).length,
    });
    const nonNull = ages.filter((v) => v !== null).length;
    expect(age.range!.share).toBe(age.range!.count / nonNull);
    expect(age.range!.count).toBeGreaterThan(0);
    expect(age.range!.passed).toBe(false);

    const colour = q.columns.find((c) => c.column === 'colour')!;
    const unseen = window.map((r) => r.colour).filter((v) => v !== null && !COLOURS.includes(v));
    expect(colour.unseen).toMatchObject({ source: 'reference', count: unseen.length, distinct: 2 });
    // Most frequent first.
    expect(colour.unseen!.examples).toEqual([
      { value: 'purple', count: unseen.filter((v) => v === 'purple').length },
      { value: 'teal', count: unseen.filter((v) => v === 'teal').length },
    ]);
    expect(colour.unseen!.examples[0].count).toBeGreaterThan(colour.unseen!.examples[1].count);
    expect(colour.unseen!.passed).toBe(false);

    const score = q.columns.find((c) => c.column === 'score')!;
    expect(score.passed).toBe(true);
    expect(q.failures).toEqual(['age: out of range', 'colour: unseen categories']);
    expect(q.passed).toBe(false);
  });

  it('takes thresholds, and bounds and categories from the reference expectations', () => {
    const window = rows(300, 13, 5);
    const cur = tableFromRecords(window, schemaOf(refTable));
    const expectations: Expectation[] = [
      { expect: 'between', column: 'age', min: 0, max: 200, strict_min: false, strict_max: false, mostly: 1, severity: 'fail' },
      { expect: 'in_set', column: 'colour', values: ['red'], mostly: 1, severity: 'fail' },
    ];
    const q = qualityReport(refTable, cur, { expectations, thresholds: { unseenShare: 0.9 } });
    const age = q.columns.find((c) => c.column === 'age')!;
    expect(age.range).toMatchObject({ min: 0, max: 200, source: 'expectation', count: 0, passed: true });
    const colour = q.columns.find((c) => c.column === 'colour')!;
    const notRed = window.filter((r) => r.colour !== null && r.colour !== 'red').length;
    expect(colour.unseen).toMatchObject({ source: 'expectation', count: notRed, threshold: 0.9, passed: true });
    // The null-share check: a window with many more missing ages than the reference fails.
    const holes = tableFromRecords(window.map((r, i) => ({ ...r, age: i % 3 ? r.age : null })), schemaOf(refTable));
    const nulls = qualityReport(refTable, holes).columns.find((c) => c.column === 'age')!.nulls;
    expect(nulls.count).toBe(window.filter((r, i) => i % 3 === 0 || r.age === null).length);
    expect(nulls.passed).toBe(false);
  });

  it('reports missing and unexpected columns, type mismatches and invalid values', () => {
    const window = rows(100, 17).map(({ colour: _c, ...r }, i) => ({ ...r, age: i % 10 ? r.age : 'n/a', extra: i }));
    const cur = tableFromRecords(window, schemaOf(refTable));
    const q = qualityReport(refTable, cur, { invalid: cur.invalid });
    expect(q.schema).toEqual({ missing: ['colour'], unexpected: ['extra'], passed: false });
    const age = q.columns.find((c) => c.column === 'age')!;
    expect(age.invalid).toMatchObject({ count: 10, share: 0.1, examples: ['"n/a"', '"n/a"', '"n/a"', '"n/a"', '"n/a"'], passed: false });
    expect(q.failures).toEqual(['schema: missing columns colour', 'age: nulls', 'age: invalid values']);
    // A column numeric in the reference and text in the window.
    const retyped: DriftTable = { columns: [{ name: 'score', type: 'string', values: Array(50).fill('high') }] };
    const r = qualityReport({ columns: refTable.columns.filter((c) => c.name === 'score') }, retyped);
    expect(r.columns[0]).toMatchObject({ typeMismatch: { reference: 'numerical', current: 'categorical' }, passed: false });
    expect(r.failures).toEqual(['score: type']);
  });

  it('gives figures but no verdict for a window under the minimum rows', () => {
    const cur = tableFromRecords(rows(10, 19, 100), schemaOf(refTable));
    const q = qualityReport(refTable, cur);
    expect(q.insufficientData).toBe(true);
    expect(q.passed).toBeNull();
    const age = q.columns.find((c) => c.column === 'age')!;
    expect(age.range!.count).toBeGreaterThan(0);
    expect(age.range!.passed).toBeNull();
    expect(age.passed).toBeNull();
    expect(qualityReport(refTable, cur, { minRows: 5 }).passed).toBe(false);
  });
});

describe('prediction drift', () => {
  it('compares model outputs like any column: probabilities as numbers, labels as categories', () => {
    // Outputs as the prediction log stores them, from two windows of a model whose scores shifted.
    const u = rng(23);
    const outputs = (n: number, lift: number) =>
      Array.from({ length: n }, () => {
        const p = Math.min(1, u() * 0.8 + lift * u());
        return { probability: p, label: p >= 0.5 ? '>50K' : '<=50K' };
      });
    const schema = [{ name: 'probability', kind: 'number' as const }, { name: 'label', kind: 'category' as const }];
    const before = tableFromRecords(outputs(3000, 0), schema);
    const after = tableFromRecords(outputs(800, 0.4), schema);
    const report = driftReport(before, after);
    expect(report.columns.map((c) => [c.column, c.type, c.test])).toEqual([['probability', 'numerical', 'wasserstein'], ['label', 'categorical', 'jensenshannon']]);
    expect(report.columns.every((c) => c.drifted)).toBe(true);
    // Same figures as string columns built by hand.
    const labels = (t: typeof before) => {
      const c = t.columns[1];
      return c.type === 'category' ? Array.from(c.codes, (k) => c.categories[k]) : [];
    };
    const direct = driftReport(
      { columns: [{ name: 'label', type: 'string', values: labels(before) }] },
      { columns: [{ name: 'label', type: 'string', values: labels(after) }] },
    );
    expect(report.columns[1].statistic).toBe(direct.columns[0].statistic);
    const same = driftReport(before, tableFromRecords(outputs(800, 0), schema));
    expect(same.columns.map((c) => c.drifted)).toEqual([false, false]);
  });
});
