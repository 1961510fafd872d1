/**
 * Grows one regression tree on gradients and hessians, leaf-wise (LightGBM / scikit-learn
 * style): always split the leaf with the largest gain next, until max_leaf_nodes leaves, or no
 * leaf has a valid split. Rows of every node stay a contiguous range of one index buffer, and
 * only the smaller child's histogram is built: the larger one is parent minus smaller.
 */
import { HistogramBuilder, subtractHistogram } from './histogram.js';
import { leafValue, SplitFinder, type NodeStats, type SplitCandidate, type SplitFeature } from './split.js';

export interface GrowerSettings {
  maxLeafNodes: number;
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2: number;
  learningRate: number;
}

/** A node in bin space; `start..end` is its range of `Grower.rows` after growing. */
export interface GrownNode {
  split: SplitCandidate | null;
  left: number;
  right: number;
  /** Shrunk Newton step: the node's output were it a leaf. */
  value: number;
  stats: NodeStats;
  depth: number;
  start: number;
  end: number;
}

export class Grower {
  /** Row indices, partitioned so that each node's rows are contiguous. */
  readonly rows: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly pool: Float64Array[] = [];
  private readonly finder: SplitFinder;

  constructor(
    private readonly binned: Uint8Array[],
    features: SplitFeature[],
    private readonly active: Int32Array,
    private readonly builder: HistogramBuilder,
    private readonly s: GrowerSettings,
  ) {
    const n = binned.length > 0 ? binned[0].length : 0;
    this.rows = new Uint32Array(n);
    this.scratch = new Uint32Array(n);
    this.finder = new SplitFinder(features, { minSamplesLeaf: s.minSamplesLeaf, l2: s.l2 });
  }

  grow(grad: Float64Array, hess: Float64Array): GrownNode[] {
    const { rows, s } = this;
    const n = rows.length;
    for (let i = 0; i < n; i++) rows[i] = i; // same summation order for every tree
    let g = 0;
    let h = 0;
    for (let i = 0; i < n; i++) {
      g += grad[i];
      h += hess[i];
    }
    const nodes: GrownNode[] = [this.node({ g, h, count: n }, 0, 0, n)];
    const hists = new Map<number, Float64Array>(); // histograms of leaves that may still split
    if (this.splittable(nodes[0])) {
      const hist = this.take();
      this.builder.build(hist, rows, 0, n, grad, hess);
      if (this.evaluate(nodes[0], hist)) hists.set(0, hist);
      else this.give(hist);
    }
    let leaves = 1;
    while (leaves < s.maxLeafNodes && hists.size > 0) {
      let id = -1; // the leaf with the best gain; ties go to the older leaf
      for (const k of hists.keys()) if (id < 0 || nodes[k].split!.gain > nodes[id].split!.gain) id = k;
      const parentHist = hists.get(id)!;
      hists.delete(id);
      const parent = nodes[id];
      const split = parent.split!;
      const mid = this.partition(parent.start, parent.end, this.binned[split.feature], split.goLeft);
      const left = this.node(split.left, parent.depth + 1, parent.start, mid);
      const right = this.node(split.right, parent.depth + 1, mid, parent.end);
      parent.left = nodes.push(left) - 1;
      parent.right = nodes.push(right) - 1;
      leaves++;
      const wantL = leaves < s.maxLeafNodes && this.splittable(left);
      const wantR = leaves < s.maxLeafNodes && this.splittable(right);
      if (!wantL && !wantR) {
        this.give(parentHist);
        continue;
      }
      // Build the smaller child, derive the larger one in the parent's buffer.
      const smallIsLeft = left.end - left.start <= right.end - right.start;
      const small = smallIsLeft ? left : right;
      const smallHist = this.take();
      this.builder.build(smallHist, rows, small.start, small.end, grad, hess);
      subtractHistogram(parentHist, smallHist, parentHist);
      const [histL, histR] = smallIsLeft ? [smallHist, parentHist] : [parentHist, smallHist];
      if (wantL && this.evaluate(left, histL)) hists.set(parent.left, histL);
      else this.give(histL);
      if (wantR && this.evaluate(right, histR)) hists.set(parent.right, histR);
      else this.give(histR);
    }
    for (const hist of hists.values()) this.give(hist);
    // Leaves left as candidates computed a split they never made.
    for (const nd of nodes) if (nd.left < 0) nd.split = null;
    return nodes;
  }

  private node(stats: NodeStats, depth: number, start: number, end: number): GrownNode {
    const value = leafValue(stats.g, stats.h, this.s.l2) * this.s.learningRate;
    return { split: null, left: -1, right: -1, value, stats, depth, start, end };
  }

  private splittable(nd: GrownNode): boolean {
    const { maxDepth, minSamplesLeaf } = this.s;
    return (maxDepth === null || nd.depth < maxDepth) && nd.end - nd.start >= 2 * minSamplesLeaf;
  }

  private evaluate(nd: GrownNode, hist: Float64Array): boolean {
    nd.split = this.finder.find(hist, this.active, nd.stats);
    return nd.split !== null;
  }

  /** Stable in-place partition of rows[start..end); returns where the right child starts. */
  private partition(start: number, end: number, col: Uint8Array, goLeft: Uint8Array): number {
    const { rows, scratch } = this;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      // Branch-free: the direction is a coin flip the CPU cannot predict.
      const row = rows[i];
      const left = goLeft[col[row]];
      rows[l] = row;
      scratch[r] = row;
      l += left;
      r += 1 - left;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }

  private take(): Float64Array {
    return this.pool.pop() ?? this.builder.newHistogram();
  }

  private give(hist: Float64Array): void {
    this.pool.push(hist);
  }
}
