import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftColumn } from '../../monitoring/drift/index.js';
import { WORKCLASSES, openAdult, parse, scalar } from './_adult.js';
import { runExpectations, type RunOptions } from './run.js';
import type { ExpectationInput } from './schema.js';

let conn: DuckDBConnection;
let close: () => void;

beforeAll(async () => {
  ({ conn, close } = await openAdult());
  await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a', 1.0), (2, 'b', 2.5), (3, 'x', 3.0), (NULL, NULL, NULL), (10, NULL, 4.0)) v(n, s, d)`);
  await conn.run(`CREATE TABLE dup AS SELECT * FROM (VALUES (1), (1), (2), (3), (NULL)) v(k)`);
  await conn.run(`CREATE TABLE empty AS SELECT 1 AS n, 'a' AS s WHERE false`);
});
afterAll(() => close());

const run = (relation: string, list: ExpectationInput[], options?: RunOptions) => runExpectations(conn, relation, parse(list), options);
const one = async (relation: string, e: ExpectationInput, options?: RunOptions) => (await run(relation, [e], options)).results[0];

const LABELS: ExpectationInput = { column: 'income', expect: 'in_set', values: ['<=50K', '>50K'] };
const WORKCLASS = { column: 'workclass', expect: 'in_set' as const, values: WORKCLASSES };

describe('the income example: expectations catch what preparation fixes', () => {
  it("in_set on workclass catches the '?' placeholder in raw adult.data", async () => {
    const r = await one('adult_raw', WORKCLASS);
    expect(r.success).toBe(false);
    expect(r.result.unexpected_count).toBe(1836);
    expect(r.result.unexpected_count).toBe(await scalar(conn, `SELECT count(*) FROM adult_raw WHERE workclass = '?'`));
    expect(r.result.element_count).toBe(32561);
    expect(r.result.partial_unexpected_list).toEqual(['?']);
    expect(r.message).toBe("column 'workclass': 1836 of 32561 values (5.6%) are not in the set; examples: '?'");
  });

  it("not_null on workclass catches '?' once it reads as missing, and in_set then leaves it out", async () => {
    const report = await run('adult_clean', [{ column: 'workclass', expect: 'not_null' }, WORKCLASS]);
    const [notNull, inSet] = report.results;
    expect(notNull.success).toBe(false);
    expect(notNull.result.unexpected_count).toBe(1836);
    expect(notNull.result.unexpected_percent).toBeCloseTo((100 * 1836) / 32561, 12);
    expect(notNull.message).toBe("column 'workclass': 1836 of 32561 values (5.6%) are missing");
    expect(inSet.success).toBe(true);
    expect(inSet.result).toMatchObject({ element_count: 32561, missing_count: 1836, unexpected_count: 0, unexpected_percent_nonmissing: 0 });
  });

  it("in_set on the label catches adult.test's trailing periods after trimming", async () => {
    const report = await run('adult_test_raw', [LABELS, { column: 'income', expect: 'regex', pattern: '^(<=50K|>50K)$' }]);
    for (const r of report.results) {
      expect(r.success).toBe(false);
      expect(r.result.unexpected_count).toBe(16281);
      expect(r.result.partial_unexpected_list).toEqual(['<=50K.', '>50K.']);
    }
    expect(report.results[0].message).toBe("column 'income': 16281 of 16281 values (100.0%) are not in the set; examples: '<=50K.', '>50K.'");
    expect(report.success).toBe(false);
  });

  it('the whole suite passes on the cleaned data of both files', async () => {
    const suite: ExpectationInput[] = [
      WORKCLASS,
      LABELS,
      { column: 'income', expect: 'regex', pattern: '^(<=50K|>50K)$' },
      { column: 'workclass', expect: 'not_null', mostly: 0.94 },
      { column: 'age', expect: 'type', type: 'integer' },
      { column: 'age', expect: 'between', min: 17, max: 90 },
      { expect: 'row_count_between', min: 10000, max: 100000 },
    ];
    for (const relation of ['adult_clean', 'adult_test_clean']) {
      const report = await run(relation, suite);
      expect(report.results.filter((r) => !r.success).map((r) => r.message)).toEqual([]);
      expect(report.success).toBe(true);
      expect(report.statistics).toEqual({ evaluated: 7, successful: 7, failed: 0, warnings: 0 });
    }
  });
});

