import { describe, expect, it } from 'vitest';
import { expectClose, loadCases } from '../../test/reference/evaluation/cases.js';
import { SluiceError } from '../errors.js';
import { _quantileSorted } from './_quantile.js';
import { FAIRNESS_METRICS, fairnessReport, type SensitiveAttribute } from './fairness.js';

type Value = string | number;
interface AttributeCase {
  attribute: string;
  values: Value[];
  privileged: Value;
  groups: { value: Value; count: number; selection_rate: number; tpr: number; fpr: number }[];
  metrics: Record<string, number | null>;
  comparisons: (Record<string, number | null> & { value: Value })[];
  bootstrap?: Record<'selection_rate' | 'tpr', { difference: [number, number]; ratio: [number, number] }>;
}
interface FairnessCase {
  name: string;
  threshold: number;
  y: number[];
  proba: number[];
  privileged: Record<string, Value>;
  attributes: AttributeCase[];
}
// fairlearn's MetricFrame and *_difference / *_ratio values, and AIF360's formulas, written by
// test/reference/evaluation/fairlearn_reference.py.
const { cases } = loadCases<{ cases: FairnessCase[] }>('fairlearn_cases.json');

const toAttribute = (a: AttributeCase): SensitiveAttribute => ({
  name: a.attribute,
  values: typeof a.values[0] === 'number' ? Float64Array.from(a.values as number[]) : (a.values as string[]),
});

describe('fairnessReport', () => {
  for (const c of cases) {
    it(`matches fairlearn within 1e-12: ${c.name}`, () => {
      const report = fairnessReport(c.attributes.map(toAttribute), Uint8Array.from(c.y), Float64Array.from(c.proba), {
        threshold: c.threshold,
        privileged: c.privileged,
        bootstrap: false,
      });
      expect(report.bootstrap).toBeNull();
      c.attributes.forEach((want, k) => {
        const got = report.attributes[k];
        expect(got.attribute).toBe(want.attribute);
        expect(got.groups.map((g) => [g.value, g.count])).toEqual(want.groups.map((g) => [g.value, g.count]));
        for (const rate of ['selection_rate', 'tpr', 'fpr'] as const) {
          expectClose(got.groups.map((g) => g[rate]), want.groups.map((g) => g[rate]), `${want.attribute} ${rate}`);
        }
        for (const [m, v] of Object.entries(want.metrics)) expectClose(got.metrics[m as keyof typeof got.metrics], v, `${want.attribute} ${m}`);
        expect(got.privileged).toEqual({ value: want.privileged, source: want.attribute in c.privileged ? 'given' : 'highest_selection_rate' });
        expect(got.comparisons.map((x) => x.value)).toEqual(want.comparisons.map((x) => x.value));
        for (const m of ['disparate_impact', 'statistical_parity_difference', 'equal_opportunity_difference', 'average_odds_difference'] as const) {
          expectClose(got.comparisons.map((x) => x[m]), want.comparisons.map((x) => x[m]), `${want.attribute} ${m}`);
        }
      });
    });
  }

  it('with the highest selection rate as privileged, disparate impact is the demographic parity ratio', () => {
    const c = cases[0];
    const report = fairnessReport(c.attributes.map(toAttribute), Uint8Array.from(c.y), Float64Array.from(c.proba), { bootstrap: false });
    for (const a of report.attributes) {
      expect(a.metrics.disparate_impact).toBeCloseTo(a.metrics.demographic_parity_ratio, 15);
      expect(a.metrics.statistical_parity_difference).toBeCloseTo(-a.metrics.demographic_parity_difference, 15);
      const worst = a.comparisons.reduce((w, x) => (x.disparate_impact < w.disparate_impact ? x : w));
      expect(a.four_fifths).toEqual({ passed: a.metrics.disparate_impact >= 0.8, ratio: a.metrics.disparate_impact, group: worst.value });
    }
    expect(report.attributes.map((a) => a.four_fifths.passed)).toEqual([false, false, true]); // sex, race, age
  });

  it('judges the four-fifths rule against a given privileged group, and fails it when undefined', () => {
    const y = Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 0]);
    const p = Float64Array.from([0.9, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9]);
    const g = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];
    const given = fairnessReport([{ name: 'g', values: g }], y, p, { privileged: { g: 'b' }, bootstrap: false }).attributes[0];
    expect(given.four_fifths).toEqual({ passed: false, ratio: 0.75, group: 'a' });
    const none = fairnessReport([{ name: 'g', values: g }], y, new Float64Array(8), { bootstrap: false }).attributes[0];
    expect(none.metrics.disparate_impact).toBeNaN();
    expect(none.four_fifths.passed).toBe(false);
  });

  it('treats missing attribute values as their own group, and a single group as parity', () => {
    const y = Uint8Array.from([1, 0, 1, 0]);
    const p = Float64Array.from([0.9, 0.1, 0.2, 0.8]);
    const [a, b] = fairnessReport(
      [{ name: 'age', values: Float64Array.from([30, NaN, 30, NaN]) }, { name: 'one', values: ['x', 'x', 'x', 'x'] }],
      y, p, { bootstrap: false },
    ).attributes;
    expect(a.groups.map((g) => [g.value, g.count, g.selection_rate])).toEqual([[30, 2, 0.5], [null, 2, 0.5]]);
    expect(b.metrics).toMatchObject({ demographic_parity_difference: 0, demographic_parity_ratio: 1, disparate_impact: 1, statistical_parity_difference: 0 });
    expect(b.comparisons).toEqual([]);
  });

  it('refuses a privileged value the attribute does not have, naming the values', () => {
    const run = () => fairnessReport([{ name: 'sex', values: ['F', 'M'] }], Uint8Array.from([1, 0]), Float64Array.from([0.6, 0.4]), { privileged: { sex: 'male' } });
    expect(run).toThrow(SluiceError);
    expect(run).toThrow("Privileged group 'male' is not a value of sensitive attribute 'sex' (values: 'F', 'M')");
  });
});

