/**
 * numpy's default ('linear') quantile, bit for bit: virtual index (n - 1)·q, and numpy's `_lerp`,
 * which interpolates from the upper neighbour when the fraction is >= 0.5.
 */
export function _quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1];
  if (virtual <= 0) return sorted[0];
  const lo = Math.floor(virtual);
  const t = virtual - lo;
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** np.linspace(0, 1, n + 1): i·(1/n), with the last value exactly 1. */
export function _unitLinspace(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  const step = 1 / n;
  for (let i = 0; i < n; i++) out[i] = i * step;
  out[n] = 1;
  return out;
}
