/**
 * `sluice drift` through the real binary on real files: the Adult census data (CSV), flights
 * (Parquet written from vega-datasets' flights-3m), dataset versions of a project. The JSON is
 * checked against `driftReport` called directly on the same data read independently here, the
 * HTML is parsed per column, and the quality figures against counts computed in the test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { driftReport, type DriftColumn, type DriftReport, type DriftTable } from '../../src/monitoring/drift/index.js';
import { makeProject, repoRoot, sluice, sluiceJson, tempDir } from '../helpers/cli.js';

const ADULT = join(repoRoot, 'examples', 'income', 'data');
const FLIGHTS = join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');
const ADULT_ARGS = ['--delimiter', ', ', '--nulls', '?'];
const NUMERIC = new Set(['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']);

/** The Adult file parsed by hand: ", "-separated, '?' = missing. */
function parseAdult(file: string): { names: string[]; rows: string[][] } {
  const lines = readFileSync(join(ADULT, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return { names: lines[0].split(', '), rows: lines.slice(1).map((l) => l.split(', ')) };
}

function adultTable(file: string): DriftTable & { columns: DriftColumn[] } {
  const { names, rows } = parseAdult(file);
  return {
    columns: names.map((name, j): DriftColumn => {
      const raw = rows.map((r) => (r[j] === '?' ? null : r[j]));
      return NUMERIC.has(name)
        ? { name, type: 'number', values: Float64Array.from(raw, (v) => (v === null ? NaN : Number(v))) }
        : { name, type: 'string', values: raw };
    }),
  };
}

type CliReport = DriftReport & {
  reference: { source: string; kind: string; rows: number; dataset?: { id: string; name: string } };
  current: { source: string; kind: string; rows: number };
  onlyIn: { reference: string[]; current: string[] };
  coerced: string[];
  skipped: { reference: { name: string }[]; current: { name: string }[] };
  quality?: import('../../src/monitoring/quality.js').QualityReport;
};

/** Every figure of the CLI's JSON equals the direct report's (as JSON: +∞ and NaN become null). */
function expectSameReport(cli: CliReport, direct: DriftReport): void {
  const expected = JSON.parse(JSON.stringify(direct)) as DriftReport;
  expect(cli.columns.map((c) => c.column)).toEqual(expected.columns.map((c) => c.column));
  for (const [i, c] of cli.columns.entries()) {
    const e = expected.columns[i];
    expect({ column: c.column, type: c.type, test: c.test, drifted: c.drifted, threshold: c.threshold }).toEqual({
      column: e.column, type: e.type, test: e.test, drifted: e.drifted, threshold: e.threshold,
    });
    for (const k of ['statistic', 'pValue'] as const) {
      const [got, want] = [c[k], e[k]];
      if (typeof want === 'number' && want !== 0) expect(Math.abs((got as number) - want) / Math.abs(want), `${c.column} ${k}`).toBeLessThan(1e-12);
      else expect(got, `${c.column} ${k}`).toEqual(want);
    }
    expect(c.details.referenceMissing).toBe(e.details.referenceMissing);
    expect(c.details.currentMissing).toBe(e.details.currentMissing);
  }
  expect(cli.dataset).toEqual(expected.dataset);
}

describe('sluice drift on the Adult CSV files', () => {
  let cli: CliReport;
  let code: number;
  beforeAll(() => {
    ({ data: cli, code } = sluiceJson<CliReport>(ADULT, ['drift', 'adult.data', 'adult.test', ...ADULT_ARGS, '--quality']));
  });

  it('reports every column with the figures of driftReport on the same data', () => {
    expect(cli.reference).toMatchObject({ kind: 'file', rows: 32561 });
    expect(cli.current).toMatchObject({ kind: 'file', rows: 16281 });
    expectSameReport(cli, driftReport(adultTable('adult.data'), adultTable('adult.test')));
    // The test file's labels end with '.': the label column drifts, nothing else does.
    expect(cli.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['Y']);
  });

  it('exits 0 without dataset drift and 10 with it, unless only quality failed', () => {
    // Quality failed (the unseen '>50K.' labels): the documented drift exit code.
    expect(cli.quality?.passed).toBe(false);
    expect(code).toBe(10);
    const plain = sluice(ADULT, ['drift', 'adult.data', 'adult.test', ...ADULT_ARGS]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/no dataset drift: 1 of 15 columns drifted/);
    const strict = sluiceJson<CliReport>(ADULT, ['drift', 'adult.data', 'adult.test', ...ADULT_ARGS, '--drift-share', '0.05']);
    expect(strict.data.dataset.datasetDrift).toBe(true);
    expect(strict.code).toBe(10);
  });

  it('gives the same figures when the current side is JSONL or Parquet instead of CSV', async () => {
    const dir = tempDir();
    const { names, rows } = parseAdult('adult.test');
    const records = rows.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j] === '?' ? null : NUMERIC.has(n) ? Number(r[j]) : r[j]])));
    writeFileSync(join(dir, 'adult-test.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT * FROM read_json('${join(dir, 'adult-test.jsonl')}', format = 'newline_delimited')) TO '${join(dir, 'adult-test.parquet')}' (FORMAT parquet)`);
    conn.closeSync();
    instance.closeSync();
    for (const file of ['adult-test.jsonl', 'adult-test.parquet']) {
      const { data } = sluiceJson<CliReport>(ADULT, ['drift', 'adult.data', join(dir, file), ...ADULT_ARGS]);
      expect(data.current.rows, file).toBe(16281);
      expect(data.coerced, file).toEqual([]);
      expectSameReport(data, cli);
    }
  });

  it('compares a column numeric on one side and text on the other as categories', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ref.csv'), `code\n${Array.from({ length: 100 }, (_, i) => i % 4).join('\n')}\n`);
    writeFileSync(join(dir, 'cur.csv'), `code\n${Array.from({ length: 100 }, (_, i) => (i % 5 === 4 ? 'x' : i % 4)).join('\n')}\n`);
    const { data } = sluiceJson<CliReport>(dir, ['drift', 'ref.csv', 'cur.csv']);
    expect(data.coerced).toEqual(['code']);
    expect(data.columns[0]).toMatchObject({ column: 'code', type: 'categorical', drifted: true, details: { newCategories: ['x'] } });
  });

  it('prints a readable table with the test, score, threshold and verdict of each column', () => {
    const r = sluice(ADULT, ['drift', 'adult.data', 'adult.test', ...ADULT_ARGS, '--mode', 'tfdv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('COLUMN'))).toMatch(/COLUMN\s+KIND\s+TEST\s+SCORE\s+P-VALUE\s+DRIFT IF\s+VERDICT/);
    expect(lines.find((l) => l.startsWith('age '))).toMatch(/^age\s+numerical\s+jensenshannon\s+[\d.]+\s+score > 0\.1\s+no drift$/);
    expect(lines.find((l) => l.startsWith('Y '))).toMatch(/^Y\s+categorical\s+linf\s+[\d.]+\s+score > 0\.1\s+drifted$/);
  });

  it('checks quality against the reference: figures equal counts computed here', () => {
    const ref = parseAdult('adult.data');
    const cur = parseAdult('adult.test');
    const q = cli.quality!;
    expect(q.rows).toEqual({ reference: 32561, current: 16281 });
    for (const [j, name] of ref.names.entries()) {
      const col = q.columns.find((c) => c.column === name)!;
      const nulls = cur.rows.filter((r) => r[j] === '?').length;
      expect(col.nulls.count, name).toBe(nulls);
      expect(col.nulls.referenceShare, name).toBeCloseTo(ref.rows.filter((r) => r[j] === '?').length / ref.rows.length, 12);
      if (NUMERIC.has(name)) {
        const refValues = ref.rows.map((r) => Number(r[j]));
        const [lo, hi] = [Math.min(...refValues), Math.max(...refValues)];
        const outside = cur.rows.filter((r) => Number(r[j]) < lo || Number(r[j]) > hi).length;
        expect(col.range, name).toMatchObject({ min: lo, max: hi, source: 'reference', count: outside });
      } else {
        const known = new Set(ref.rows.map((r) => r[j]));
        const unseen = cur.rows.filter((r) => r[j] !== '?' && !known.has(r[j]));
        expect(col.unseen?.count, name).toBe(unseen.length);
        expect(col.unseen?.passed, name).toBe(unseen.length / (cur.rows.length - nulls) <= 0.01);
      }
    }
    expect(q.columns.find((c) => c.column === 'Y')?.unseen?.examples.map((e) => e.value).sort()).toEqual(['<=50K.', '>50K.']);
    expect(q.failures).toEqual(['Y: unseen categories']);
  });

  it('writes a self-contained HTML page with a section and a distribution plot per column', () => {
    const dir = tempDir();
    const out = join(dir, 'report.html');
    const r = sluice(ADULT, ['drift', 'adult.data', 'adult.test', ...ADULT_ARGS, '--html', out, '--quality']);
    expect(r.code).toBe(10);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)\b|src=|href="http/);
    const sections = [...html.matchAll(/<section class="column" id="([^"]+)" data-column="([^"]*)" data-drifted="(\w+)">([\s\S]*?)<\/section>/g)];
    expect(sections.map((s) => s[2])).toEqual(cli.columns.map((c) => c.column));
    for (const s of sections) {
      const c = cli.columns.find((x) => x.column === s[2])!;
      expect(s[3]).toBe(String(c.drifted));
      expect(s[4]).toContain(`<th>test</th><td>${c.test}</td>`);
      expect(s[4]).toMatch(/<svg [^>]*role="img"/);
      // Both sides drawn: reference and current bars.
      expect((s[4].match(/<title>reference /g) ?? []).length).toBeGreaterThan(0);
      expect((s[4].match(/<title>current /g) ?? []).length).toBeGreaterThan(0);
      expect(html).toContain(`href="#${s[1]}"`);
    }
    expect(html).toMatch(/<section id="quality"><h2>Data quality: <span class="fail">failed<\/span>/);
  });
});

