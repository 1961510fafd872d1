/**
 * Grows one tree of the forest in bin space, then turns it into model nodes on the raw scale.
 *
 * A tree depends only on the shared training data and its own seed: its bootstrap sample and
 * feature draws come from a generator seeded for that tree alone, so trees could be grown in
 * any order, or in parallel, and give the same forest.
 *
 * Growth is depth-first. Rows of a node are a contiguous range of `rows`, partitioned stably at
 * each split; each split draws features without replacement until `featuresPerSplit` of them
 * vary within the node (features constant at the node do not count, as in scikit-learn), and
 * keeps the best valid split of those, even one of zero gain. A node stays a leaf when it is
 * pure, at max_depth, has fewer than 2 * min_samples_leaf rows, or no drawn feature can split it.
 */
import { mulberry32 } from '../../random.js';
import { valueBinCount } from '../gbdt/bin-mapper.js';
import { ALL_VALUES_LEFT } from '../gbdt/tree.js';
import type { FeatureInfo } from '../gbdt/types.js';
import { Histogram, SplitSearch } from './split.js';
import type { ForestTree } from './types.js';

export interface TrainingData {
  n: number;
  /** Bins per feature, one byte per row. */
  binned: Uint8Array[];
  /** Value bins per feature; the missing bin has this index. */
  valueBins: Int32Array;
  categorical: Uint8Array;
  /** Features with two or more non-empty bins: the only ones drawn. */
  usable: Int32Array;
  /** Target channels: 1 (binary, regression) or the class count (multiclass). */
  K: number;
  /** Per row: the channel its target adds to (the class for multiclass, else 0) ... */
  channel: Uint8Array;
  /** ... and what one draw of it adds: 1 / 0 for the positive class, 1, or the centred target. */
  amount: Float64Array;
  /** Per row: the class index or the target, to tell pure nodes. */
  label: Float64Array;
  /** Added to every node value: the target mean for regression, else 0. */
  offset: number;
}

export interface TreeSettings {
  maxDepth: number | null;
  minSamplesLeaf: number;
  featuresPerSplit: number;
  bootstrap: boolean;
}

export interface GrownTree {
  nodes: number;
  /** Split feature per node, -1 for a leaf. */
  feature: Int32Array;
  /** Left child per node (the right one is next), -1 for a leaf. */
  left: Int32Array;
  /** Internal node i: its bins going left (the missing bin last) start at goLeft[goLeftAt[i]]. */
  goLeftAt: Int32Array;
  goLeft: Uint8Array;
  /** K numbers per node. */
  value: Float64Array;
  count: Float64Array;
  gain: Float64Array;
  /** Bootstrap draws of each training row (0: out of bag). */
  weight: Float64Array;
}

/** Per-node arrays that double when full: a tree's size is not known in advance. */
class NodeStore {
  size = 0;
  private cap = 64;
  feature = new Int32Array(this.cap);
  left = new Int32Array(this.cap);
  goLeftAt = new Int32Array(this.cap);
  start = new Int32Array(this.cap);
  end = new Int32Array(this.cap);
  depth = new Int32Array(this.cap);
  pure = new Uint8Array(this.cap);
  count = new Float64Array(this.cap);
  gain = new Float64Array(this.cap);
  value: Float64Array;
  sums: Float64Array;
  goLeft = new Uint8Array(1024);
  goLeftSize = 0;

  constructor(
    private readonly K: number,
    private readonly C: number,
  ) {
    this.value = new Float64Array(this.cap * K);
    this.sums = new Float64Array(this.cap * C);
  }

  add(stats: Float64Array, offset: number, from: number, to: number, level: number, isPure: boolean): number {
    if (this.size === this.cap) this.grow();
    const i = this.size++;
    const { K, C } = this;
    this.feature[i] = -1;
    this.left[i] = -1;
    this.goLeftAt[i] = -1;
    this.start[i] = from;
    this.end[i] = to;
    this.depth[i] = level;
    this.pure[i] = isPure ? 1 : 0;
    this.count[i] = stats[0];
    this.gain[i] = 0;
    for (let k = 0; k < K; k++) this.value[i * K + k] = offset + stats[2 + k] / stats[0];
    this.sums.set(stats, i * C);
    return i;
  }

  keepGoLeft(i: number, goLeft: Uint8Array): void {
    if (this.goLeftSize + goLeft.length > this.goLeft.length) {
      const bigger = new Uint8Array(Math.max(2 * this.goLeft.length, this.goLeftSize + goLeft.length));
      bigger.set(this.goLeft);
      this.goLeft = bigger;
    }
    this.goLeft.set(goLeft, this.goLeftSize);
    this.goLeftAt[i] = this.goLeftSize;
    this.goLeftSize += goLeft.length;
  }

  private grow(): void {
    this.cap *= 2;
    for (const key of ['feature', 'left', 'goLeftAt', 'start', 'end', 'depth', 'pure', 'count', 'gain', 'value', 'sums'] as const) {
      const old = this[key];
      const per = key === 'value' ? this.K : key === 'sums' ? this.C : 1;
      const next = new (old.constructor as Float64ArrayConstructor)(this.cap * per);
      next.set(old as Float64Array);
      (this as unknown as Record<string, ArrayLike<number>>)[key] = next;
    }
  }
}

