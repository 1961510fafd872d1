// Drift report benchmark (issue 7): 1,000,000 reference and 1,000,000 current rows × 20
// flights-like columns (numeric and categorical, some drifted), the full report with
// Evidently's default test selection, timed; then the same tests in numpy/scipy
// (bench/drift_reference.py) on the same data, read from one temporary binary file.
//
//   npx tsc --outDir /tmp/driftbuild --rootDir src --module NodeNext --moduleResolution NodeNext \
//     --target ES2022 --strict --skipLibCheck src/monitoring/drift/index.ts src/errors.ts
//   SLUICE_DIST=/tmp/driftbuild node bench/drift.js [rows]
//
// Needs python3 with numpy and scipy for the comparison (skipped with a note otherwise).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.env.SLUICE_DIST ?? '../dist';
const { driftReport } = await import(dist + '/monitoring/drift/index.js');
const ROWS = Number(process.argv[2] ?? 1_000_000);

// ------------------------------------------------------------------ deterministic data
function rng(seed) {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
const bell = (u) => u() + u() + u() + u() - 2; // mean 0, sd ≈ 0.577
const zipf = (k, s) => Array.from({ length: k }, (_, i) => 1 / (i + 1) ** s);

function numeric(n, seed, f, missing = 0) {
  const u = rng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = missing && u() < missing ? NaN : f(u);
  return a;
}
function categorical(n, seed, weights, missing = 0) {
  const u = rng(seed);
  const cum = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => { s += w; cum[i] = s; });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (missing && u() < missing) { codes[i] = -1; continue; }
    const t = u() * s;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > t) hi = mid; else lo = mid + 1; }
    codes[i] = lo;
  }
  return codes;
}

// name, kind, reference generator, current generator (seed offsets keep the sides independent)
const carriers = ['AA', 'AS', 'B6', 'DL', 'EV', 'F9', 'G4', 'HA', 'MQ', 'NK', 'OH', 'OO', 'UA', 'WN', 'YX'];
const airports = Array.from({ length: 300 }, (_, i) => `A${String(i).padStart(3, '0')}`);
const tails = Array.from({ length: 5000 }, (_, i) => `N${10000 + i}`);
const COLUMNS = [
  ['dep_delay', 'n', (n, s, d) => numeric(n, s, (u) => -8 + 30 * -Math.log(1 - u()) + (d ? 8 : 0))],
  ['arr_delay', 'n', (n, s, d) => numeric(n, s, (u) => -12 + 32 * -Math.log(1 - u()) + (d ? 10 : 0), 0.02)],
  ['distance', 'n', (n, s) => numeric(n, s, (u) => Math.round(150 + 2500 * u() * u()))],
  ['air_time', 'n', (n, s) => numeric(n, s, (u) => 30 + 300 * u() * u() + 10 * bell(u))],
  ['taxi_out', 'n', (n, s, d) => numeric(n, s, (u) => Math.round(8 + 12 * -Math.log(1 - u()) + (d ? 1 : 0)))],
  ['taxi_in', 'n', (n, s) => numeric(n, s, (u) => Math.round(3 + 6 * -Math.log(1 - u())))],
  ['dep_time', 'n', (n, s, d) => numeric(n, s, (u) => (d ? 400 : 300) + 1100 * u() + 60 * bell(u))],
  ['arr_time', 'n', (n, s) => numeric(n, s, (u) => 360 + 1050 * u() + 80 * bell(u))],
  ['elapsed_time', 'n', (n, s) => numeric(n, s, (u) => 45 + 320 * u() * u() + 15 * bell(u), 0.02)],
  ['fare', 'n', (n, s, d) => numeric(n, s, (u) => Math.exp(5 + 0.6 * bell(u)) * (d ? 1.3 : 1))],
  ['seats', 'n', (n, s) => numeric(n, s, (u) => 50 + Math.floor(250 * u()))],
  ['dep_hour', 'n', (n, s) => numeric(n, s, (u) => Math.min(23, Math.floor(5 + 19 * u())))],
  ['month', 'n', (n, s, d) => numeric(n, s, (u) => (d ? 7 : 1) + Math.floor(6 * u()))],
  ['day_of_week', 'n', (n, s) => numeric(n, s, (u) => 1 + Math.floor(7 * u()))],
  ['carrier', 'c', (n, s, d) => categorical(n, s, d ? zipf(15, 0.4) : zipf(15, 0.9)), carriers],
  ['origin', 'c', (n, s) => categorical(n, s, zipf(300, 1.1)), airports],
  ['dest', 'c', (n, s) => categorical(n, s, zipf(300, 1.1)), airports],
  ['cancelled', 'c', (n, s, d) => categorical(n, s, d ? [95, 5] : [98, 2]), ['no', 'yes']],
  ['diverted', 'c', (n, s) => categorical(n, s, [997, 3]), ['no', 'yes']],
  ['tail_number', 'c', (n, s) => categorical(n, s, zipf(5000, 0.5), 0.01), tails],
];

