/** Plot data (shared bins, top categories) and the HTML page built from a report. */
import { describe, expect, it } from 'vitest';
import { driftReport, type DriftColumn } from './drift/index.js';
import { distribution, driftDistributions, type CategoricalDistribution, type NumericDistribution } from './distributions.js';
import { renderDriftHtml } from './report-html.js';

const num = (name: string, values: number[]): DriftColumn => ({ name, type: 'number', values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): DriftColumn => ({ name, type: 'string', values });
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('driftDistributions', () => {
  it('bins both sides on the same edges; counts add up to the values inside the range', () => {
    const ref = seq(1000, (i) => i % 100);
    const cur = seq(1000, (i) => 200 + (i % 100)); // disjoint: the bins in between are empty on both sides
    const d = distribution(num('x', ref), num('x', cur), 'numerical') as NumericDistribution;
    expect(d.edges.length).toBe(d.reference.length + 1);
    expect(d.edges[0]).toBeLessThanOrEqual(0.5);
    expect(d.edges.at(-1)).toBeGreaterThanOrEqual(298.5);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(sum(d.reference) + d.outside.reference[0] + d.outside.reference[1]).toBe(1000);
    expect(sum(d.current) + d.outside.current[0] + d.outside.current[1]).toBe(1000);
    const empty = d.reference.map((r, i) => r + d.current[i]).filter((k) => k === 0).length;
    expect(empty).toBeGreaterThan(0);
    // Counted here: reference values in the first bin.
    expect(d.reference[0]).toBe(ref.filter((v) => v >= d.edges[0] && v < d.edges[1]).length);
  });

  it('draws a constant column as one bin, and missing values are left out', () => {
    const d = distribution(num('k', [5, 5, NaN, 5]), num('k', [5, 5]), 'numerical') as NumericDistribution;
    expect(d).toMatchObject({ edges: [4.5, 5.5], reference: [3], current: [2], totals: { reference: 3, current: 2 } });
  });

  it('keeps the top categories of either side and folds the rest into one bar', () => {
    const ref = str('c', [...Array.from({ length: 300 }, (_, i) => `r${i % 20}`), null]);
    const cur = str('c', Array.from({ length: 300 }, (_, i) => (i < 150 ? 'new' : `r${i % 20}`)));
    const d = distribution(ref, cur, 'categorical', { topCategories: 5 }) as CategoricalDistribution;
    expect(d.labels[0]).toBe('new'); // frequent only in the current window, still shown
    expect(d.labels).toHaveLength(6);
    expect(d.labels[5]).toBe('(16 others)');
    expect(d.other).toBe(16);
    expect(d.totals).toEqual({ reference: 300, current: 300 });
    expect(d.reference.reduce((a, b) => a + b, 0)).toBe(300);
  });
});

describe('renderDriftHtml', () => {
  it('renders a monitor-style report with its metadata, escaped, and a section per column', () => {
    const ref = { columns: [num('amount', seq(500, (i) => i % 97)), str('colour', Array.from({ length: 500 }, (_, i) => ['red', 'blue'][i % 2]))] };
    const cur = { columns: [num('amount', seq(500, (i) => 50 + (i % 97))), str('colour', Array.from({ length: 500 }, (_, i) => ['red', 'blue', '<i>green</i>'][i % 3]))] };
    const report = driftReport(ref, cur);
    const html = renderDriftHtml(
      { ...report, distributions: driftDistributions(ref, cur, report) },
      { title: 'Monitor <income>', reference: { label: 'dataset checked ds-1', rows: 500 }, current: { label: 'window 10:00–11:00', rows: 500 }, facts: { monitor: 'income & co' } },
    );
    expect(html).toContain('<title>Monitor &#60;income&#62;</title>');
    expect(html).toContain('income &#38; co');
    expect(html).not.toContain('<i>green</i>');
    expect(html).not.toMatch(/generated /); // no time given: the page is reproducible
    const sections = [...html.matchAll(/<section class="column" id="[^"]+" data-column="([^"]+)" data-drifted="(\w+)">/g)].map((m) => [m[1], m[2]]);
    expect(sections).toEqual(report.columns.map((c) => [c.column, String(c.drifted)]));
    expect(html).toMatch(/Summary: <span class="fail">dataset drift detected<\/span>/);
  });
});