/** Two Parquet files from flights-3m: January vs June, with the columns given as SQL. */
async function flightsFiles(dir: string, rows: number): Promise<{ ref: string; cur: string }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const select = `SELECT delay, distance, origin, destination, hour(date) AS hour,
    CASE WHEN delay > 15 THEN 'delayed' ELSE 'on time' END AS label FROM read_parquet('${FLIGHTS}')`;
  const ref = join(dir, 'january.parquet');
  const cur = join(dir, 'june.parquet');
  await conn.run(`COPY (${select} WHERE month(date) = 1 ORDER BY date, origin, destination, delay, distance LIMIT ${rows}) TO '${ref}' (FORMAT parquet)`);
  await conn.run(`COPY (${select} WHERE month(date) = 6 ORDER BY date, origin, destination, delay, distance LIMIT ${rows}) TO '${cur}' (FORMAT parquet)`);
  conn.closeSync();
  instance.closeSync();
  return { ref, cur };
}

/** A Parquet file read here, without Sluice's loader: numbers as Float64Array, text as strings. */
async function readParquetHere(path: string): Promise<DriftTable> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const r = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
  const names = r.columnNames();
  const data = r.getColumnsJS();
  conn.closeSync();
  instance.closeSync();
  return {
    columns: names.map((name, j): DriftColumn => {
      const v = data[j];
      return v.some((x) => typeof x === 'string')
        ? { name, type: 'string', values: v.map((x) => (x === null ? null : String(x))) }
        : { name, type: 'number', values: Float64Array.from(v, (x) => (x === null ? NaN : Number(x))) };
    }),
  };
}

