/**
 * Behaviour of the drift report beyond the numbers: test selection, modes' operators, edge
 * cases (constant columns, empty bins, new categories, missing values, too few rows),
 * dataset share and p-value corrections.
 */
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/errors.js';
import {
  driftColumn, driftReport, sortInPlace, MODES,
  type DriftColumn,
} from '../../../src/monitoring/drift/index.js';
import { generate, xorshift32 } from './samples.js';

const num = (values: ArrayLike<number>, name = 'x'): DriftColumn => ({ name, type: 'number', values: Float64Array.from(values) });
const str = (values: (string | null)[], name = 'x'): DriftColumn => ({ name, type: 'string', values });
const normal = (n: number, seed: number, shift = 0, div = 100) => generate({ gen: 'normal', n, seed, shift, div }) as number[];
const cats = (n: number, seed: number, weights: number[], labels?: string[]) =>
  generate({ gen: 'cat', n, seed, weights, labels }) as string[];

describe('default test selection (Evidently table)', () => {
  const pick = (ref: DriftColumn, cur: DriftColumn) => driftColumn(ref, cur).test;
  it('numerical: ks up to 1000 reference rows, wasserstein above', () => {
    expect(pick(num(normal(1000, 1)), num(normal(50, 2)))).toBe('ks');
    expect(pick(num(normal(1001, 1)), num(normal(50, 2)))).toBe('wasserstein');
  });
  it('numerical with few values: chisquare (3–5), z (≤ 2), jensenshannon above 1000 rows', () => {
    const v = (n: number, k: number) => Array.from({ length: n }, (_, i) => (i % k) + 0.5);
    expect(pick(num(v(500, 4)), num(v(500, 4)))).toBe('chisquare');
    expect(pick(num(v(500, 2)), num(v(500, 2)))).toBe('z');
    expect(pick(num(v(2000, 5)), num(v(500, 5)))).toBe('jensenshannon');
  });
  it('categorical: chisquare (> 2 values) or z (binary) up to 1000 rows, jensenshannon above', () => {
    expect(pick(str(cats(800, 3, [1, 1, 1])), str(cats(800, 4, [1, 1, 1])))).toBe('chisquare');
    expect(pick(str(cats(800, 3, [1, 1])), str(cats(800, 4, [1, 1])))).toBe('z');
    expect(pick(str(cats(1500, 3, [1, 1, 1])), str(cats(800, 4, [1, 1, 1])))).toBe('jensenshannon');
  });
  it('integer-valued columns with ≤ 10 distinct reference values are categorical in evidently mode only', () => {
    const ints = Array.from({ length: 2000 }, (_, i) => i % 7);
    const r = driftColumn(num(ints), num(ints));
    expect(r.type).toBe('categorical');
    expect(r.test).toBe('jensenshannon');
    expect(driftColumn(num(ints), num(ints), { mode: 'nannyml' }).type).toBe('numerical');
  });
  it('tfdv: JS divergence for numbers, L-infinity for categories; nannyml: JS distance for both', () => {
    expect(driftColumn(num(normal(100, 1)), num(normal(100, 2)), { mode: 'tfdv' }).test).toBe('jensenshannon');
    expect(driftColumn(str(cats(100, 1, [1, 2])), str(cats(100, 2, [1, 2])), { mode: 'tfdv' }).test).toBe('linf');
    expect(driftColumn(str(cats(100, 1, [1, 2])), str(cats(100, 2, [1, 2])), { mode: 'nannyml' }).test).toBe('jensenshannon');
  });
  it('a test that does not fit the column is a config error', () => {
    expect(() => driftColumn(str(['a', 'b']), str(['a']), { test: 'ks' })).toThrow(SluiceError);
  });
});

describe('operators differ by mode (≥ vs >, ≤ vs <)', () => {
  it('ks: Evidently drifts at p ≤ threshold, NannyML only below', () => {
    const ref = num(normal(200, 5)), cur = num(normal(200, 6, 40));
    const p = driftColumn(ref, cur, { test: 'ks' }).pValue!;
    expect(driftColumn(ref, cur, { test: 'ks', threshold: p }).drifted).toBe(true);
    expect(driftColumn(ref, cur, { test: 'ks', threshold: p, mode: 'nannyml' }).drifted).toBe(false);
  });
  it('distances: Evidently drifts at value ≥ threshold, TFDV and NannyML above it', () => {
    const ref = str(cats(500, 7, [3, 2, 1])), cur = str(cats(500, 8, [1, 2, 3]));
    const v = driftColumn(ref, cur, { test: 'linf', mode: 'tfdv' }).statistic;
    expect(driftColumn(ref, cur, { test: 'linf', threshold: v }).drifted).toBe(true);
    expect(driftColumn(ref, cur, { test: 'linf', threshold: v, mode: 'tfdv' }).drifted).toBe(false);
  });
  it('every mode sets a verdict for every test', () => {
    for (const cfg of Object.values(MODES)) for (const v of Object.values(cfg.verdicts)) expect(v.threshold).toBeGreaterThan(0);
  });
});

