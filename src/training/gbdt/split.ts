/**
 * Best split of a node from its histogram (second-order gain, as in XGBoost / LightGBM /
 * scikit-learn): gain = GL²/(HL+λ) + GR²/(HR+λ) - G²/(H+λ).
 *
 * Numeric features scan the value bins in order and try missing values on each side; they also
 * try "every value left, missing right". Categorical features (LightGBM / scikit-learn style) sort
 * their categories by G/(H+smoothing) and scan prefixes of that order from both ends.
 * The result is a lookup table bin -> goes left, so partitioning rows needs no branching on kind.
 *
 * Called for every new leaf, so it allocates only for the winning split.
 */
import { STRIDE } from './histogram.js';

/** Categories with fewer rows at a node are not ordered; they stay on the right. */
export const MIN_CAT_SUPPORT = 10;
/** Added to a category's hessian sum before ordering, damping small categories (cat_smooth). */
export const CAT_SMOOTH = 10;
/** Children must keep at least this much hessian (min_child_weight). */
export const MIN_HESSIAN = 1e-3;
/**
 * A gain must exceed this share of the children's scores. Splitting a node whose rows all have
 * the same gradient gains exactly 0, but rounding can make it +1e-16 of the scores: without
 * this, such nodes would split on noise (harmless to predictions, but wasted leaves).
 */
export const MIN_RELATIVE_GAIN = 1e-10;

export interface SplitFeature {
  categorical: boolean;
  /** Value bins; the missing bin is this index. */
  valueBins: number;
  /** First bin of the feature in the histogram. */
  offset: number;
}

export interface NodeStats {
  g: number;
  h: number;
  count: number;
}

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: rows with bin <= bin go left (missing aside). -1 for categorical. */
  bin: number;
  /** goLeft[b] = 1 when rows in bin b go left; includes the missing bin (last). */
  goLeft: Uint8Array;
  left: NodeStats;
  right: NodeStats;
}

export interface SplitConstraints {
  minSamplesLeaf: number;
  l2: number;
}

const score = (g: number, h: number, l2: number): number => (g * g) / (h + l2 + 1e-15);

/** Gain of a split given the left sums, or 0 when it is within rounding of no gain at all. */
function gainOf(gl: number, hl: number, node: NodeStats, parentScore: number, l2: number): number {
  const children = score(gl, hl, l2) + score(node.g - gl, node.h - hl, l2);
  const gain = children - parentScore;
  return gain > MIN_RELATIVE_GAIN * children ? gain : 0;
}

/** Newton step of a leaf, before shrinkage. */
export const leafValue = (g: number, h: number, l2: number): number => -g / (h + l2 + 1e-15);

export class SplitFinder {
  // The best split so far of the node being evaluated.
  private gain = 0;
  private feature = -1;
  private bin = -1;
  private missingLeft = false;
  /** Categorical winner: its bins going left, in `leftBins[0..leftCount)`. */
  private readonly leftBins = new Int32Array(256);
  private leftCount = 0;
  // Scratch for ordering categories.
  private readonly order = new Int32Array(256);
  private readonly ratio = new Float64Array(256);

  constructor(
    private readonly features: SplitFeature[],
    private readonly c: SplitConstraints,
  ) {}

  find(hist: Float64Array, active: Int32Array, node: NodeStats): SplitCandidate | null {
    this.gain = 0;
    this.feature = -1;
    const parentScore = score(node.g, node.h, this.c.l2);
    // Features in index order, a better gain must be strictly greater: ties keep the lower index.
    for (let a = 0; a < active.length; a++) {
      const f = active[a];
      if (this.features[f].categorical) this.categorical(hist, f, node, parentScore);
      else this.numeric(hist, f, node, parentScore);
    }
    return this.feature < 0 ? null : this.result(hist, node);
  }

