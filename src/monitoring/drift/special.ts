/**
 * Special functions for p-values: log-gamma, the regularised upper incomplete gamma
 * function Q(a, x), and from it the chi-square and normal tails. Accurate to about 1e-14
 * relative over the ranges drift tests use (checked against scipy in test/reference/drift).
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0: Stirling's series from x ≥ 10, shifted by the recurrence below it. */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === 1 || x === 2) return 0;
  let shift = 1;
  while (x < 10) {
    shift *= x;
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  // Bernoulli terms B_2k / (2k(2k-1) x^(2k-1)), k = 1..7; the next is below 1e-17 at x = 10.
  const series =
    r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156)))))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series - Math.log(shift);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefactor = a * Math.log(x) - x - lgamma(a);
  if (x < a + 1) {
    // Series for P; Q = 1 - P is well conditioned here (P is at most about 0.6).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(logPrefactor);
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefactor) * h;
}

/** `scipy.stats.chi2.sf(x, df)`. */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/** Two-sided normal tail 2·(1 − Φ(|z|)) = Q(1/2, z²/2), without the cancellation of 1 − Φ. */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return z === 0 ? 1 : gammaQ(0.5, (z * z) / 2);
}