describe('mostly', () => {
  const share = 30725 / 32561;

  it('passes exactly at the observed share and fails just above it', async () => {
    const at = await one('adult_raw', { ...WORKCLASS, mostly: share });
    const above = await one('adult_raw', { ...WORKCLASS, mostly: share + 1e-12 });
    expect(at.success).toBe(true);
    expect(at.message).toContain(`, within mostly ${share}`);
    expect(above.success).toBe(false);
    expect(above.message).toContain('more than mostly');
  });

  it('not_null divides by all rows', async () => {
    expect((await one('adult_clean', { column: 'workclass', expect: 'not_null', mostly: share })).success).toBe(true);
    expect((await one('adult_clean', { column: 'workclass', expect: 'not_null', mostly: share + 1e-12 })).success).toBe(false);
  });

  it('column-map expectations divide by non-null values', async () => {
    // n = 1, 2, 3, NULL, 10: one of four non-null values is outside [1, 3].
    expect((await one('t', { column: 'n', expect: 'between', min: 1, max: 3, mostly: 0.75 })).success).toBe(true);
    expect((await one('t', { column: 'n', expect: 'between', min: 1, max: 3, mostly: 0.76 })).success).toBe(false);
  });
});

describe('null handling and result fields', () => {
  it('nulls are counted as missing, never as unexpected', async () => {
    const r = await one('t', { column: 'n', expect: 'between', min: 1, max: 3 });
    expect(r.success).toBe(false);
    expect(r.result).toEqual({
      element_count: 5,
      missing_count: 1,
      missing_percent: 20,
      unexpected_count: 1,
      unexpected_percent: 20,
      unexpected_percent_nonmissing: 25,
      partial_unexpected_list: [10],
      observed_value: null,
    });
    expect(r.message).toBe("column 'n': 1 of 4 values (25.0%) are outside [1, 3] (1 missing values not counted); examples: 10");
  });

  it('in_set: two missing, one unexpected of three', async () => {
    const r = await one('t', { column: 's', expect: 'in_set', values: ['a', 'b'] });
    expect(r.result).toMatchObject({ missing_count: 2, unexpected_count: 1, unexpected_percent: 20, partial_unexpected_list: ['x'] });
    expect(r.result.unexpected_percent_nonmissing).toBeCloseTo(100 / 3, 12);
  });

  it('strict bounds exclude the bound itself', async () => {
    const r = await one('t', { column: 'n', expect: 'between', min: 1, strict_min: true });
    expect(r.result.unexpected_count).toBe(1);
    expect(r.result.partial_unexpected_list).toEqual([1]);
    expect(r.message).toContain('are outside (1, ∞)');
    const ages = await one('adult_clean', { column: 'age', expect: 'between', min: 17, max: 90, strict_min: true });
    expect(ages.result.unexpected_count).toBe(await scalar(conn, 'SELECT count(*) FROM adult_clean WHERE age = 17'));
  });

  it('zero rows or only nulls pass, as in Great Expectations', async () => {
    const report = await run('empty', [
      { column: 's', expect: 'in_set', values: ['b'] },
      { column: 'n', expect: 'not_null' },
      { column: 'n', expect: 'unique' },
    ]);
    expect(report.results.map((r) => r.success)).toEqual([true, true, true]);
    const nulls = await one('(SELECT NULL::INTEGER AS n FROM range(3))', { column: 'n', expect: 'between', min: 0 });
    expect(nulls.success).toBe(true);
    expect(nulls.message).toBe("column 'n': no non-null values to check");
  });

  it('regex searches rather than matching whole values', async () => {
    expect((await one('adult_test_raw', { column: 'income', expect: 'regex', pattern: 'K' })).success).toBe(true);
    expect((await one('adult_test_raw', { column: 'income', expect: 'regex', pattern: 'K$' })).result.unexpected_count).toBe(16281);
  });

  it('unique counts every occurrence of a repeated value', async () => {
    const r = await one('dup', { column: 'k', expect: 'unique' });
    expect(r.result).toMatchObject({ unexpected_count: 2, unexpected_percent: 40, unexpected_percent_nonmissing: 50, partial_unexpected_list: [1] });
    expect((await one('dup', { column: 'k', expect: 'unique', mostly: 0.5 })).success).toBe(true);
    const fnlwgt = await one('adult_clean', { column: 'fnlwgt', expect: 'unique' });
    const repeated = await scalar(conn, 'SELECT sum(n) FROM (SELECT count(*) AS n FROM adult_clean GROUP BY fnlwgt) WHERE n > 1');
    expect(fnlwgt.result.unexpected_count).toBe(repeated);
  });
});