  private numeric(hist: Float64Array, f: number, node: NodeStats, parentScore: number): void {
    const { l2, minSamplesLeaf: msl } = this.c;
    const V = this.features[f].valueBins;
    const base = this.features[f].offset * STRIDE;
    const mi = base + V * STRIDE;
    const gm = hist[mi];
    const hm = hist[mi + 1];
    const cm = hist[mi + 2];
    let gl = 0;
    let hl = 0;
    let cl = 0;
    // b = V-1 (all values left) only makes sense to split off the missing values.
    const lastBin = cm > 0 ? V - 1 : V - 2;
    for (let b = 0; b <= lastBin; b++) {
      const j = base + b * STRIDE;
      gl += hist[j];
      hl += hist[j + 1];
      cl += hist[j + 2];
      // missing right
      if (cl >= msl && node.count - cl >= msl && hl >= MIN_HESSIAN && node.h - hl >= MIN_HESSIAN) {
        const gain = gainOf(gl, hl, node, parentScore, l2);
        if (gain > this.gain) this.keep(gain, f, b, false);
      }
      // missing left
      if (cm > 0 && b < V - 1) {
        const cl2 = cl + cm;
        const hl2 = hl + hm;
        if (cl2 >= msl && node.count - cl2 >= msl && hl2 >= MIN_HESSIAN && node.h - hl2 >= MIN_HESSIAN) {
          const gl2 = gl + gm;
          const gain = gainOf(gl2, hl2, node, parentScore, l2);
          if (gain > this.gain) this.keep(gain, f, b, true);
        }
      }
    }
  }

  private categorical(hist: Float64Array, f: number, node: NodeStats, parentScore: number): void {
    const { l2, minSamplesLeaf: msl } = this.c;
    const nb = this.features[f].valueBins + 1; // value bins + missing bin, ordered alike
    const base = this.features[f].offset * STRIDE;
    const { order, ratio } = this;
    let n = 0;
    for (let b = 0; b < nb; b++) {
      const j = base + b * STRIDE;
      if (hist[j + 2] < MIN_CAT_SUPPORT) continue;
      // insertion sort by ratio (ties by bin, so the order is fully determined)
      const r = hist[j] / (hist[j + 1] + CAT_SMOOTH);
      let i = n++;
      while (i > 0 && ratio[i - 1] > r) {
        ratio[i] = ratio[i - 1];
        order[i] = order[i - 1];
        i--;
      }
      ratio[i] = r;
      order[i] = b;
    }
    if (n <= 1) return;
    // Left = the first i categories from one end; stop at the middle, the other scan covers the rest.
    for (let dir = 1; dir >= -1; dir -= 2) {
      const middle = dir === 1 ? (n + 1) >> 1 : ((n + 1) >> 1) - 1;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let i = 0; i < middle; i++) {
        const j = base + order[dir === 1 ? i : n - 1 - i] * STRIDE;
        gl += hist[j];
        hl += hist[j + 1];
        cl += hist[j + 2];
        if (cl < msl || hl < MIN_HESSIAN) continue;
        if (node.count - cl < msl || node.h - hl < MIN_HESSIAN) break;
        const gain = gainOf(gl, hl, node, parentScore, l2);
        if (gain > this.gain) {
          this.keep(gain, f, -1, false);
          this.leftCount = i + 1;
          for (let k = 0; k <= i; k++) this.leftBins[k] = order[dir === 1 ? k : n - 1 - k];
        }
      }
    }
  }

  private keep(gain: number, f: number, bin: number, missingLeft: boolean): void {
    this.gain = gain;
    this.feature = f;
    this.bin = bin;
    this.missingLeft = missingLeft;
  }

  /** The winner as a lookup table and child statistics. */
  private result(hist: Float64Array, node: NodeStats): SplitCandidate {
    const feat = this.features[this.feature];
    const V = feat.valueBins;
    const base = feat.offset * STRIDE;
    const goLeft = new Uint8Array(V + 1);
    if (feat.categorical) for (let k = 0; k < this.leftCount; k++) goLeft[this.leftBins[k]] = 1;
    else {
      for (let b = 0; b <= this.bin; b++) goLeft[b] = 1;
      goLeft[V] = this.missingLeft ? 1 : 0;
    }
    const left = { g: 0, h: 0, count: 0 };
    for (let b = 0; b <= V; b++) {
      if (goLeft[b] === 0) continue;
      const j = base + b * STRIDE;
      left.g += hist[j];
      left.h += hist[j + 1];
      left.count += hist[j + 2];
    }
    // Bins without rows here (no missing values at this node, an unseen 'other' category) send
    // future rows to the bigger child, as scikit-learn does for missing values. Categorical
    // bins with a few rows (under MIN_CAT_SUPPORT) stay right, where their rows were counted.
    const empty = left.count >= node.count - left.count ? 1 : 0;
    for (let b = feat.categorical ? 0 : V; b <= V; b++) if (hist[base + b * STRIDE + 2] === 0) goLeft[b] = empty;
    const right = { g: node.g - left.g, h: node.h - left.h, count: node.count - left.count };
    return { gain: this.gain, feature: this.feature, bin: feat.categorical ? -1 : this.bin, goLeft, left, right };
  }
}
