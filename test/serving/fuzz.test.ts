/**
 * A seeded fuzz of malformed bodies against every POST endpoint: mutated valid requests,
 * random JSON, wrong content types, deep nesting, odd keys. The server must answer each with
 * a 4xx (or 200 when the mutation happens to be valid), never a 5xx, and keep serving.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mulberry32 } from '../../src/random.js';
import { call, RECORD, records, removeDir, serveIncome, type Served } from './_income.js';

let s: Served;

beforeAll(async () => {
  s = await serveIncome({ logSample: 0 });
});

afterAll(async () => {
  await s?.close();
  if (s) removeDir(s.dir);
});

/** mulberry32: small, seeded, good enough to pick mutations. */
function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

const ODD_VALUES = [null, true, 0, -0, 1e308, -1e308, 2 ** 63, 0.1, '', ' ', 'NaN', 'Infinity', '\u0000', '\ud800', 'é'.repeat(1000), [], [[]], {}, { a: 1 }, [1, 'a', null]];
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '', ' age', 'AGE', 'age\u0000', 'hasOwnProperty'];
const PATHS = ['/predict', '/invocations', '/v2/models/income/infer', '/v2/models/income/versions/1/infer', '/feedback'];

function validBody(path: string, rand: ReturnType<typeof prng>): unknown {
  const rs = records(1 + rand.int(3));
  if (path === '/predict') return rand.next() < 0.5 ? { records: rs } : rs;
  if (path === '/invocations') return rand.pick([{ dataframe_records: rs }, { instances: rs }, { dataframe_split: { columns: Object.keys(RECORD), data: rs.map((r) => Object.values(r)) } }]);
  if (path === '/feedback') return { request_id: 'r-1', label: '>50K' };
  return { inputs: Object.entries(RECORD).map(([name, v]) => ({ name, datatype: typeof v === 'string' ? 'BYTES' : 'FP32', shape: [1, 1], data: [v] })) };
}

/** Replaces a random node of a JSON value with an odd value, key or structure. */
function mutateValue(v: unknown, rand: ReturnType<typeof prng>, depth = 0): unknown {
  if (depth > 6 || v === null || typeof v !== 'object' || rand.next() < 0.25) {
    const r = rand.next();
    if (r < 0.6) return rand.pick(ODD_VALUES);
    if (r < 0.8) return JSON.parse(`${'['.repeat(2000)}1${']'.repeat(2000)}`);
    return Array.from({ length: rand.int(50) }, () => rand.pick(ODD_VALUES));
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return [rand.pick(ODD_VALUES)];
    const copy = [...v];
    copy[rand.int(copy.length)] = mutateValue(copy[rand.int(copy.length)], rand, depth + 1);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (rand.next() < 0.2) Object.defineProperty(copy, rand.pick(ODD_KEYS), { value: rand.pick(ODD_VALUES), enumerable: true, configurable: true, writable: true });
  else if (keys.length > 0 && rand.next() < 0.2) delete copy[rand.pick(keys)];
  else if (keys.length > 0) {
    const k = rand.pick(keys);
    copy[k] = mutateValue(copy[k], rand, depth + 1);
  }
  return copy;
}

/** Breaks the text: truncation, a random character, a duplicated or removed slice. */
function mutateText(text: string, rand: ReturnType<typeof prng>): string {
  const at = rand.int(text.length + 1);
  switch (rand.int(5)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(rand.int(0x2fff)) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at, at + rand.int(40)).repeat(1 + rand.int(5)) + text.slice(at);
    case 3:
      return text.slice(0, at) + text.slice(at + 1 + rand.int(20));
    default:
      return text.replace(/[0-9]+/, rand.pick(['NaN', 'Infinity', '-', '1e999', '0x10', '"', '']));
  }
}

it('answers 300 malformed requests with 4xx, never 5xx, and keeps serving', async () => {
  const rand = prng(20260601);
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  for (let i = 0; i < 300; i++) {
    const path = rand.pick(PATHS);
    const kind = rand.int(6);
    let body: string | Uint8Array;
    let type: string | undefined = 'application/json';
    if (kind === 0) body = JSON.stringify(mutateValue(validBody(path, rand), rand));
    else if (kind === 1) body = mutateText(JSON.stringify(validBody(path, rand)), rand);
    else if (kind === 2) body = JSON.stringify(mutateValue(mutateValue(validBody(path, rand), rand), rand));
    else if (kind === 3) {
      type = 'text/csv';
      body = mutateText(`age,sex,workclass\n39,Male,Private\n"50",Female,"a""b"\n`, rand);
    } else if (kind === 4) {
      type = rand.pick([undefined, 'text/plain', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data']);
      body = JSON.stringify(validBody(path, rand));
    } else body = Uint8Array.from({ length: 1 + rand.int(200) }, () => rand.int(256));
    const r = await call(s.url, 'POST', path, body, type ? { 'content-type': type } : {});
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    if (r.status >= 500) failures.push(`${path} ${type}: ${String(body).slice(0, 200)} -> ${r.status} ${r.text.slice(0, 300)}`);
    else if (r.status !== 200) expect(r.text.length, `${path}: an error body`).toBeGreaterThan(0);
  }
  expect(failures).toEqual([]);
  expect([...statuses.keys()].every((st) => [200, 400, 404, 413, 415].includes(st))).toBe(true);
  expect(statuses.get(400)).toBeGreaterThan(100);
  expect((await call(s.url, 'GET', '/v2/health/ready')).status).toBe(200);
  expect((await call(s.url, 'POST', '/predict', [RECORD])).status).toBe(200);
});