describe('sluice drift on flights Parquet files', () => {
  it('compares January with June in every mode and correction exactly as driftReport does', async () => {
    const dir = tempDir();
    const { ref, cur } = await flightsFiles(dir, 50_000);
    const [a, b] = [await readParquetHere(ref), await readParquetHere(cur)];
    for (const [mode, correction] of [['evidently', 'none'], ['nannyml', 'bh'], ['tfdv', 'bonferroni']] as const) {
      const { code, data } = sluiceJson<CliReport>(dir, ['drift', ref, cur, '--mode', mode, '--correction', correction]);
      expectSameReport(data, driftReport(a, b, { mode, correction }));
      expect(code).toBe(data.dataset.datasetDrift ? 10 : 0);
    }
    // Prediction drift is a column like any other: the label (here the observed one) is compared as a category.
    const { data } = sluiceJson<CliReport>(dir, ['drift', ref, cur, '--columns', 'label,delay']);
    expect(data.columns.map((c) => [c.column, c.type])).toEqual([['delay', 'numerical'], ['label', 'categorical']]);
    expect(data.columns.find((c) => c.column === 'label')?.test).toBe('jensenshannon');
  });
});

describe('sluice drift edge cases', () => {
  const csv = (rows: Record<string, string | number | null>[]) => {
    const names = Object.keys(rows[0]);
    return [names.join(','), ...rows.map((r) => names.map((n) => r[n] ?? '').join(','))].join('\n') + '\n';
  };
  const ref = Array.from({ length: 200 }, (_, i) => ({
    constant: 'same', colour: i % 2 ? 'red' : 'blue', amount: i % 50, empty: null, only_ref: i, when: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
  }));
  const cur = Array.from({ length: 200 }, (_, i) => ({
    constant: 'same', colour: ['red', 'blue', 'green'][i % 3], amount: 100 + (i % 50), empty: null, only_cur: i, when: `2024-02-${String(1 + (i % 28)).padStart(2, '0')}`,
  }));
  const dir = makeProject({ 'ref.csv': csv(ref), 'cur.csv': csv(cur), 'small.csv': csv(cur.slice(0, 10)) });

  it('constant columns, new categories, all-null and one-sided columns are reported as documented', () => {
    const { code, data } = sluiceJson<CliReport>(dir, ['drift', 'ref.csv', 'cur.csv']);
    const col = (name: string) => data.columns.find((c) => c.column === name)!;
    expect(col('constant')).toMatchObject({ statistic: 0, drifted: false, details: { constant: 'both' } });
    expect(col('colour')).toMatchObject({ drifted: true, details: { newCategories: ['green'] } });
    // Disjoint ranges: every current amount lies where the reference has none.
    expect(col('amount').drifted).toBe(true);
    expect(col('empty')).toMatchObject({ drifted: null, insufficientData: true, details: { referenceMissing: 200, currentMissing: 200 } });
    expect(data.onlyIn).toEqual({ reference: ['only_ref'], current: ['only_cur'] });
    // Dates are compared only when named.
    expect(data.skipped.reference.map((s) => s.name)).toEqual(['when']);
    expect(data.dataset).toMatchObject({ columns: 4, evaluated: 3, insufficient: 1, drifted: 2, datasetDrift: true });
    expect(code).toBe(10);
    const dates = sluiceJson<CliReport>(dir, ['drift', 'ref.csv', 'cur.csv', '--columns', 'when']);
    expect(dates.data.columns).toMatchObject([{ column: 'when', type: 'numerical', drifted: true }]);
  });

  it('a window under the minimum rows gets figures but no verdict, and no dataset drift', () => {
    const { code, data } = sluiceJson<CliReport>(dir, ['drift', 'ref.csv', 'small.csv']);
    expect(data.current.rows).toBe(10);
    for (const c of data.columns) {
      expect(c.drifted, c.column).toBeNull();
      expect(c.insufficientData, c.column).toBe(true);
    }
    expect(data.columns.find((c) => c.column === 'amount')?.statistic).toBeGreaterThan(0);
    expect(data.dataset).toMatchObject({ evaluated: 0, insufficient: 4, datasetDrift: false });
    expect(code).toBe(0);
    // With a lower minimum, the same window gets verdicts.
    expect(sluiceJson<CliReport>(dir, ['drift', 'ref.csv', 'small.csv', '--min-rows', '5']).data.dataset.evaluated).toBe(3);
  });

  it('escapes column names and values in the HTML', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 2 ? '<script>alert(1)</script>' : "it's"));
    writeFileSync(join(dir, 'evil.csv'), `"<b>""x""&"\n${values.join('\n')}\n`);
    const out = join(dir, 'evil.html');
    expect(sluice(dir, ['drift', 'evil.csv', 'evil.csv', '--html', out]).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>"x"');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('data-column="&#60;b&#62;&#34;x&#34;&#38;"');
  });

  it('fails clearly on a missing file, an unreadable file, no common columns and bad options', () => {
    writeFileSync(join(dir, 'broken.parquet'), 'this is not parquet');
    writeFileSync(join(dir, 'other.csv'), csv([{ a: 1, b: 2 }]));
    const cases: [string[], number, string, RegExp][] = [
      [['drift', 'ref.csv', 'missing.csv'], 3, 'SOURCE_NOT_FOUND', /missing\.csv does not exist/],
      [['drift', 'ref.csv', 'broken.parquet'], 3, 'DATA_INVALID', /Cannot read broken\.parquet as PARQUET/],
      [['drift', 'ref.csv', 'other.csv'], 3, 'SCHEMA_MISMATCH', /no column in common/],
      [['drift', 'ref.csv', 'cur.csv', '--columns', 'nope'], 2, 'USAGE', /Column 'nope' is not in the reference data/],
      [['drift', 'ref.csv', 'cur.csv', '--mode', 'scipy'], 2, 'USAGE', /--mode must be one of evidently, tfdv, nannyml/],
      [['drift', 'ref.csv', 'cur.csv', '--drift-share', '2'], 2, 'USAGE', /--drift-share/],
      // Not a file, and no project to look a dataset version up in.
      [['drift', 'ref.csv', 'some_dataset'], 2, 'CONFIG_NOT_FOUND', /sluice\.yaml/],
    ];
    for (const [args, exit, errorCode, message] of cases) {
      const { code, data } = sluiceJson<{ error: { code: string; message: string; hint?: string } }>(dir, args);
      expect(code, args.join(' ')).toBe(exit);
      expect(data.error.code, args.join(' ')).toBe(errorCode);
      expect(data.error.message, args.join(' ')).toMatch(message);
    }
    const text = sluice(dir, ['drift', 'ref.csv', 'missing.csv']);
    expect(text.stderr).toMatch(/error: File missing\.csv does not exist\n\s+at:\s+missing\.csv\n\s+hint:/);
  });
});

