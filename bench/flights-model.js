#!/usr/bin/env node
// Flights, train on January, test on February, through `sluice run` on examples/flights:
// the GBDT's ROC AUC on February and its training time on the full month (about 508k rows).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(root, 'examples', '.bench-flights-'));
try {
  cpSync(join(root, 'examples', 'flights', 'sluice.yaml'), join(dir, 'sluice.yaml'));
  cpSync(join(root, 'examples', 'flights', 'sql'), join(dir, 'sql'), { recursive: true });
  const sluice = (args) => spawnSync(process.execPath, [join(root, 'bin', 'sluice.js'), '-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const t0 = performance.now();
  const run = sluice(['run', '--json']);
  const wall = performance.now() - t0;
  const summary = JSON.parse(run.stdout);
  const shown = JSON.parse(sluice(['runs', 'show', summary.runId, '--json']).stdout);
  const train = shown.steps.find((s) => s.name === 'train');
  const metrics = shown.tracking[0]?.metrics ?? {};
  const value = (k) => metrics[k]?.value;
  console.log('flights: GBDT trained on January 2001, tested on February 2001');
  console.log(`  training rows          ${shown.datasets.find((d) => d.name === 'train_features')?.rows}`);
  console.log(`  test rows              ${shown.datasets.find((d) => d.name === 'test_features')?.rows ?? value('test_rows')}`);
  console.log(`  ROC AUC (February)     ${value('test_roc_auc')?.toFixed(4)}`);
  console.log(`  accuracy (February)    ${value('test_accuracy')?.toFixed(4)}  (base rate of on-time flights: ${((value('test_tn') + value('test_fp')) / value('test_rows')).toFixed(4)})`);
  console.log(`  training time          ${value('training_seconds')?.toFixed(2)} s in the trainer, ${((train.ended_at - train.started_at) / 1000).toFixed(2)} s for the whole step (reading data, ONNX export)`);
  console.log(`  whole pipeline         ${(wall / 1000).toFixed(1)} s (6 monthly sources from 3M rows, joins, features, train, evaluate), status ${summary.status}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