describe('edge cases', () => {
  it('constant column, same value both sides: no drift, p = 1, marked constant', () => {
    const c = num(new Array(100).fill(3));
    for (const test of ['ks', 'wasserstein', 'psi', 'jensenshannon', 'kl_div', 'chisquare', 'z'] as const) {
      const r = driftColumn(c, c, { test });
      expect(r.drifted, test).toBe(false);
      expect(r.details.constant).toBe('both');
      if (r.pValue !== undefined) expect(r.pValue).toBe(1);
      else expect(r.statistic).toBe(0);
    }
    // scipy's chisquare returns NaN with one category (Evidently #1929); Sluice reports p = 1.
    expect(driftColumn(c, c, { test: 'chisquare' }).details.note).toMatch(/NaN/);
  });
  it('constant reference only: Wasserstein is divided by 0.001 and drifts on any shift', () => {
    const r = driftColumn(num(new Array(100).fill(3)), num(normal(100, 9, 0, 10000)), { test: 'wasserstein' });
    expect(r.details.constant).toBe('reference');
    expect(r.details.norm).toBe(0.001);
    expect(r.drifted).toBe(true);
  });
  it('different constants on each side drift', () => {
    const r = driftColumn(num(new Array(80).fill(1)), num(new Array(80).fill(2)));
    expect(r.test).toBe('z');
    expect(r.drifted).toBe(true);
    expect(r.details.constant).toBeUndefined();
  });
  it('empty bins: Evidently fills them (finite PSI), modes without filling give +∞', () => {
    const ref = str(cats(500, 1, [5, 3, 2], ['a', 'b', 'c']));
    const cur = str(cats(500, 2, [5, 5], ['a', 'b']));
    const ev = driftColumn(ref, cur, { test: 'psi' });
    expect(Number.isFinite(ev.statistic)).toBe(true);
    expect(ev.drifted).toBe(true);
    const tf = driftColumn(ref, cur, { test: 'psi', mode: 'tfdv' });
    expect(tf.statistic).toBe(Infinity);
    expect(tf.drifted).toBe(true);
    // Jensen–Shannon needs no filling: finite in every mode.
    expect(Number.isFinite(driftColumn(ref, cur, { test: 'jensenshannon', mode: 'tfdv' }).statistic)).toBe(true);
  });
  it('a category new in current data: Evidently chi-square is +∞ with p = 0, listed in details', () => {
    const ref = str(cats(600, 3, [1, 1, 1], ['a', 'b', 'c']));
    const cur = str([...cats(590, 4, [1, 1, 1], ['a', 'b', 'c']), ...new Array(10).fill('new')]);
    const r = driftColumn(ref, cur, { test: 'chisquare' });
    expect(r.statistic).toBe(Infinity);
    expect(r.pValue).toBe(0);
    expect(r.drifted).toBe(true);
    expect(r.details.newCategories).toEqual(['new']);
    // Contingency (NannyML) treats it as one more row: finite.
    expect(Number.isFinite(driftColumn(ref, cur, { test: 'chisquare', mode: 'nannyml' }).statistic)).toBe(true);
    // NannyML's JS puts it in the leftover bucket: one bin more than the reference has.
    expect(driftColumn(ref, cur, { mode: 'nannyml' }).details.bins).toBe(4);
  });
  it('NaN, ±Infinity and null are dropped and counted', () => {
    const vals = normal(300, 11);
    vals[0] = NaN; vals[1] = Infinity; vals[2] = -Infinity;
    const r = driftColumn(num(vals), num(normal(300, 12)));
    expect(r.details.referenceMissing).toBe(3);
    expect(r.details.referenceRows).toBe(300);
    const c = driftColumn(str(['a', null, 'b', null, ...cats(100, 1, [1, 1], ['a', 'b'])]), str(cats(100, 2, [1, 1], ['a', 'b'])));
    expect(c.details.referenceMissing).toBe(2);
  });
  it('fewer rows than the minimum: figures reported, no verdict', () => {
    const r = driftColumn(num(normal(20, 1)), num(normal(20, 2, 3000)));
    expect(r.insufficientData).toBe(true);
    expect(r.drifted).toBeNull();
    expect(r.statistic).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.05);
    expect(driftColumn(num(normal(20, 1)), num(normal(20, 2)), { minRows: 20 }).drifted).not.toBeNull();
    const empty = driftColumn(num([NaN, NaN]), num(normal(50, 2)));
    expect(empty.insufficientData).toBe(true);
    expect(empty.statistic).toBeNaN();
  });
  it('dictionary-encoded categories give the same result as strings', () => {
    const a = cats(700, 21, [4, 3, 2, 1], ['w', 'x', 'y', 'z']);
    const b = cats(700, 22, [1, 2, 3, 4], ['w', 'x', 'y', 'z']);
    const dict = ['z', 'y', 'x', 'w', 'unused'];
    const enc = (v: string[]): DriftColumn => ({ name: 'x', type: 'category', codes: Int32Array.from(v, (s) => dict.indexOf(s)), categories: dict });
    for (const test of ['chisquare', 'jensenshannon', 'psi'] as const) {
      const s = driftColumn(str(a), str(b), { test });
      const e = driftColumn(enc(a), enc(b), { test });
      expect(e.statistic).toBe(s.statistic);
      expect(e.pValue).toBe(s.pValue);
    }
  });
});