function build(side) {
  return COLUMNS.map(([name, kind, gen, categories], i) => {
    const data = gen(ROWS, 1000 * i + (side === 'cur' ? 7 : 1), side === 'cur');
    return kind === 'n'
      ? { name, type: 'number', values: data }
      : { name, type: 'category', codes: data, categories };
  });
}

let t = performance.now();
const reference = { columns: build('ref') };
const current = { columns: build('cur') };
console.log(`data: ${ROWS.toLocaleString('en')} + ${ROWS.toLocaleString('en')} rows × ${COLUMNS.length} columns, synthesised in ${((performance.now() - t) / 1000).toFixed(2)} s`);

// ------------------------------------------------------------------ Sluice
driftReport({ columns: reference.columns.map(small) }, { columns: current.columns.map(small) }); // warm up the JIT on 10k rows
function small(c) {
  return c.type === 'number' ? { ...c, values: c.values.subarray(0, 10000) } : { ...c, codes: c.codes.subarray(0, 10000) };
}
const runs = [];
let report;
for (let r = 0; r < 3; r++) {
  t = performance.now();
  report = driftReport(reference, current);
  runs.push((performance.now() - t) / 1000);
}
const jsSeconds = Math.min(...runs);
console.log(`\nsluice (TypeScript, one thread, ${cpus().length} cores available): ${jsSeconds.toFixed(3)} s (best of 3: ${runs.map((x) => x.toFixed(3)).join(', ')})`);
console.log('column          type         test           statistic      p-value   drifted');
for (const c of report.columns) {
  console.log(`${c.column.padEnd(15)} ${c.type.padEnd(12)} ${c.test.padEnd(13)} ${c.statistic.toPrecision(6).padStart(11)} ${(c.pValue === undefined ? '' : c.pValue.toExponential(2)).padStart(11)}   ${c.drifted}`);
}
const d = report.dataset;
console.log(`dataset: ${d.drifted}/${d.evaluated} drifted, share ${d.share.toFixed(3)}, dataset drift ${d.datasetDrift}`);

// ------------------------------------------------------------------ numpy/scipy
const dir = mkdtempSync(join(tmpdir(), 'sluice-drift-'));
try {
  const bin = join(dir, 'data.bin');
  const fd = openSync(bin, 'w');
  let offset = 0;
  const meta = { rows: ROWS, columns: [] };
  const write = (arr) => {
    const at = offset;
    writeSync(fd, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    offset += arr.byteLength;
    return at;
  };
  reference.columns.forEach((rc, i) => {
    const cc = current.columns[i];
    const res = report.columns[i];
    const isNum = rc.type === 'number';
    meta.columns.push({
      name: rc.name,
      dtype: isNum ? 'float64' : 'int32',
      kind: res.type,
      test: res.test,
      categories: rc.categories,
      refOffset: write(isNum ? rc.values : rc.codes),
      curOffset: write(isNum ? cc.values : cc.codes),
      statistic: res.statistic,
      pValue: res.pValue ?? null,
    });
  });
  closeSync(fd);
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  const script = join(dirname(fileURLToPath(import.meta.url)), 'drift_reference.py');
  const py = spawnSync(process.env.PYTHON ?? 'python3', [script, bin, join(dir, 'meta.json')], { encoding: 'utf8' });
  if (py.status !== 0) {
    console.log(`\nnumpy/scipy comparison skipped: ${(py.stderr || py.error?.message || '').trim().split('\n').pop()}`);
  } else {
    process.stdout.write('\n' + py.stdout);
    const pySeconds = Number(/^seconds (\S+)/m.exec(py.stdout)?.[1]);
    console.log(`\nratio numpy/scipy ÷ sluice: ${(pySeconds / jsSeconds).toFixed(2)}× (${pySeconds.toFixed(3)} s vs ${jsSeconds.toFixed(3)} s)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
