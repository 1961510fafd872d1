import { describe, expect, it } from 'vitest';
import { SplitFinder, type SplitFeature } from './split.js';

/** A one-feature histogram from [g, h, count] per bin (the missing bin last). */
function histOf(bins: [number, number, number][]): { hist: Float64Array; node: { g: number; h: number; count: number } } {
  const hist = Float64Array.from(bins.flat());
  const node = { g: 0, h: 0, count: 0 };
  for (const [g, h, c] of bins) {
    node.g += g;
    node.h += h;
    node.count += c;
  }
  return { hist, node };
}

const only = Int32Array.from([0]);

describe('numeric split', () => {
  const numeric: SplitFeature[] = [{ categorical: false, valueBins: 3, offset: 0 }];

  it('learns that missing values belong with the low bin', () => {
    const { hist, node } = histOf([
      [-10, 10, 40],
      [10, 10, 40],
      [10, 10, 40],
      [-10, 10, 40], // missing: behaves like bin 0
    ]);
    const s = new SplitFinder(numeric, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)!;
    expect(s.bin).toBe(0);
    expect(Array.from(s.goLeft)).toEqual([1, 0, 0, 1]);
    expect(s.left).toEqual({ g: -20, h: 20, count: 80 });
    expect(s.right).toEqual({ g: 20, h: 20, count: 80 });
    expect(s.gain).toBeCloseTo(40);
  });

  it('can split the missing values off everything else', () => {
    const { hist, node } = histOf([
      [-10, 10, 40],
      [-10, 10, 40],
      [-10, 10, 40],
      [30, 10, 40],
    ]);
    const s = new SplitFinder(numeric, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)!;
    expect(s.bin).toBe(2); // every value bin left
    expect(Array.from(s.goLeft)).toEqual([1, 1, 1, 0]);
  });

  it('sends future missing values to the bigger child when the node had none', () => {
    const { hist, node } = histOf([
      [-10, 10, 30],
      [10, 10, 60],
      [10, 10, 60],
      [0, 0, 0],
    ]);
    const s = new SplitFinder(numeric, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)!;
    expect(s.bin).toBe(0);
    expect(s.goLeft[3]).toBe(0); // right holds 120 rows, left 30
  });

  it('respects min_samples_leaf and finds nothing in a pure node', () => {
    const { hist, node } = histOf([
      [-10, 10, 40],
      [10, 10, 40],
      [10, 10, 40],
      [0, 0, 0],
    ]);
    expect(new SplitFinder(numeric, { minSamplesLeaf: 90, l2: 0 }).find(hist, only, node)).toBeNull();
    const pure = histOf([
      [1, 1, 40],
      [1, 1, 40],
      [1, 1, 40],
      [0, 0, 0],
    ]);
    expect(new SplitFinder(numeric, { minSamplesLeaf: 1, l2: 0 }).find(pure.hist, only, pure.node)).toBeNull();
  });
});

describe('rounding', () => {
  it('does not split a node whose rows all share one gradient', () => {
    // Sums of one repeated inexact gradient: this split's gain comes out as 1.1e-13, not 0.
    const numeric: SplitFeature[] = [{ categorical: false, valueBins: 4, offset: 0 }];
    const sum = (v: number, k: number): number => {
      let s = 0;
      for (let i = 0; i < k; i++) s += v;
      return s;
    };
    const g = 0.6140508069310147;
    const h = 0.08751959690561412;
    const { hist, node } = histOf([...[36, 31, 51, 55].map((k): [number, number, number] => [sum(g, k), sum(h, k), k]), [0, 0, 0]]);
    expect(new SplitFinder(numeric, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)).toBeNull();
  });
});

describe('categorical split', () => {
  // A B C D E, 'other' (code 5), missing (bin 6)
  const categorical: SplitFeature[] = [{ categorical: true, valueBins: 6, offset: 0 }];

  it('groups categories by gradient ratio, whatever their order', () => {
    const { hist, node } = histOf([
      [-10, 10, 40], // A
      [10, 10, 40], // B
      [-10, 10, 40], // C
      [10, 10, 40], // D
      [-5, 5, 5], // E: too few rows to be ordered, stays right
      [0, 0, 0], // other: no rows here
      [0, 0, 0], // missing: no rows here
    ]);
    const s = new SplitFinder(categorical, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)!;
    expect(s.bin).toBe(-1);
    // A and C left; E right; the empty bins follow the bigger child, the right one (85 rows to 80)
    expect(Array.from(s.goLeft)).toEqual([1, 0, 1, 0, 0, 0, 0]);
    expect(s.left.count).toBe(80);
    expect(s.right.count).toBe(85);
  });

  it('treats missing values as a category of their own', () => {
    const { hist, node } = histOf([
      [10, 10, 40], // A
      [10, 10, 40], // B
      [0, 0, 0], // C
      [0, 0, 0], // D
      [0, 0, 0], // E
      [0, 0, 0], // other
      [-30, 10, 40], // missing
    ]);
    const s = new SplitFinder(categorical, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)!;
    expect(s.goLeft[6]).toBe(1); // missing alone on the left (sorted first)
    expect(s.goLeft[0] + s.goLeft[1]).toBe(0);
    // empty categories (C, D, E, other) follow the bigger child: the right one
    expect(Array.from(s.goLeft.subarray(2, 6))).toEqual([0, 0, 0, 0]);
  });

  it('needs two categories with enough rows', () => {
    const { hist, node } = histOf([[-10, 10, 40], [10, 10, 9], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(new SplitFinder(categorical, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)).toBeNull();
  });
});

describe('feature choice', () => {
  it('takes the best gain over features; an equal gain keeps the first feature', () => {
    const features: SplitFeature[] = [
      { categorical: false, valueBins: 2, offset: 0 },
      { categorical: false, valueBins: 2, offset: 3 },
    ];
    const one: [number, number, number][] = [
      [-10, 10, 40],
      [10, 10, 40],
      [0, 0, 0],
    ];
    const { hist, node } = histOf([...one, ...one]);
    node.g /= 2;
    node.h /= 2;
    node.count /= 2;
    const s = new SplitFinder(features, { minSamplesLeaf: 1, l2: 0 }).find(hist, Int32Array.from([0, 1]), node)!;
    expect(s.feature).toBe(0);
    expect(new SplitFinder(features, { minSamplesLeaf: 1, l2: 0 }).find(hist, Int32Array.from([1]), node)!.feature).toBe(1);
  });

  it('shrinks the gain with l2_regularization', () => {
    const features: SplitFeature[] = [{ categorical: false, valueBins: 2, offset: 0 }];
    const { hist, node } = histOf([
      [-10, 10, 40],
      [10, 10, 40],
      [0, 0, 0],
    ]);
    const plain = new SplitFinder(features, { minSamplesLeaf: 1, l2: 0 }).find(hist, only, node)!;
    const damped = new SplitFinder(features, { minSamplesLeaf: 1, l2: 10 }).find(hist, only, node)!;
    expect(plain.gain).toBeCloseTo(20);
    expect(damped.gain).toBeCloseTo(10);
  });
});
