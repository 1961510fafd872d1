/**
 * The deterministic samples of reference.py, regenerated bit for bit: a 32-bit xorshift and
 * value formulas that end in one correctly rounded division of integers.
 */
export interface SampleSpec {
  gen: 'int' | 'normal' | 'skew' | 'heavy' | 'bimodal' | 'const' | 'cat';
  n: number;
  seed: number;
  k?: number;
  offset?: number;
  div?: number;
  shift?: number;
  gap?: number;
  value?: number;
  weights?: number[];
  labels?: string[];
  missingEvery?: number;
}

export function xorshift32(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

export function generate(spec: SampleSpec): (number | string | null)[] {
  const next = xorshift32(spec.seed);
  const sum12 = () => {
    let s = 0;
    for (let i = 0; i < 12; i++) s += next() % 1001;
    return s;
  };
  const out: (number | string | null)[] = [];
  for (let i = 0; i < spec.n; i++) {
    let v: number | string;
    switch (spec.gen) {
      case 'int': v = (next() % spec.k!) + (spec.offset ?? 0); break;
      case 'normal': v = (sum12() - 6006 + (spec.shift ?? 0)) / spec.div!; break;
      case 'skew': { const u = next() % 10000; v = (u * u) / spec.div!; break; }
      case 'heavy': { const u = (next() % 100000) + 1; v = Math.floor(1000000 / u) / spec.div!; break; }
      case 'bimodal': { const s = sum12(); v = (s - 6006 + (next() % 2 ? spec.gap! : 0)) / spec.div!; break; }
      case 'const': v = spec.value!; break;
      case 'cat': {
        const w = spec.weights!;
        let t = next() % w.reduce((a, b) => a + b, 0);
        let k = 0;
        while (t >= w[k]) { t -= w[k]; k++; }
        v = spec.labels ? spec.labels[k] : `c${k}`;
        break;
      }
    }
    const m = spec.missingEvery;
    out.push(m && i % m === 0 ? (spec.gen === 'cat' ? null : NaN) : v);
  }
  return out;
}

export function checksum(values: (number | string | null)[]): number {
  let acc = 0;
  values.forEach((v, i) => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return;
    const x = typeof v === 'number' ? v : v.length + v.charCodeAt(v.length - 1);
    acc += x * ((i % 7) + 1);
  });
  return acc;
}