describe('fairnessReport bootstrap intervals', () => {
  const c = cases[0];
  const y = Uint8Array.from(c.y);
  const p = Float64Array.from(c.proba);
  const attributes = c.attributes.map(toAttribute);
  const report = fairnessReport(attributes, y, p);

  it('defaults to 1000 resamples, 95% and seed 0, and is deterministic for a seed', () => {
    expect(report.bootstrap).toEqual({ resamples: 1000, confidence: 0.95, seed: 0 });
    expect(fairnessReport(attributes, y, p)).toEqual(report);
    const other = fairnessReport(attributes, y, p, { bootstrap: { seed: 7 } });
    expect(other.attributes[0].intervals).not.toEqual(report.attributes[0].intervals);
    expect(other.attributes[0].metrics).toEqual(report.attributes[0].metrics);
  });

  it('gives ordered bounds, and brackets the estimates where group gaps are large', () => {
    for (const a of report.attributes) {
      for (const m of FAIRNESS_METRICS) expect(a.intervals![m].low, `${a.attribute} ${m}`).toBeLessThanOrEqual(a.intervals![m].high);
    }
    // Where groups are close (age), max − min over resampled groups is biased upwards, so a
    // percentile interval can sit above the estimate: a known limit of the percentile bootstrap.
    for (const a of report.attributes.filter((a) => a.attribute === 'sex')) {
      for (const m of FAIRNESS_METRICS) {
        const { low, high } = a.intervals![m];
        expect(low, `${a.attribute} ${m}`).toBeLessThanOrEqual(a.metrics[m]);
        expect(high, `${a.attribute} ${m}`).toBeGreaterThanOrEqual(a.metrics[m]);
      }
    }
  });

  it("agrees with fairlearn's bootstrap intervals within Monte Carlo error (different random streams)", () => {
    for (const want of c.attributes.filter((a) => a.attribute !== 'race')) {
      const got = report.attributes.find((a) => a.attribute === want.attribute)!.intervals!;
      const pairs = [
        [got.demographic_parity_difference, want.bootstrap!.selection_rate.difference],
        [got.demographic_parity_ratio, want.bootstrap!.selection_rate.ratio],
        [got.equal_opportunity_difference, want.bootstrap!.tpr.difference],
      ] as const;
      for (const [ours, theirs] of pairs) {
        expect(Math.abs(ours.low - theirs[0]), want.attribute).toBeLessThan(0.02);
        expect(Math.abs(ours.high - theirs[1]), want.attribute).toBeLessThan(0.02);
      }
    }
  });

  it('refuses nonsensical bootstrap options', () => {
    expect(() => fairnessReport(attributes, y, p, { bootstrap: { resamples: 0 } })).toThrow(/resamples/);
    expect(() => fairnessReport(attributes, y, p, { bootstrap: { confidence: 95 } })).toThrow(/confidence/);
  });
});

describe('percentile', () => {
  it("equals numpy's default quantile bit for bit", () => {
    const { quantiles } = loadCases<{ quantiles: { sample: number[]; q: number[]; expected: number[] } }>('sklearn_cases.json');
    const sorted = Float64Array.from(quantiles.sample).sort();
    expect(quantiles.q.map((q) => _quantileSorted(sorted, q))).toEqual(quantiles.expected);
  });
});
