import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdult, parse } from './_adult.js';
import { formatReportTable, reportHtml } from './report.js';
import { runExpectations, type ExpectationsReport } from './run.js';

let conn: DuckDBConnection;
let close: () => void;
let report: ExpectationsReport;

beforeAll(async () => {
  ({ conn, close } = await openAdult());
  report = await runExpectations(conn, 'adult_test_raw', parse([
    { column: 'age', expect: 'type', type: 'integer' },
    { column: 'income', expect: 'in_set', values: ['<=50K', '>50K'], description: 'Labels as in adult.data <b>' },
    { column: 'workclass', expect: 'not_null', mostly: 0.99, severity: 'warn' },
    { expect: 'row_count_between', min: 1000 },
  ]));
});
afterAll(() => close());

describe('formatReportTable', () => {
  it('shows one aligned line per expectation and a summary', () => {
    const text = formatReportTable(report);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {3}expectation\s+column\s+observed\s+unexpected\s+message$/);
    expect(lines[1]).toMatch(/^✓  type integer\s+age\s+VARCHAR\s+0%  column 'age' \(VARCHAR\): all 16281 non-null values are integer$/);
    expect(lines[2]).toMatch(/^✗  in_set \(2 values\)\s+income\s+100\.0%  column 'income': 16281 of 16281 values/);
    expect(lines[3]).toMatch(/^✓  not_null, mostly 0\.99\s+workclass\s+0%  /);
    expect(lines[4]).toMatch(/^✓  row count in \[1000, ∞\)\s+16281\s+row count is 16281, within \[1000, ∞\)$/);
    const at = lines[0].indexOf('message');
    report.results.forEach((r, i) => expect(lines[i + 1].indexOf(r.message)).toBe(at));
    expect(lines.at(-1)).toBe('Failed: 3 of 4 expectations met, 1 failed');
  });

  it('marks a failing warn expectation with ⚠', async () => {
    const warn = await runExpectations(conn, 'adult_raw', parse([{ column: 'workclass', expect: 'in_set', values: ['Private'], severity: 'warn' }]));
    const text = formatReportTable(warn);
    expect(text.split('\n')[1].startsWith('⚠  in_set (1 value)')).toBe(true);
    expect(text.trimEnd().split('\n').at(-1)).toBe('Passed: 0 of 1 expectations met, 0 failed, 1 warning');
  });
});

describe('reportHtml', () => {
  it('is one self-contained page with escaped text and light and dark styles', () => {
    const html = reportHtml(report, { title: 'adult.test <raw>' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>adult.test &lt;raw&gt;</title>');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('&#39;&lt;=50K.&#39;');
    expect(html).toContain('Labels as in adult.data &lt;b&gt;');
    expect(html).not.toMatch(/<=50K|<b>|https?:|<link|<script|src=/);
    expect(html.match(/<tr>/g)?.length).toBe(5);
  });
});
