#!/usr/bin/env node
// The demo: the CD4ML loop as far as Sluice has built it, on the embedded default (SQLite
// metadata, local artifact folder, local processes), on the UCI Adult income example.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
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
const record = {
  age: 52, workclass: 'Self-emp-inc', education: 'Doctorate', 'education-num': 16, 'marital-status': 'Married-civ-spouse',
  occupation: 'Exec-managerial', relationship: 'Husband', race: 'White', sex: 'Male', 'capital-gain': 15024, 'capital-loss': 0,
  'hours-per-week': 60, 'native-country': 'United-States',
};
let served = await serve();
console.log(`serving income@${served.ready.version} at ${served.ready.url}\n$ curl -X POST ${served.ready.url}/predict -d '{"records": [{"age": 52, "education": "Doctorate", ...}]}'`);
const answer = await fetch(`${served.ready.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [record] }) });
console.log(JSON.stringify(await answer.json(), null, 2));

// 10–15. Production traffic with labels coming back, then monitors and alerts on it.
const traffic = adultTest();
console.log(`\n\x1b[1m━━ 10. Production traffic: 1,000 people from adult.test, each label sent back later as feedback\x1b[0m`);
console.log(`$ POST /predict (X-Request-Id) × 10, then POST /feedback {request_id, row, label} × 10`);
await send(served.ready.url, 'demo-a', traffic.slice(0, 1000));
await served.stop(); // the prediction log is flushed when the server stops
step('11. The monitor compares that window with the training data: drift per input and of the scores, data quality, accuracy and fairness from the labels', ['monitor', 'run', 'income-live']);

console.log(`\n\x1b[1m━━ 12. The world changes: the next 1,000 requests are all women\x1b[0m`);
served = await serve();
await send(served.ready.url, 'demo-b', traffic.filter((r) => r.inputs.sex === 'Female').slice(0, 1000));
await served.stop();
step('13. The monitor runs again: drift on sex, relationship and marital status', ['monitor', 'run', 'income-live']);
step('14. The alert rules judge the results (sluice server does this after every monitor run) and notify their channels', ['alerts', 'check']);
step('15. The timeline: windows, drift share, accuracy, alert events', ['monitor', 'history', 'income-live']);
step('16. A one-off drift report between two dataset versions (or files: CSV, Parquet, JSONL)', ['drift', 'split.train', 'checked_test', '--html', '.sluice/drift.html'], { allowFail: true });
step('17. CI: the pipeline with a report for reviewers (metric deltas vs the champion, gates, data checks, plots); exits non-zero when a gate fails', ['ci', '--out', '.sluice/ci-report']);

console.log(`
Where to look:
  examples/income/sluice.yaml        the pipeline, its data checks, gates and registration
  examples/income/.sluice/sluice.db  the metadata store (SQLite; SLUICE_DATABASE_URL=postgres://… for PostgreSQL)
  examples/income/.sluice/artifacts  the content-addressed artifact store (datasets, model packages, reports, logs)
  examples/income/.sluice/alerts.log what the alert rules' log channel wrote
  examples/income/.sluice/drift.html the drift report with reference-vs-current distributions
  examples/income/.sluice/ci-report  the CI report (report.md, plots) a pull request would get as a comment
Try:
  npx sluice -C examples/income run --force              rerun everything
  npx sluice -C examples/income server                   the web UI, the REST API and the MLflow tracking API on :5000
  npm run demo:flights                                   drift month by month, an alert, automatic retraining, a canary promotion
  npx sluice -C examples/income datasets show checked --html report.html
  npx sluice -C examples/flights run                     3 million flights, one source per month
  npx sluice -C examples/income env serve --env staging  then: npx sluice -C examples/income deploy income@champion --env staging --strategy canary
`);

/** Starts `sluice serve income@champion` on a free port; stop() ends it gracefully. */
async function serve() {
  const server = spawn(process.execPath, [sluice, '-C', example, 'serve', 'income@champion', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const ready = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    server.once('exit', (code) => reject(new Error(`sluice serve exited with code ${code}`)));
  });
  return { ready, stop: async () => (server.kill('SIGTERM'), await exited) };
}

/** adult.test as request records and their true labels ('?' is a missing value). */
function adultTest() {
  const lines = readFileSync(join(example, 'data', 'adult.test'), 'utf8').split('\n').filter((l) => l.trim());
  const header = lines[0].split(',').map((h) => h.trim());
  const numeric = new Set(['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']);
  return lines.slice(1).map((line) => {
    const values = line.split(',').map((v) => v.trim());
    const inputs = {};
    header.forEach((h, j) => {
      if (h === 'Y' || h === 'fnlwgt') return;
      const v = values[j] === '?' ? null : values[j];
      inputs[h] = v !== null && numeric.has(h) ? Number(v) : v;
    });
    return { inputs, label: values[header.indexOf('Y')].replace(/\.$/, '') };
  });
}

/** Predictions in requests of 100 records, then every label back as feedback for its request. */
async function send(url, prefix, rows) {
  for (let i = 0; i < rows.length; i += 100) {
    const id = `${prefix}-${i / 100}`;
    const batch = rows.slice(i, i + 100);
    const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ records: batch.map((b) => b.inputs) }) });
    if (r.status !== 200) throw new Error(`/predict answered ${r.status}: ${await r.text()}`);
    const f = await fetch(`${url}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch.map((b, row) => ({ request_id: id, row, label: b.label }))) });
    if (f.status !== 200) throw new Error(`/feedback answered ${f.status}: ${await f.text()}`);
  }
  console.log(`sent ${rows.length} predictions and ${rows.length} labels`);
}
