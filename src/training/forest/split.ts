/**
 * Best split of one feature at one node, from a histogram of the node's rows over the feature's
 * bins. Each bin holds C = 2 + K numbers: bootstrap draws (the weight), distinct rows, and K
 * weighted target sums: the positive class (binary), each class (multiclass), or the centred
 * target (regression).
 *
 * Criterion: a side's score is sum_k S_k² / W. The gain, children's scores minus the parent's,
 * is half the weighted Gini decrease for binary (one channel), the weighted Gini decrease for
 * multiclass, and the weighted variance decrease for regression: the criteria of CART and of
 * scikit-learn's random forests.
 *
 * Only bins the node's rows touch are scanned, so a small node deep in a tree costs its rows,
 * not 256 bins. Numeric features scan bins in order, missing values tried on each side;
 * categorical features order their categories by target mean (for multiclass, once per class by
 * that class's share) and scan prefixes, which is exact for binary and regression (Fisher 1958).
 */

/** Value bins per feature are at most 255, plus the missing bin. */
export const MAX_BINS = 256;

export class Histogram {
  readonly data: Float64Array;
  /** Bins with at least one row, ascending after build(). */
  readonly touched = new Int32Array(MAX_BINS);
  count = 0;

  constructor(readonly C: number) {
    this.data = new Float64Array(MAX_BINS * C);
  }

  build(col: Uint8Array, rows: Uint32Array, start: number, end: number, weight: Float64Array, channel: Uint8Array, amount: Float64Array): void {
    const { data: h, touched, C } = this;
    let nt = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i];
      const o = col[r] * C;
      if (h[o + 1] === 0) touched[nt++] = col[r];
      h[o] += weight[r];
      h[o + 1] += 1;
      h[o + 2 + channel[r]] += amount[r];
    }
    this.count = nt;
    if (nt > 32) {
      // Many bins: list them in order by a scan over all bins.
      let k = 0;
      for (let b = 0; b < MAX_BINS && k < nt; b++) if (h[b * C + 1] > 0) touched[k++] = b;
      return;
    }
    // Few bins (most nodes of a deep tree): insertion sort.
    for (let i = 1; i < nt; i++) {
      const b = touched[i];
      let j = i - 1;
      while (j >= 0 && touched[j] > b) {
        touched[j + 1] = touched[j];
        j--;
      }
      touched[j + 1] = b;
    }
  }

  clear(): void {
    const { data: h, touched, C } = this;
    for (let t = 0; t < this.count; t++) h.fill(0, touched[t] * C, touched[t] * C + C);
    this.count = 0;
  }
}

export interface Best {
  feature: number;
  gain: number;
  /** goLeft[b] = 1 when rows in bin b go left; the missing bin (last) included. */
  goLeft: Uint8Array;
}

export class SplitSearch {
  private readonly K: number;
  private readonly left: Float64Array;
  private readonly leftWithMissing: Float64Array;
  private readonly order: number[] = [];
  private readonly key = new Float64Array(MAX_BINS);
  private parentScore = 0;
  // The best split of the node so far, and the bins its feature's rows were in.
  private gain = -Infinity;
  private feature = -1;
  private categorical = false;
  private numericBin = -1;
  private missingLeft = false;
  private readonly leftBins = new Int32Array(MAX_BINS);
  private leftCount = 0;
  private leftWeight = 0;
  private readonly seen = new Int32Array(MAX_BINS);
  private seenCount = 0;
  private readonly present = new Uint8Array(MAX_BINS);

  constructor(
    private readonly C: number,
    private readonly minSamplesLeaf: number,
  ) {
    this.K = C - 2;
    this.left = new Float64Array(C);
    this.leftWithMissing = new Float64Array(C);
  }

  reset(node: Float64Array): void {
    this.gain = -Infinity;
    this.feature = -1;
    this.parentScore = this.score(node, null);
  }

  /**
   * Evaluates feature f (missing bin = valueBins); returns false when all the node's rows share
   * one bin, so the feature cannot split here.
   */
  evaluate(f: number, categorical: boolean, valueBins: number, hist: Histogram, node: Float64Array): boolean {
    if (hist.count < 2) return false;
    const before = this.gain;
    if (categorical) this.scanCategories(f, hist, node);
    else this.scanNumeric(f, valueBins, hist, node);
    if (this.gain > before) {
      this.seen.set(hist.touched.subarray(0, hist.count));
      this.seenCount = hist.count;
    }
    return true;
  }

