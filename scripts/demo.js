#!/usr/bin/env node
// The demo: the CD4ML loop as far as Sluice has built it, on the embedded default (SQLite
// metadata, local artifact folder, local processes), on the UCI Adult income example.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
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
  return r.status;
}

step(
  '1. The pipeline: acquire → validate → prepare → data gate (expectations, PII, bias) → split → train (GBDT and a logistic baseline) → evaluate (metrics, fairness) → gates → register',
  ['run', '--quiet'],
);
step('2. Run it again: nothing changed, so every step is reused from the cache', ['run', '--quiet']);
step('3. The registered model and everything that made it: data versions, code, params, metrics, fairness, gates', ['models', 'show', 'income@champion']);
step('4. The pipeline run: steps, timings, memory, gates, datasets', ['runs', 'show', 'latest']);
step('5. A dataset version: its checks (expectations, PII scan, bias) and statistics profile', ['datasets', 'show', 'checked']);
step('6. What changed between the training and the test data', ['datasets', 'diff', 'split.train', 'checked_test']);
step('7. Experiments, searched with the MLflow filter syntax (the same API `sluice server` serves to MLflow clients)', ['runs', 'search', 'metrics.test_roc_auc > 0.9', '--order-by', 'metrics.test_roc_auc DESC']);
step("8. A step's stored log", ['logs', 'latest', '--step', 'train', '--grep', 'trees|iteration 1:']);

// 9. Serving: the champion behind the Open Inference Protocol, MLflow scoring and /predict.
console.log(`\n\x1b[1m━━ 9. Serve the champion and ask it for a prediction\x1b[0m\n$ sluice serve income@champion --port 0 --json`);
const server = spawn(process.execPath, [sluice, '-C', example, 'serve', 'income@champion', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise((resolve, reject) => {
  createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  server.once('exit', (code) => reject(new Error(`sluice serve exited with code ${code}`)));
});
const record = {
  age: 52, workclass: 'Self-emp-inc', education: 'Doctorate', 'education-num': 16, 'marital-status': 'Married-civ-spouse',
  occupation: 'Exec-managerial', relationship: 'Husband', race: 'White', sex: 'Male', 'capital-gain': 15024, 'capital-loss': 0,
  'hours-per-week': 60, 'native-country': 'United-States',
};
console.log(`serving income@${ready.version} at ${ready.url}\n$ curl -X POST ${ready.url}/predict -d '{"records": [{"age": 52, "education": "Doctorate", ...}]}'`);
const answer = await fetch(`${ready.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [record] }) });
console.log(JSON.stringify(await answer.json(), null, 2));
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));

console.log(`
Where to look:
  examples/income/sluice.yaml        the pipeline, its data checks, gates and registration
  examples/income/.sluice/sluice.db  the metadata store (SQLite; SLUICE_DATABASE_URL=postgres://… for PostgreSQL)
  examples/income/.sluice/artifacts  the content-addressed artifact store (datasets, model packages, reports, logs)
Try:
  npx sluice -C examples/income run --force              rerun everything
  npx sluice -C examples/income server                   MLflow-compatible tracking server and REST API on :5000
  npx sluice -C examples/income datasets show checked --html report.html
  npx sluice -C examples/flights run                     3 million flights, one source per month
  npx sluice -C examples/income env serve --env staging  then: npx sluice -C examples/income deploy income@champion --env staging --strategy canary
`);
