// Artifact store throughput against `cp`: node bench/artifacts.js [--size 1GB] [--runs 3]
// Needs a build of src/ (dist/ by default, or SLUICE_DIST=/path/to/build).
import { execFile } from 'node:child_process';
import { randomFill } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.SLUICE_DIST ?? '../dist');
const { LocalArtifactStore } = await import(pathToFileURL(path.join(dist, 'artifacts', 'index.js')).href);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text);
  if (!m) throw new Error(`Cannot parse size '${text}': use e.g. 256MB or 1GB`);
  const unit = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30 }[(m[2] ?? 'B').toUpperCase()];
  return Math.round(Number(m[1]) * unit);
}

const size = parseSize(arg('size', '1GB'));
const runs = Number(arg('runs', '3'));
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-bench-'));
const src = path.join(dir, 'random.bin');

// Each timed step starts from a quiet disk: no dirty pages, no pending discards of deleted files.
async function time(fn) {
  await run('sync');
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}
const record = (xs, r, seconds) => r > 0 && xs.push(seconds);

try {
  const out = await fs.open(src, 'w');
  const buf = Buffer.alloc(4 << 20);
  for (let left = size; left > 0; left -= buf.length) {
    await promisify(randomFill)(buf);
    await out.write(buf, 0, Math.min(left, buf.length));
  }
  await out.close();

  const results = { 'putFile (fsync)': [], cp: [], 'cp + sync': [], 'createReadStream > /dev/null': [] };
  // Round 0 is a warm-up, dropped: on these VMs the first writes into fresh page cache are several times slower.
  for (let r = 0; r <= runs; r++) {
    const store = new LocalArtifactStore(path.join(dir, `store-${r}`));
    let digest;
    record(results['putFile (fsync)'], r, await time(async () => ({ digest } = await store.putFile(src))));
    record(results.cp, r, await time(() => run('cp', [src, path.join(dir, 'cp.bin')])));
    await fs.rm(path.join(dir, 'cp.bin'));
    record(results['cp + sync'], r, await time(async () => {
      await run('cp', [src, path.join(dir, 'cp.bin')]);
      await run('sync', [path.join(dir, 'cp.bin')]);
    }));
    await fs.rm(path.join(dir, 'cp.bin'));
    record(results['createReadStream > /dev/null'], r,
      await time(async () => pipeline(await store.createReadStream(digest), createWriteStream('/dev/null'))),
    );
    await fs.rm(store.root, { recursive: true, force: true });
  }

  if (process.env.BENCH_VERBOSE) console.log(results);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const cp = median(results.cp);
  const mib = size / 2 ** 20;
  console.log(`${mib} MiB, median of ${runs} runs`);
  console.log(`${'operation'.padEnd(30)}${'seconds'.padStart(9)}${'MiB/s'.padStart(9)}${'÷ cp'.padStart(8)}`);
  for (const [name, xs] of Object.entries(results)) {
    const s = median(xs);
    console.log(`${name.padEnd(30)}${s.toFixed(2).padStart(9)}${(mib / s).toFixed(0).padStart(9)}${(s / cp).toFixed(2).padStart(8)}`);
  }
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
