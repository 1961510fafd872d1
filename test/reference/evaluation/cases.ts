/** Loads the reference cases written by the Python scripts beside this file, and compares numbers. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export function loadCases<T>(file: 'sklearn_cases.json' | 'fairlearn_cases.json'): T {
  return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as T;
}

/**
 * |actual − expected| <= tol · max(1, |expected|): absolute near 0 and 1, relative for large values
 * (a MAPE of 4e14 cannot agree to 1e-12 absolutely in float64). null in the JSON stands for NaN.
 */
export function expectClose(actual: ArrayLike<number> | number, expected: (number | null)[] | number | null, label: string, tol = 1e-12): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = Array.isArray(expected) ? expected : [expected];
  expect(a.length, `${label}: length`).toBe(e.length);
  a.forEach((x, i) => {
    const want = e[i];
    if (want === null) expect(x, `${label}[${i}]`).toBeNaN();
    else expect(Math.abs(x - want), `${label}[${i}]: ${x} vs ${want}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
  });
}