describe('type', () => {
  it('reads text columns as the type, values by value', async () => {
    const report = await run('adult_raw', [
      { column: 'age', expect: 'type', type: 'integer' },
      { column: 'workclass', expect: 'type', type: 'integer' },
      { column: 'workclass', expect: 'type', type: 'string' },
    ]);
    expect(report.results.map((r) => r.success)).toEqual([true, false, true]);
    expect(report.results[1].result.unexpected_count).toBe(32561);
    expect(report.results[1].message).toMatch(/^column 'workclass' \(VARCHAR\): 32561 of 32561 values \(100\.0%\) are not integer; examples: 'Private'/);
  });

  it('checks typed columns by their SQL type', async () => {
    const report = await run('t', [
      { column: 'n', expect: 'type', type: 'integer' },
      { column: 'n', expect: 'type', type: 'double' },
      { column: 'n', expect: 'type', type: 'string' },
      { column: 'd', expect: 'type', type: 'integer' },
    ]);
    expect(report.results.map((r) => r.success)).toEqual([true, true, false, false]);
    expect(report.results[0].result.observed_value).toBe('INTEGER');
    expect(report.results[3].result.partial_unexpected_list).toEqual([2.5]);
  });
});

describe('aggregates', () => {
  it('row_count_between', async () => {
    const report = await run('adult_clean', [
      { expect: 'row_count_between', min: 1000, max: 100000 },
      { expect: 'row_count_between', min: 40000 },
    ]);
    expect(report.results.map((r) => [r.success, r.result.observed_value])).toEqual([[true, 32561], [false, 32561]]);
    expect(report.results[1].message).toBe('row count is 32561, outside [40000, ∞)');
  });

  it('mean and quantile agree with DuckDB computed separately', async () => {
    const mean = await scalar(conn, 'SELECT avg(age) FROM adult_clean');
    const median = await scalar(conn, 'SELECT quantile_cont(age, 0.5) FROM adult_clean');
    const report = await run('adult_clean', [
      { column: 'age', expect: 'mean_between', min: 30, max: 45 },
      { column: 'age', expect: 'quantile_between', quantile: 0.5, min: 30, max: 45 },
      { column: 'age', expect: 'mean_between', max: 38 },
    ]);
    expect(report.results.map((r) => r.success)).toEqual([true, true, false]);
    expect(report.results[0].result.observed_value).toBe(mean);
    expect(report.results[1].result.observed_value).toBe(median);
    expect(report.results[2].message).toMatch(/^column 'age': mean is 38\.58\d*, outside \(-∞, 38\]$/);
  });

  it('mean and quantile by hand: nulls left out, quantiles interpolated as numpy', async () => {
    // n = 1, 2, 3, 10 (and a null): mean 4; 25th percentile at position 0.75 → 1.75; median 2.5.
    const report = await run('t', [
      { column: 'n', expect: 'mean_between', min: 4, max: 4 },
      { column: 'n', expect: 'quantile_between', quantile: 0.25, min: 1.75, max: 1.75 },
      { column: 'n', expect: 'quantile_between', quantile: 0.5, min: 2.5, max: 2.5, strict_max: true },
      { column: 's', expect: 'mean_between', min: 0 },
    ]);
    expect(report.results.map((r) => r.result.observed_value)).toEqual([4, 1.75, 2.5, null]);
    expect(report.results.map((r) => r.success)).toEqual([true, true, false, false]);
    expect(report.results[3].message).toBe("column 's' has type VARCHAR; mean_between needs a numeric column");
  });
});

