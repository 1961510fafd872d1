/**
 * Multiple-testing corrections of per-column p-values, returned as adjusted p-values
 * (compare them with each column's own threshold):
 * - Bonferroni: min(1, m·p).
 * - Benjamini–Hochberg: p_(i)·m/i made monotone from the largest rank down, capped at 1
 *   (`scipy.stats.false_discovery_control(p, method='bh')`).
 * With one common threshold α these reproduce alibi-detect's batch rules (any p < α/m;
 * any p_(i) < α·i/m). NaN p-values are passed through and do not count towards m.
 */
export type Correction = 'none' | 'bonferroni' | 'bh';

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]));
  const m = idx.length;
  const out = pValues.slice();
  if (correction === 'none' || m === 0) return out;
  if (correction === 'bonferroni') {
    for (const i of idx) out[i] = Math.min(1, pValues[i] * m);
    return out;
  }
  idx.sort((a, b) => pValues[a] - pValues[b]);
  let running = Infinity;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r];
    running = Math.min(running, pValues[i] * (m / (r + 1)));
    out[i] = Math.min(1, running);
  }
  return out;
}
