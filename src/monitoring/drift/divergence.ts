/**
 * Distances between two binned distributions: PSI, Kullback–Leibler, Jensen–Shannon and
 * L-infinity, on share vectors, following scipy (`rel_entr`, `entropy`,
 * `spatial.distance.jensenshannon`) term for term.
 */
import type { BinnedCounts } from './binning.js';
import { pairwiseSum } from './numeric.js';

export type EmptyBins = 'evidently' | 'none';

/**
 * Share vectors of aligned counts (count ÷ rows of that side). With a leftover bucket
 * (NannyML), current mass outside the bins, 1 − Σ shares, is appended when positive, with a
 * reference share of 0. With `evidently`, zero shares are filled per vector: m = smallest
 * non-zero share, zeros become m/10⁶ when m ≤ 0.0001 and 0.0001 otherwise (no renormalising).
 */
export function toShares(b: BinnedCounts, emptyBins: EmptyBins): { ref: Float64Array; cur: Float64Array } {
  let ref: Float64Array = b.ref.map((v) => v / b.nRef);
  let cur: Float64Array = b.cur.map((v) => v / b.nCur);
  if (b.leftover) {
    const left = 1 - pairwiseSum(cur);
    if (left > 0) {
      cur = appendValue(cur, left);
      ref = appendValue(ref, 0);
    }
  }
  if (emptyBins === 'evidently') {
    fillZerosEvidently(ref);
    fillZerosEvidently(cur);
  }
  return { ref, cur };
}

function appendValue(a: Float64Array, v: number): Float64Array {
  const out = new Float64Array(a.length + 1);
  out.set(a);
  out[a.length] = v;
  return out;
}

function fillZerosEvidently(a: Float64Array): void {
  let m = Infinity;
  for (const v of a) if (v !== 0 && v < m) m = v;
  if (m === Infinity) return;
  const fill = m <= 0.0001 ? m / 10 ** 6 : 0.0001;
  for (let i = 0; i < a.length; i++) if (a[i] === 0) a[i] = fill;
}

/** `scipy.special.rel_entr(x, y)`. */
export function relEntr(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalised(a: Float64Array): Float64Array {
  const s = pairwiseSum(a);
  return a.map((v) => v / s);
}

/** Population stability index Σ (r − c)·ln(r/c). A bin empty on both sides contributes 0. */
export function psi(ref: Float64Array, cur: Float64Array): number {
  const terms = new Float64Array(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i], c = cur[i];
    terms[i] = r === 0 && c === 0 ? 0 : (r - c) * Math.log(r / c);
  }
  return pairwiseSum(terms);
}

/** `scipy.stats.entropy(ref, cur, base)`: KL(ref ‖ cur) after normalising both; base null = nats. */
export function klDivergence(ref: Float64Array, cur: Float64Array, base: number | null): number {
  const p = normalised(ref);
  const q = normalised(cur);
  const terms = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) terms[i] = relEntr(p[i], q[i]);
  const s = pairwiseSum(terms);
  return base === null ? s : s / Math.log(base);
}

/**
 * Jensen–Shannon as scipy computes it: js = Σ rel_entr(p, m) + Σ rel_entr(q, m), ÷ ln(base)
 * when a base is given; the divergence is js/2 and the distance √(js/2).
 */
export function jensenShannon(ref: Float64Array, cur: Float64Array, base: number | null, kind: 'distance' | 'divergence'): number {
  const p = normalised(ref);
  const q = normalised(cur);
  const n = p.length;
  const left = new Float64Array(n);
  const right = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = (p[i] + q[i]) / 2.0;
    left[i] = relEntr(p[i], m);
    right[i] = relEntr(q[i], m);
  }
  let js = pairwiseSum(left) + pairwiseSum(right);
  if (base !== null) js /= Math.log(base);
  return kind === 'distance' ? Math.sqrt(js / 2.0) : js / 2.0;
}

/** L-infinity distance max |r − c| over shares (TFDV's categorical comparator). */
export function lInfinity(ref: Float64Array, cur: Float64Array): number {
  let d = 0;
  for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - cur[i]));
  return d;
}