describe('problems become failed results, not crashes', () => {
  it('an unknown column fails its expectation and the others still run', async () => {
    const report = await run('adult_clean', [
      { column: 'salary', expect: 'not_null' },
      { column: 'salary', expect: 'between', min: 0, severity: 'warn' },
      { column: 'age', expect: 'not_null' },
    ]);
    expect(report.results.map((r) => r.success)).toEqual([false, false, true]);
    expect(report.results[0].message).toMatch(/^column 'salary' is not in the data \(its columns: 'age', 'workclass', /);
    expect(report.results[0].error).toBeDefined();
    expect(report.statistics).toEqual({ evaluated: 3, successful: 1, failed: 1, warnings: 1 });
    expect(report.success).toBe(false);
  });

  it('a failing warn expectation leaves the report successful', async () => {
    const report = await run('adult_raw', [{ ...WORKCLASS, severity: 'warn' }]);
    expect(report.success).toBe(true);
    expect(report.statistics.warnings).toBe(1);
  });

  it('an expectation DuckDB cannot evaluate fails alone', async () => {
    const report = await run('adult_clean', [
      { column: 'age', expect: 'in_set', values: ['young'] },
      { column: 'age', expect: 'between', min: 17, max: 90 },
    ]);
    expect(report.results[0].success).toBe(false);
    expect(report.results[0].message).toMatch(/^column 'age': in_set could not be checked: /);
    expect(report.results[1].success).toBe(true);
  });
});

describe('distribution against a reference', () => {
  const reference = { reference: 'adult_clean' };

  it('the test file has the same age and workclass distributions as the training file', async () => {
    const report = await run('adult_test_clean', [
      { column: 'age', expect: 'distribution', test: 'wasserstein' },
      { column: 'workclass', expect: 'distribution', test: 'psi' },
      { column: 'workclass', expect: 'distribution', test: 'chisquare' },
    ], reference);
    expect(report.results.map((r) => r.message)).toEqual([
      expect.stringMatching(/^column 'age': no drift from the reference \(wasserstein statistic [0-9.e-]+; drift when >= 0\.1\)$/),
      expect.stringMatching(/^column 'workclass': no drift .*psi/),
      expect.stringMatching(/^column 'workclass': no drift .*chisquare p-value/),
    ]);
    expect(report.success).toBe(true);
  });

  it('the figures are the drift library on the same values', async () => {
    const r = await one('adult_test_clean', { column: 'age', expect: 'distribution', test: 'ks' }, reference);
    const values = async (table: string) => Float64Array.from((await conn.runAndReadAll(`SELECT age::DOUBLE FROM ${table}`)).getColumnsJS()[0] as number[]);
    const expected = driftColumn(
      { name: 'age', type: 'number', values: await values('adult_clean') },
      { name: 'age', type: 'number', values: await values('adult_test_clean') },
      { test: 'ks' },
    );
    expect(r.result.details).toMatchObject({ statistic: expected.statistic, pValue: expected.pValue, drifted: expected.drifted });
    expect(r.result.observed_value).toBe(expected.pValue);
    expect(r.success).toBe(expected.drifted === false);
  });

  it('catches a shifted numeric column and a changed category mix', async () => {
    const report = await run('(SELECT * FROM adult_clean WHERE age > 40 AND workclass <> \'Private\')', [
      { column: 'age', expect: 'distribution', test: 'ks' },
      { column: 'workclass', expect: 'distribution', test: 'chisquare' },
      { column: 'workclass', expect: 'distribution', test: 'jensenshannon', threshold: 0.1 },
    ], reference);
    expect(report.results.map((r) => r.success)).toEqual([false, false, false]);
    expect(report.results[0].message).toMatch(/^column 'age': drifted from the reference \(ks p-value/);
  });

  it('without a reference, with a test that does not fit, or with too few rows, it fails with a reason', async () => {
    const noRef = await one('adult_clean', { column: 'age', expect: 'distribution' });
    expect(noRef.message).toBe("column 'age': no reference dataset was given to compare the distribution with");
    const ksOnText = await one('adult_test_clean', { column: 'workclass', expect: 'distribution', test: 'ks' }, reference);
    expect(ksOnText.success).toBe(false);
    expect(ksOnText.message).toContain("Test 'ks' does not apply to categorical column 'workclass'");
    const few = await one('(SELECT * FROM adult_clean LIMIT 10)', { column: 'age', expect: 'distribution', test: 'ks' }, reference);
    expect(few.success).toBe(false);
    expect(few.message).toBe("column 'age': too few values for a ks verdict (32561 in the reference, 10 here)");
  });
});
