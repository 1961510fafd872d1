#!/usr/bin/env node
// Acquire + validate + profile (and PII-scan) the 3,000,000-row flights Parquet through
// `sluice run`, on a fresh workspace: wall time of those steps and their peak memory (resident
// memory of each step's whole process tree, sampled every 100 ms). Targets: ≤ 5 s, ≤ 1.5 GB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const parquet = join(root, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const results = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-flights-'));
  writeFileSync(
    join(dir, 'sluice.yaml'),
    `project: flights-bench
sources:
  flights:
    path: ${parquet}
    columns: { date: timestamp, delay: integer, distance: integer, origin: string, destination: string }
`,
  );
  const sluice = (args) => spawnSync(process.execPath, [join(root, 'bin', 'sluice.js'), '-C', dir, ...args], { encoding: 'utf8' });
  const t0 = performance.now();
  const run = sluice(['run', '--json']);
  const wall = performance.now() - t0;
  if (run.status !== 0) throw new Error(`sluice run failed:\n${run.stdout}\n${run.stderr}`);
  const { runId } = JSON.parse(run.stdout);
  const { steps } = JSON.parse(sluice(['runs', 'show', runId, '--json']).stdout);
  const ms = (s) => s.ended_at - s.started_at;
  const acquire = steps.find((s) => s.name === 'acquire/flights');
  const validate = steps.find((s) => s.name === 'validate/flights');
  results.push({
    acquire: ms(acquire),
    validate: ms(validate),
    steps: ms(acquire) + ms(validate),
    wall,
    peak: Math.max(acquire.resources.peak_rss, validate.resources.peak_rss),
  });
  rmSync(dir, { recursive: true, force: true });
}
const median = (k) => [...results].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`flights-3m.parquet (3,000,000 rows): acquire + validate, each with profile and PII scan; median of ${runs}`);
console.log(`  acquire step          ${(median('acquire') / 1000).toFixed(2)} s`);
console.log(`  validate step         ${(median('validate') / 1000).toFixed(2)} s`);
console.log(`  both steps            ${(median('steps') / 1000).toFixed(2)} s   (target ≤ 5 s)`);
console.log(`  whole \`sluice run\`    ${(median('wall') / 1000).toFixed(2)} s   (start-up, records and storing the dataset versions included)`);
console.log(`  peak memory           ${(median('peak') / 1024 ** 3).toFixed(2)} GiB (target ≤ 1.5 GB)`);
