/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, as `scipy.stats.ks_2samp(a, b)` with its
 * default method='auto': the exact distribution when max(n1, n2) ≤ 10 000, otherwise the
 * asymptotic one (kstwo with n = round(n1·n2/(n1+n2))). Inputs are sorted finite samples.
 */
import { kolmogorovSf } from './kolmogorov.js';
import { roundHalfEven } from './numeric.js';

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

const MAX_AUTO_N = 10000;

/** D = sup |F1 − F2|, one merged sweep over two sorted samples (ties advance together). */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length, n2 = b.length;
  let i = 0, j = 0;
  let maxS = -Infinity, minS = Infinity;
  while (i < n1 || j < n2) {
    // Next distinct value of the union; step past every copy of it on both sides, then compare
    // the two empirical CDFs there (scipy's searchsorted(side='right') at each pooled point).
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minNeg = Math.min(Math.max(-minS, 0), 1);
  return minNeg > maxS ? minNeg : maxS;
}

export function ks2samp(a: Float64Array, b: Float64Array): KsResult {
  const n1 = a.length, n2 = b.length;
  if (n1 === 0 || n2 === 0) return { statistic: NaN, pValue: NaN, method: 'exact' };
  let d = ksStatistic(a, b);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
    // scipy falls back to the asymptotic distribution when the exact one fails numerically.
  }
  const m = Math.max(n1, n2), n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method: 'asymptotic' };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** P(D_{n,n} ≥ h/n), Hodges' alternating series in Horner form (scipy `_compute_prob_outside_square`). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * 1 − P(|x/m − y/n| < h/lcm for the whole lattice path), computed directly as in scipy's
 * `_compute_outer_prob_inside_method` (Viehmann's recursion for 1 − p).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0), n = Math.min(m0, n0);
  const mg = m / g, ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj, lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}
