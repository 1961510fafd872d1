/**
 * Two-proportion z-test (Evidently's `z`): the first category in sorted order is 0, every
 * other category 1; p_i = share of 1 on each side, pooled P = (p₁n₁ + p₂n₂)/(n₁ + n₂),
 * z = (p₁ − p₂)/√(P(1−P)(1/n₁ + 1/n₂)), two-sided p. When both sides hold the same single
 * value, p = 1 (Evidently's special case).
 *
 * Evidently computes p as 2·(1 − Φ(|z|)), which loses all digits beyond |z| ≈ 8 (p = 0).
 * Here p = 2·Φ(−|z|), the same number where both are representable.
 */
import { normalTwoSidedP } from './special.js';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/** Counts are aligned over categories already in sorted order. */
export function twoProportionZTest(ref: Float64Array, cur: Float64Array): ZTestResult {
  let n1 = 0, n2 = 0;
  for (let i = 0; i < ref.length; i++) { n1 += ref[i]; n2 += cur[i]; }
  const nonZero = (a: Float64Array) => a.reduce((k, v) => k + (v > 0 ? 1 : 0), 0);
  if (nonZero(ref) === 1 && nonZero(cur) === 1 && ref.findIndex((v) => v > 0) === cur.findIndex((v) => v > 0)) {
    return { statistic: 0, pValue: 1 };
  }
  const p1 = (n1 - ref[0]) / n1;
  const p2 = (n2 - cur[0]) / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2));
  return { statistic: z, pValue: normalTwoSidedP(Math.abs(z)) };
}
