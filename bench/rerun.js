#!/usr/bin/env node
// Re-running the unchanged income pipeline (every step cached), timed from the shell: the wall
// time of the whole `sluice run` process, start-up included. Target: under 0.5 s.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-rerun-'));
cpSync(join(root, 'examples', 'income', 'sluice.yaml'), join(dir, 'sluice.yaml'));
cpSync(join(root, 'examples', 'income', 'data'), join(dir, 'data'), { recursive: true });
cpSync(join(root, 'examples', 'income', 'expectations'), join(dir, 'expectations'), { recursive: true });
const sluice = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'sluice.js'), '-C', dir, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sluice ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout };
};
try {
  const first = sluice(['run', '--quiet']);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = sluice(['run', '--quiet']);
    if (!/cached/.test(r.out)) throw new Error('a rerun was not cached');
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const bare = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }
  bare.sort((a, b) => a - b);
  console.log('income pipeline, every step cached (wall time of `sluice run`, from the shell)');
  console.log(`  first run (nothing cached)   ${(first.ms / 1000).toFixed(2)} s`);
  console.log(`  cached rerun, ${runs} runs      median ${(q(0.5) / 1000).toFixed(3)} s   min ${(times[0] / 1000).toFixed(3)} s   max ${(times.at(-1) / 1000).toFixed(3)} s`);
  console.log(`  bare \`node -e 0\`             median ${(bare[2] / 1000).toFixed(3)} s`);
  console.log(`  target < 0.5 s: ${q(0.5) < 500 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
