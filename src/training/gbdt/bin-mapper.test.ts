import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import type { Column } from '../../data/table.js';
import { mulberry32 } from '../../random.js';
import { binColumn, categoryCodes, fitBinning, sampleRows, thresholdsOf, valueBinCount } from './bin-mapper.js';

const num = (name: string, values: number[]): Column => ({ name, type: 'number', values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ name, type: 'string', values });

describe('numeric binning', () => {
  it('puts thresholds midway between distinct values when there are few', () => {
    expect(thresholdsOf(Float64Array.from([1, 1, 2, 4, 4, 4]), 255)).toEqual([1.5, 3]);
    expect(thresholdsOf(Float64Array.from([7, 7]), 255)).toEqual([]);
    expect(thresholdsOf(new Float64Array(0), 255)).toEqual([]);
  });

  it('uses at most max_bins - 1 increasing quantile thresholds for many values', () => {
    const rand = mulberry32(1);
    const sorted = Float64Array.from({ length: 10_000 }, () => rand() * 100).sort();
    const t = thresholdsOf(sorted, 255);
    expect(t.length).toBe(254);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
    // quantiles: about 10000/255 values per bin
    const bins = binColumn(num('x', Array.from(sorted)), { name: 'x', kind: 'numeric', thresholds: t, hadMissing: false });
    const counts = new Array<number>(255).fill(0);
    for (const b of bins) counts[b]++;
    expect(Math.min(...counts)).toBeGreaterThan(30);
    expect(Math.max(...counts)).toBeLessThan(50);
  });

  it('keeps heavy ties in one bin (quantile thresholds are deduplicated)', () => {
    const values = [...new Array<number>(9000).fill(0), ...Array.from({ length: 1000 }, (_, i) => i + 1)];
    const t = thresholdsOf(Float64Array.from(values), 255);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
    expect(t[0]).toBe(0); // every quantile in the run of zeros collapses to one threshold
  });

  it('bins so that "bin <= b" is exactly "x <= thresholds[b]", NaN in the missing bin', () => {
    const values = [0, 1, 1.5, 2, 3, NaN, 100, -5];
    const col = num('x', values);
    const [info] = fitBinning([col], 255, 10, 0);
    if (info.kind !== 'numeric') throw new Error('expected numeric');
    expect(info.hadMissing).toBe(true);
    const bins = binColumn(col, info);
    const V = valueBinCount(info);
    values.forEach((x, i) => {
      if (Number.isNaN(x)) return expect(bins[i]).toBe(V);
      for (let b = 0; b < info.thresholds.length; b++) expect(bins[i] <= b).toBe(x <= info.thresholds[b]);
    });
  });

  it('rejects infinite values in training data, naming the column', () => {
    let err: unknown;
    try {
      fitBinning([num('ratio', [1, 2, Infinity])], 255, 10, 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).code).toBe('DATA_INVALID');
    expect((err as SluiceError).message).toContain("'ratio'");
    expect(() => fitBinning([num('r', [-Infinity])], 255, 10, 0)).toThrow(/'r'.*infinite/);
  });

  it('handles a constant and an all-missing column with a single value bin', () => {
    const [constant, missing] = fitBinning([num('c', [3, 3, 3]), num('m', [NaN, NaN])], 255, 10, 0);
    expect(constant).toMatchObject({ kind: 'numeric', thresholds: [], hadMissing: false });
    expect(missing).toMatchObject({ kind: 'numeric', thresholds: [], hadMissing: true });
  });

  it('fits quantiles on a seeded subsample of 200k rows when there are more', () => {
    const rand = mulberry32(7);
    const big = num('x', Array.from({ length: 250_000 }, () => rand()));
    const a = fitBinning([big], 255, 10, 1)[0];
    const b = fitBinning([big], 255, 10, 1)[0];
    const c = fitBinning([big], 255, 10, 2)[0];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const s = sampleRows(1000, 100, 3);
    expect(new Set(s).size).toBe(100);
    expect(Array.from(s)).toEqual(Array.from(sampleRows(1000, 100, 3)));
  });
});

describe('categorical binning', () => {
  it('orders categories by frequency, folds rare ones into other, keeps missing apart', () => {
    const values = [...Array<string>(30).fill('b'), ...Array<string>(50).fill('a'), ...Array<string>(30).fill('c'), 'rare', 'rare', null];
    const col = str('s', values);
    const [info] = fitBinning([col], 255, 10, 0);
    // ties by count are broken by string order, so the result never depends on row order
    expect(info).toEqual({ name: 's', kind: 'categorical', categories: ['a', 'b', 'c'], hadMissing: true });
    const codes = categoryCodes(['a', 'c', 'rare', 'never-seen', null], ['a', 'b', 'c']);
    expect(Array.from(codes)).toEqual([0, 2, 3, 3, -1]);
    const bins = binColumn(col, info);
    expect(bins[values.indexOf('rare')]).toBe(3); // other
    expect(bins[values.length - 1]).toBe(4); // missing
  });

  it('keeps at most 254 categories', () => {
    const values = Array.from({ length: 300 * 10 }, (_, i) => `c${i % 300}`);
    const [info] = fitBinning([str('s', values)], 255, 10, 0);
    expect(info.kind === 'categorical' && info.categories.length).toBe(254);
    expect(Math.max(...binColumn(str('s', values), info))).toBe(254); // 'other'
  });
});
