/**
 * mulberry32: a small, fast, seeded generator with a 32-bit state. Deterministic across
 * platforms and Node versions, which Math.random is not; statistical quality is ample for
 * sampling rows, bootstrap resampling and picking test mutations.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
