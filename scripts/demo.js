#!/usr/bin/env node
// The demo: the CD4ML loop as far as Sluice has built it, on the embedded default (SQLite
// metadata, local artifact folder, local processes), on the UCI Adult income example.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'income');
const sluice = join(root, 'bin', 'sluice.js');

function step(title, args, { allowFail = false } = {}) {
  console.log(`\n\x1b[1m━━ ${title}\x1b[0m\n$ sluice ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [sluice, '-C', example, ...args], { stdio: 'inherit' });
  if (r.status !== 0 && !allowFail) {
    console.error(`\ndemo stopped: \`sluice ${args.join(' ')}\` exited with code ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

step('1. Run the pipeline: acquire → validate → prepare → split → train → evaluate → gate → register', ['run', '--quiet']);
step('2. Run it again: nothing changed, so every step is reused from the cache', ['run', '--quiet']);
step('3. The model version and everything that made it', ['models', 'show', 'income']);
step('4. The pipeline run: steps, timings, gates, datasets', ['runs', 'show', 'latest']);
step('5. Dataset versions (content-addressed Parquet with schema and lineage)', ['datasets', 'list']);
step("6. A step's stored log", ['logs', 'latest', '--step', 'train', '--grep', 'converged|iteration 1:']);

console.log(`
Where to look:
  examples/income/sluice.yaml        the pipeline, its gates and registration
  examples/income/.sluice/sluice.db  the metadata store (SQLite; set SLUICE_DATABASE_URL=postgres://… for PostgreSQL)
  examples/income/.sluice/artifacts  the content-addressed artifact store (datasets, models, logs)
Try: npx sluice -C examples/income run --force     (rerun everything)
     npx sluice -C examples/income runs list
`);