export function growTree(d: TrainingData, s: TreeSettings, seed: number): GrownTree {
  const rand = mulberry32(seed);
  const { n, K, binned, channel, label } = d;
  const C = K + 2;
  const weight = new Float64Array(n);
  if (s.bootstrap) for (let i = 0; i < n; i++) weight[Math.floor(rand() * n)]++;
  else weight.fill(1);
  const wa = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    wa[i] = weight[i] * d.amount[i];
    if (weight[i] > 0) m++;
  }
  const rows = new Uint32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (weight[i] > 0) rows[j++] = i;
  const scratch = new Uint32Array(m);

  const t = new NodeStore(K, C);
  const L = new Float64Array(C);
  const R = new Float64Array(C);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    L[0] += weight[r];
    L[1] += 1;
    L[2 + channel[r]] += wa[r];
    lo = Math.min(lo, label[r]);
    hi = Math.max(hi, label[r]);
  }
  t.add(L, d.offset, 0, m, 0, lo === hi);

  const hist = new Histogram(C);
  const search = new SplitSearch(C, s.minSamplesLeaf);
  const perm = Int32Array.from(d.usable);
  const F = perm.length;
  const node = new Float64Array(C);
  const stack = [0];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const from = t.start[id];
    const to = t.end[id];
    node.set(t.sums.subarray(id * C, id * C + C));
    if (t.pure[id] === 1 || (s.maxDepth !== null && t.depth[id] >= s.maxDepth) || node[1] < 2 * s.minSamplesLeaf) continue;
    search.reset(node);
    let varying = 0;
    for (let i = 0; i < F && varying < s.featuresPerSplit; i++) {
      // Partial Fisher-Yates over the usable features: draws without replacement.
      const j = i + Math.floor(rand() * (F - i));
      const f = perm[j];
      perm[j] = perm[i];
      perm[i] = f;
      hist.build(binned[f], rows, from, to, weight, channel, wa);
      if (search.evaluate(f, d.categorical[f] === 1, d.valueBins[f], hist, node)) varying++;
      hist.clear();
    }
    const best = search.result(d.valueBins, node);
    if (best === null) continue;

    // Stable partition, summing each side as rows move.
    const col = binned[best.feature];
    const goLeft = best.goLeft;
    L.fill(0);
    R.fill(0);
    let lLo = Infinity, lHi = -Infinity, rLo = Infinity, rHi = -Infinity;
    let l = from;
    let r = 0;
    for (let i = from; i < to; i++) {
      const row = rows[i];
      const y = label[row];
      if (goLeft[col[row]] === 1) {
        rows[l++] = row;
        L[0] += weight[row];
        L[1] += 1;
        L[2 + channel[row]] += wa[row];
        if (y < lLo) lLo = y;
        if (y > lHi) lHi = y;
      } else {
        scratch[r++] = row;
        R[0] += weight[row];
        R[1] += 1;
        R[2 + channel[row]] += wa[row];
        if (y < rLo) rLo = y;
        if (y > rHi) rHi = y;
      }
    }
    rows.set(scratch.subarray(0, r), l);

    t.feature[id] = best.feature;
    t.gain[id] = best.gain;
    t.keepGoLeft(id, goLeft);
    const level = t.depth[id] + 1;
    const left = t.add(L, d.offset, from, l, level, lLo === lHi);
    t.add(R, d.offset, l, to, level, rLo === rHi);
    t.left[id] = left;
    stack.push(left + 1, left);
  }
  const size = t.size;
  return {
    nodes: size,
    feature: t.feature.slice(0, size),
    left: t.left.slice(0, size),
    goLeftAt: t.goLeftAt.slice(0, size),
    goLeft: t.goLeft.slice(0, t.goLeftSize),
    value: t.value.slice(0, size * K),
    count: t.count.slice(0, size),
    gain: t.gain.slice(0, size),
    weight,
  };
}

/** Adds the tree's value for training row `row`, walked in bin space, into out[row * K ..]. */
export function addBinned(t: GrownTree, binned: Uint8Array[], K: number, row: number, out: Float64Array): void {
  let i = 0;
  let f = t.feature[0];
  while (f >= 0) {
    i = t.goLeft[t.goLeftAt[i] + binned[f][row]] === 1 ? t.left[i] : t.left[i] + 1;
    f = t.feature[i];
  }
  for (let k = 0; k < K; k++) out[row * K + k] += t.value[i * K + k];
}

export function toForestTree(t: GrownTree, features: FeatureInfo[]): ForestTree {
  const out: ForestTree = {
    feature: Array.from(t.feature),
    threshold: [],
    categories: {},
    missingGoesLeft: [],
    left: Array.from(t.left),
    value: Array.from(t.value),
    count: Array.from(t.count),
  };
  for (let i = 0; i < t.nodes; i++) {
    const f = t.feature[i];
    if (f < 0) {
      out.threshold.push(0);
      out.missingGoesLeft.push(0);
      continue;
    }
    const info = features[f];
    const V = valueBinCount(info);
    const goLeft = t.goLeft.subarray(t.goLeftAt[i], t.goLeftAt[i] + V + 1);
    out.missingGoesLeft.push(goLeft[V] === 1 ? 1 : 0);
    if (info.kind === 'numeric') {
      let last = -1; // the last value bin going left
      while (last + 1 < V && goLeft[last + 1] === 1) last++;
      out.threshold.push(last === V - 1 ? ALL_VALUES_LEFT : info.thresholds[last]);
    } else {
      out.threshold.push(0);
      const codes: number[] = [];
      for (let c = 0; c < V; c++) if (goLeft[c] === 1) codes.push(c);
      out.categories[i] = codes;
    }
  }
  return out;
}