  /** The winner as a lookup table over its feature's V + 1 bins, or null when no split was valid. */
  result(valueBins: Int32Array, node: Float64Array): Best | null {
    if (this.feature < 0) return null;
    const V = valueBins[this.feature];
    const goLeft = new Uint8Array(V + 1);
    if (this.categorical) {
      for (let i = 0; i < this.leftCount; i++) goLeft[this.leftBins[i]] = 1;
    } else {
      for (let b = 0; b <= this.numericBin; b++) goLeft[b] = 1;
      goLeft[V] = this.missingLeft ? 1 : 0;
    }
    // Bins without rows at this node (no missing values here, a category absent from the node)
    // send future rows to the child with more weight.
    const bigger = this.leftWeight >= node[0] - this.leftWeight ? 1 : 0;
    const present = this.present;
    for (let t = 0; t < this.seenCount; t++) present[this.seen[t]] = 1;
    for (let b = this.categorical ? 0 : V; b <= V; b++) if (present[b] === 0) goLeft[b] = bigger;
    for (let t = 0; t < this.seenCount; t++) present[this.seen[t]] = 0;
    return { feature: this.feature, gain: Math.max(0, this.gain), goLeft };
  }

  /** sum_k S_k² / W of `sums`, or of node - sums when `node` is given. */
  private score(sums: Float64Array, node: Float64Array | null): number {
    const w = node ? node[0] - sums[0] : sums[0];
    let s = 0;
    for (let k = 2; k < this.C; k++) {
      const v = node ? node[k] - sums[k] : sums[k];
      s += v * v;
    }
    return s / w;
  }

  /** Whether the split with `left` on the left is valid and better than the best so far (then it is kept). */
  private better(left: Float64Array, f: number, node: Float64Array): boolean {
    const msl = this.minSamplesLeaf;
    if (left[1] < msl || node[1] - left[1] < msl) return false;
    const gain = this.score(left, null) + this.score(left, node) - this.parentScore;
    if (!(gain > this.gain)) return false;
    this.gain = gain;
    this.feature = f;
    this.leftWeight = left[0];
    return true;
  }

  private add(h: Float64Array, b: number): void {
    const o = b * this.C;
    for (let c = 0; c < this.C; c++) this.left[c] += h[o + c];
  }

  private scanNumeric(f: number, V: number, hist: Histogram, node: Float64Array): void {
    const { touched, data: h } = hist;
    const missing = touched[hist.count - 1] === V;
    const nv = hist.count - (missing ? 1 : 0);
    this.left.fill(0);
    for (let j = 0; j < nv; j++) {
      const b = touched[j];
      this.add(h, b);
      // Missing right; at the last value bin only when there are missing values to split off.
      if ((j < nv - 1 || missing) && this.better(this.left, f, node)) this.keepNumeric(b, false);
      if (missing && j < nv - 1) {
        const lm = this.leftWithMissing;
        for (let c = 0; c < this.C; c++) lm[c] = this.left[c] + h[V * this.C + c];
        if (this.better(lm, f, node)) this.keepNumeric(b, true);
      }
    }
  }

  private keepNumeric(bin: number, missingLeft: boolean): void {
    this.categorical = false;
    this.numericBin = bin;
    this.missingLeft = missingLeft;
  }

  private scanCategories(f: number, hist: Histogram, node: Float64Array): void {
    const { touched, data: h } = hist;
    const { order, key, C } = this;
    const nt = hist.count;
    for (let k = 0; k < this.K; k++) {
      // The node's bins by this channel's mean; ties keep bin order.
      order.length = nt;
      for (let t = 0; t < nt; t++) {
        const o = touched[t] * C;
        key[t] = h[o + 2 + k] / h[o];
        order[t] = t;
      }
      order.sort((a, b) => key[a] - key[b] || a - b);
      this.left.fill(0);
      for (let i = 0; i < nt - 1; i++) {
        this.add(h, touched[order[i]]);
        if (this.better(this.left, f, node)) {
          this.categorical = true;
          this.leftCount = i + 1;
          for (let j = 0; j <= i; j++) this.leftBins[j] = touched[order[j]];
        }
      }
    }
  }
}