describe('sluice drift on dataset versions', () => {
  it('compares two dataset versions by name, and checks quality with the reference expectations', () => {
    const yaml = readFileSync(join(repoRoot, 'examples', 'income', 'sluice.yaml'), 'utf8');
    const dir = makeProject({
      'sluice.yaml': yaml.slice(0, yaml.indexOf('  split:')),
      'expectations/adult.yaml': readFileSync(join(repoRoot, 'examples', 'income', 'expectations', 'adult.yaml'), 'utf8'),
      'data/adult.data': readFileSync(join(ADULT, 'adult.data'), 'utf8'),
      'data/adult.test': readFileSync(join(ADULT, 'adult.test'), 'utf8'),
    });
    expect(sluice(dir, ['run']).code).toBe(0);
    const { code, data } = sluiceJson<CliReport>(dir, ['drift', 'checked', 'checked_test', '--quality']);
    expect(data.reference).toMatchObject({ kind: 'dataset', rows: 32561, dataset: { name: 'checked' } });
    expect(data.current).toMatchObject({ kind: 'dataset', rows: 16281 });
    // Cleaned labels: no drift, and the quality checks pass.
    expect(data.columns.find((c) => c.column === 'income')?.drifted).toBe(false);
    expect(data.dataset.datasetDrift).toBe(false);
    const q = data.quality!;
    expect(q.columns.find((c) => c.column === 'age')?.range).toMatchObject({ min: 17, max: 90, source: 'expectation' });
    expect(q.columns.find((c) => c.column === 'workclass')?.unseen).toMatchObject({ source: 'expectation', count: 0 });
    expect(q.columns.find((c) => c.column === 'fnlwgt')?.range?.source).toBe('reference');
    expect(q.passed).toBe(true);
    expect(code).toBe(0);
    const missing = sluiceJson<{ error: { code: string } }>(dir, ['drift', 'checked', 'no_such_dataset']);
    expect([missing.code, missing.data.error.code]).toEqual([4, 'NOT_FOUND']);
    // A dataset name with a dot (the acquired 'adult.raw') is a dataset, not a missing file…
    const dotted = sluiceJson<CliReport>(dir, ['drift', 'adult.raw', 'checked', '--columns', 'age,sex']);
    expect(dotted.data.reference).toMatchObject({ kind: 'dataset', rows: 32561, dataset: { name: 'adult.raw' } });
    // …and a file name that is neither says so.
    const neither = sluice(dir, ['drift', 'checked', 'nope.csv']);
    expect(neither.code).toBe(3);
    expect(neither.stderr).toMatch(/File nope\.csv does not exist[\s\S]*no dataset version is named 'nope\.csv' either/);
  });
});