describe('dataset drift', () => {
  const table = (cols: DriftColumn[]) => ({ columns: cols });
  const ref = table([
    num(normal(500, 1), 'a'), num(normal(500, 2), 'b'), num(normal(500, 3), 'c'), str(cats(500, 4, [1, 1, 1]), 'd'),
  ]);
  const cur = table([
    num(normal(500, 5, 700), 'a'), num(normal(500, 6, 60), 'b'), num(normal(500, 7), 'c'), str(cats(500, 8, [1, 1, 1]), 'd'),
  ]);

  it('share of drifted columns against drift_share 0.5', () => {
    const r = driftReport(ref, cur);
    expect(r.columns.map((c) => c.test)).toEqual(['ks', 'ks', 'ks', 'chisquare']);
    expect(r.dataset.columns).toBe(4);
    expect(r.dataset.drifted).toBe(r.columns.filter((c) => c.drifted).length);
    expect(r.dataset.share).toBe(r.dataset.drifted / 4);
    expect(r.dataset.datasetDrift).toBe(r.dataset.share >= 0.5);
  });
  it('corrections adjust p-values and can only remove drift', () => {
    const none = driftReport(ref, cur);
    for (const correction of ['bonferroni', 'bh'] as const) {
      const r = driftReport(ref, cur, { correction });
      r.columns.forEach((c, i) => {
        expect(c.pValue).toBe(none.columns[i].pValue);
        expect(c.details.adjustedPValue!).toBeGreaterThanOrEqual(c.pValue!);
        if (c.drifted) expect(none.columns[i].drifted).toBe(true);
      });
    }
    const bonf = driftReport(ref, cur, { correction: 'bonferroni' });
    bonf.columns.forEach((c) => expect(c.details.adjustedPValue).toBe(Math.min(1, c.pValue! * 4)));
  });
  it('per-column and per-test settings, include, and insufficient columns left out of the share', () => {
    const r = driftReport(ref, cur, {
      include: ['a', 'd'],
      columns: { a: { test: 'psi', threshold: 0.2 } },
      thresholds: { chisquare: 0.01 },
    });
    expect(r.columns.map((c) => [c.column, c.test, c.threshold])).toEqual([['a', 'psi', 0.2], ['d', 'chisquare', 0.01]]);
    const small = driftReport(ref, table([num(normal(10, 5), 'a'), ...cur.columns.slice(1)]));
    expect(small.dataset.insufficient).toBe(1);
    expect(small.dataset.evaluated).toBe(3);
  });
  it('a column missing on one side is a schema mismatch', () => {
    expect(() => driftReport(ref, table(cur.columns.slice(1)))).toThrow(/missing from the current/);
  });
});

describe('radix sort', () => {
  it('orders like the built-in sort, negatives, zeros and infinities included', () => {
    const next = xorshift32(99);
    for (const n of [5000, 100000]) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = ((next() % 2000001) - 1000000) / (1 + (next() % 1000));
      a[0] = -0; a[1] = 0; a[2] = Infinity; a[3] = -Infinity; a[4] = 1e-310; a[5] = -1e-310;
      expect(Array.from(sortInPlace(a.slice()))).toEqual(Array.from(a.slice().sort()));
    }
  });
});
