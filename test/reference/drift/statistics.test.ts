/**
 * Every drift statistic against numpy/scipy: expected.json is written by reference.py (run it
 * after changing either side). Agreement is 1e-9 relative; an expected 0 must be (almost) 0.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  adjustPValues, chi2Sf, doaneEdges, driftColumn, ks2samp, kolmogorovSf, lgamma, normalTwoSidedP, quantilesSorted,
  smirnovSf, sortedFinite, std, sturgesEdges, wassersteinDistance,
  type DriftColumn, type DriftMode, type NumericBinning, type StatTestName,
} from '../../../src/monitoring/drift/index.js';
import { checksum, generate, type SampleSpec } from './samples.js';

type Num = number | 'inf' | '-inf' | 'nan';
interface Case { kind: string; [k: string]: unknown }
const doc = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8')) as {
  samples: Record<string, { spec: SampleSpec; checksum: number; length: number }>;
  cases: Case[];
};

const data = new Map<string, (number | string | null)[]>();
for (const [name, s] of Object.entries(doc.samples)) data.set(name, generate(s.spec));
const sorted = (name: string) => sortedFinite(Float64Array.from(data.get(name)! as number[])).sorted;

function column(name: string): DriftColumn {
  const v = data.get(name)!;
  return doc.samples[name].spec.gen === 'cat'
    ? { name: 'x', type: 'string', values: v as (string | null)[] }
    : { name: 'x', type: 'number', values: Float64Array.from(v as number[]) };
}

const REL = 1e-9;
function decode(e: Num): number {
  return e === 'inf' ? Infinity : e === '-inf' ? -Infinity : e === 'nan' ? NaN : e;
}
let worst = 0; // largest relative error seen, printed with DRIFT_SHOW_ERRORS=1
function close(actual: number | undefined, expected: Num): boolean {
  const e = decode(expected);
  if (actual !== undefined && Number.isFinite(e) && e !== 0) worst = Math.max(worst, Math.abs(actual - e) / Math.abs(e));
  if (actual === undefined) return false;
  if (Number.isNaN(e)) return Number.isNaN(actual);
  if (!Number.isFinite(e)) return actual === e;
  if (e === 0) return Math.abs(actual) <= 1e-300;
  return Math.abs(actual - e) <= REL * Math.abs(e);
}

/** Runs cases of one kind, collecting every mismatch so one failure shows them all. */
function check(kind: string, run: (c: Case) => { got: unknown; ok: boolean }): void {
  const cases = doc.cases.filter((c) => c.kind === kind);
  expect(cases.length).toBeGreaterThan(0);
  const bad: string[] = [];
  for (const c of cases) {
    const { got, ok } = run(c);
    if (!ok) bad.push(`${JSON.stringify({ ...c, kind: undefined })}\n   got ${JSON.stringify(got, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
  }
  if (process.env.DRIFT_SHOW_ERRORS) console.log(`${kind}: worst relative error ${worst.toExponential(2)}`);
  worst = 0;
  expect(bad, `${bad.length}/${cases.length} mismatches`).toEqual([]);
}

describe('reference samples', () => {
  it('regenerates every sample of reference.py bit for bit', () => {
    for (const [name, s] of Object.entries(doc.samples)) {
      expect(data.get(name)!.length, name).toBe(s.length);
      expect(checksum(data.get(name)!), name).toBe(s.checksum);
    }
  });
});

describe('distributions and special functions vs scipy', () => {
  it('kstwo.sf over every branch of kolmogn', () =>
    check('kolmogorovSf', (c) => { const got = kolmogorovSf(c.n as number, c.x as number); return { got, ok: close(got, c.expect as Num) }; }));
  it('special.smirnov', () =>
    check('smirnovSf', (c) => { const got = smirnovSf(c.n as number, c.x as number); return { got, ok: close(got, c.expect as Num) }; }));
  it('chi2.sf', () =>
    check('chi2Sf', (c) => { const got = chi2Sf(c.x as number, c.df as number); return { got, ok: close(got, c.expect as Num) }; }));
  it('2·norm.sf(|z|)', () =>
    check('normalTwoSidedP', (c) => { const got = normalTwoSidedP(c.z as number); return { got, ok: close(got, c.expect as Num) }; }));
  it('gammaln', () => check('lgamma', (c) => {
    const got = lgamma(c.x as number);
    // ln Γ crosses 0 at 1 and 2; compare absolutely near there.
    const e = c.expect as number;
    return { got, ok: Math.abs(e) < 1e-3 ? Math.abs(got - e) < 1e-15 : close(got, e) };
  }));
  it('false_discovery_control and Bonferroni', () => {
    check('bh', (c) => { const got = adjustPValues(c.p as number[], 'bh'); return { got, ok: got.every((v, i) => close(v, (c.expect as number[])[i])) }; });
    check('bonferroni', (c) => { const got = adjustPValues(c.p as number[], 'bonferroni'); return { got, ok: got.every((v, i) => close(v, (c.expect as number[])[i])) }; });
  });
});

describe('two-sample statistics vs scipy', () => {
  it('ks_2samp (exact and asymptotic, ties, constants)', () => check('ks', (c) => {
    const got = ks2samp(sorted(c.a as string), sorted(c.b as string));
    const e = c.expect as { statistic: Num; pValue: Num; method: string };
    return { got, ok: close(got.statistic, e.statistic) && close(got.pValue, e.pValue) && got.method === e.method };
  }));
  it('wasserstein_distance', () => check('wasserstein', (c) => {
    const got = wassersteinDistance(sorted(c.a as string), sorted(c.b as string));
    return { got, ok: close(got, c.expect as Num) };
  }));
  it('np.std', () => check('std', (c) => { const got = std(sorted(c.a as string)); return { got, ok: close(got, c.expect as Num) }; }));
  it('histogram_bin_edges (sturges on ref ∪ cur, doane on ref) and np.quantile', () => check('edges', (c) => {
    const a = sorted(c.a as string), b = sorted(c.b as string);
    const got = c.binning === 'sturges' ? sturgesEdges(a, b)
      : c.binning === 'doane' ? doaneEdges(a)
      : quantilesSorted(a, Array.from({ length: 9 }, (_, i) => (i + 1) * (1 / 10)));
    const e = c.expect as number[];
    return { got: Array.from(got), ok: got.length === e.length && Array.from(got).every((v, i) => close(v, e[i])) };
  }));
});

describe('column drift per mode and test vs the tools restated in numpy/scipy', () => {
  for (const mode of ['evidently', 'tfdv', 'nannyml'] as const) {
    it(mode, () => check('column', (c) => {
      if (c.mode !== mode) return { got: null, ok: true };
      const r = driftColumn(column(c.a as string), column(c.b as string), {
        mode: c.mode as DriftMode,
        test: c.test as StatTestName,
        kind: c.columnKind as 'numerical' | 'categorical',
        minRows: 1,
        binning: c.binning as NumericBinning | undefined,
      });
      const e = c.expect as { statistic: Num; pValue?: Num; method?: string };
      const ok = close(r.statistic, e.statistic)
        && (e.pValue === undefined ? r.pValue === undefined : close(r.pValue, e.pValue))
        && (e.method === undefined || r.details.method === e.method);
      return { got: { statistic: r.statistic, pValue: r.pValue, method: r.details.method }, ok };
    }));
  }
});
