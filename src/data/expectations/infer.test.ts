import type { DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKCLASSES, openAdult } from './_adult.js';
import { inferExpectations, toYaml } from './infer.js';
import { runExpectations } from './run.js';
import { expectationsFileSchema } from './schema.js';

let conn: DuckDBConnection;
let close: () => void;

beforeAll(async () => {
  ({ conn, close } = await openAdult());
  await conn.run(`CREATE TABLE events AS SELECT * FROM (VALUES
    (DATE '2001-01-03', TIMESTAMP '2001-01-03 10:00:00', 1.5::DOUBLE, true, [1, 2]),
    (DATE '2001-06-30', NULL, -2.25, false, []),
    (NULL, TIMESTAMP '2001-02-01 00:00:00.5', 0.1, NULL, NULL)) v(day, "at", x, flag, tags)`);
});
afterAll(() => close());

describe('inferExpectations', () => {
  it('describes the cleaned Adult data: types, null shares, domains, ranges, row count', async () => {
    const inferred = await inferExpectations(conn, 'adult_clean');
    const about = (column: string) => inferred.filter((e) => 'column' in e && e.column === column);
    expect(about('age')).toEqual([
      { column: 'age', expect: 'type', type: 'integer', mostly: 1, severity: 'fail' },
      { column: 'age', expect: 'not_null', mostly: 1, severity: 'fail' },
      { column: 'age', expect: 'between', min: 17, max: 90, strict_min: false, strict_max: false, mostly: 1, severity: 'fail' },
    ]);
    // 30725 of 32561 present = 0.94361…, rounded down.
    expect(about('workclass')).toEqual([
      { column: 'workclass', expect: 'type', type: 'string', mostly: 1, severity: 'fail' },
      { column: 'workclass', expect: 'not_null', mostly: 0.943, severity: 'fail' },
      { column: 'workclass', expect: 'in_set', values: [...WORKCLASSES].sort(), mostly: 1, severity: 'fail' },
    ]);
    expect(about('income').find((e) => e.expect === 'in_set')).toMatchObject({ values: ['<=50K', '>50K'] });
    expect(about('native-country').find((e) => e.expect === 'in_set')).toMatchObject({ values: expect.arrayContaining(['United-States']) });
    expect(inferred.at(-1)).toEqual({ expect: 'row_count_between', min: 16280, max: 65122, strict_min: false, strict_max: false, severity: 'fail' });
  });

  it('leaves out domains of text columns with more than 50 values', async () => {
    const inferred = await inferExpectations(conn, '(SELECT range::VARCHAR AS id FROM range(51))');
    expect(inferred.map((e) => e.expect)).toEqual(['type', 'not_null', 'row_count_between']);
  });

  it('everything inferred passes on the data it came from', async () => {
    for (const relation of ['adult_clean', 'adult_raw', 'events']) {
      const report = await runExpectations(conn, relation, await inferExpectations(conn, relation));
      expect(report.results.filter((r) => !r.success).map((r) => r.message)).toEqual([]);
    }
  });

  it('handles dates, timestamps, booleans, nulls and types it has no name for', async () => {
    const inferred = await inferExpectations(conn, 'events');
    expect(inferred.filter((e) => e.expect === 'between')).toMatchObject([
      { column: 'day', min: '2001-01-03', max: '2001-06-30' },
      { column: 'at', min: '2001-01-03 10:00:00', max: '2001-02-01 00:00:00.5' },
      { column: 'x', min: -2.25, max: 1.5 },
    ]);
    expect(inferred.filter((e) => e.expect === 'not_null').map((e) => e.mostly)).toEqual([0.666, 0.666, 1, 0.666, 0.666]);
    // A list column gets no type, only its null policy.
    expect(inferred.filter((e) => 'column' in e && e.column === 'tags').map((e) => e.expect)).toEqual(['not_null']);
  });
});

describe('toYaml', () => {
  it('writes a commented file that parses back to the same expectations', async () => {
    const inferred = await inferExpectations(conn, 'adult_clean');
    const text = toYaml(inferred, { source: 'examples/income/data/adult.data', date: new Date('2024-05-01T12:00:00Z') });
    expect(text.split('\n')[0]).toBe('# Expectations inferred from examples/income/data/adult.data on 2024-05-01 by `sluice data infer`.');
    expect(text).toContain('review every rule');
    expect(text).toContain('  - { column: age, expect: type, type: integer }');
    expect(text).toContain('  - { column: workclass, expect: not_null, mostly: 0.943 }');
    expect(text).toContain('  - column: workclass\n    expect: in_set\n    values:\n      - Federal-gov\n');
    expect(text.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.toContain('severity');
    expect(expectationsFileSchema.parse(parseYaml(text)).expectations).toEqual(inferred);
  });

  it('quotes domain values YAML would read as something else', async () => {
    const relation = `(SELECT * FROM (VALUES ('1'), ('true'), ('null'), ('?'), (' x'), ('a: b'), ('#c'), ('')) v(s))`;
    const inferred = await inferExpectations(conn, relation);
    const back = expectationsFileSchema.parse(parseYaml(toYaml(inferred, { source: 'values' }))).expectations;
    expect(back).toEqual(inferred);
    expect((await runExpectations(conn, relation, back)).success).toBe(true);
  });

  it('round-trips dates and timestamps', async () => {
    const inferred = await inferExpectations(conn, 'events');
    const back = expectationsFileSchema.parse(parseYaml(toYaml(inferred, { source: 'events' }))).expectations;
    expect(back).toEqual(inferred);
    expect((await runExpectations(conn, 'events', back)).success).toBe(true);
  });
});
