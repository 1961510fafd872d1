#!/usr/bin/env node
// The flights demo: the loop closed, at accelerated time. A model trained on January 2001 serves
// the production environment; February–June traffic is replayed through it (a sample of each
// month, one month per few seconds) with the labels sent back as feedback and landing month by
// month as the newest training data. `sluice server` runs the monitor on its schedule: drift and
// accuracy change month by month; when accuracy drops an alert fires, the retrain on the newest
// data runs by itself, passes its gate and is promoted by canary. At the end, the timeline from
// the store. Usage: node scripts/demo-flights.js [--rows 6000] [--landed 30000] [--month-seconds 6] [--dir examples/flights/live]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = resolve(option('dir', join(root, 'examples', 'flights', 'live')));
const rowsPerMonth = Number(option('rows', 6000));
// The labels of every flight of a month land; here a sample of them, large enough to train on.
const landedPerMonth = Math.max(rowsPerMonth, Number(option('landed', 30000)));
const monthSeconds = Number(option('month-seconds', 6));
const dist = process.env.SLUICE_TEST_DIST ?? join(root, 'dist');
const sluiceJs = join(dist, 'sluice.js');
const flightsFile = join(root, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');
const MONTHS = ['2001-01', '2001-02', '2001-03', '2001-04', '2001-05', '2001-06'];
const NAMES = { '2001-01': 'January', '2001-02': 'February', '2001-03': 'March', '2001-04': 'April', '2001-05': 'May', '2001-06': 'June' };
const plain = !process.stdout.isTTY || process.env.NO_COLOR;
const bold = (s) => (plain ? s : `\x1b[1m${s}\x1b[0m`);
const dim = (s) => (plain ? s : `\x1b[2m${s}\x1b[0m`);
const t0 = Date.now();
const stamp = () => dim(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`);
const say = (line) => console.log(`${stamp()} ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!existsSync(sluiceJs)) fail(`${sluiceJs} is missing: run \`npm run build\` first (npm run demo:flights does).`);
if (!existsSync(flightsFile)) fail(`${flightsFile} is missing: run \`npm install\` (the data ships in the npm package vega-datasets).`);

// Children (the environment's router, the server) stop with the demo, however it ends.
const children = new Set();
function fail(message) {
  console.error(`demo stopped: ${message}`);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
}
process.on('SIGINT', () => fail('interrupted'));

function sluice(title, cliArgs, { quiet = false } = {}) {
  if (title) console.log(`\n${bold(`━━ ${title}`)}\n$ sluice ${cliArgs.join(' ')}`);
  const r = spawnSync(process.execPath, [sluiceJs, '-C', dir, ...cliArgs], { stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) fail(`\`sluice ${cliArgs.join(' ')}\` exited with code ${r.status}${quiet ? `\n${r.stdout}${r.stderr}` : ''}`);
  return r.stdout;
}

/** Starts a long-running sluice command; resolves with its JSON once it printed it. */
function start(cliArgs, label) {
  const child = spawn(process.execPath, [sluiceJs, '-C', dir, ...cliArgs, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('close', () => children.delete(child));
  let out = '';
  let err = '';
  const ready = new Promise((resolveReady, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      try {
        resolveReady(JSON.parse(out));
      } catch {
        // not a whole JSON document yet
      }
    });
    child.on('close', (code) => reject(new Error(`${label} exited with code ${code}\n${err}`)));
  });
  child.stderr.on('data', (d) => {
    err += d;
    // The scheduler's lines, without an alert's comings and goings below firing (pending, back to inactive).
    for (const line of String(d).split('\n')) if (line.startsWith('[scheduler') && !/→ pending|pending → inactive/.test(line)) say(dim(line.replace(/^\[scheduler [^\]]*\] /, 'scheduler: ')));
  });
  return { child, ready };
}

// ── The data: a sample of each month, and its features, with DuckDB ─────────────────────────
const { DuckDBInstance } = await import('@duckdb/node-api');
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const features = readFileSync(join(dir, '..', 'sql', 'features.sql'), 'utf8');

async function sampleMonth(month) {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const table = `month_${month.replace('-', '_')}`;
  await duck.run(`CREATE OR REPLACE TABLE ${table} AS
    SELECT * FROM (SELECT date, delay, distance, origin, destination FROM read_parquet('${flightsFile}') WHERE date >= '${month}-01' AND date < '${next}')
    USING SAMPLE reservoir(${landedPerMonth} ROWS) REPEATABLE (${m})`);
  await duck.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${table} ORDER BY date, origin, destination, delay`);
  // As JSON values: BIGINT columns come back as strings, and the model wants numbers.
  const all = (await duck.runAndReadAll(`WITH flights AS (SELECT * FROM ${table}) SELECT * FROM (${features})`))
    .getRowObjectsJson()
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && !['origin', 'destination'].includes(k) ? Number(v) : v])));
  // The traffic replayed: an even subset of the month, in time order.
  const step = all.length / rowsPerMonth;
  const rows = Array.from({ length: Math.min(rowsPerMonth, all.length) }, (_, i) => all[Math.floor(i * step)]);
  return { table, rows };
}

/**
 * Labels land in the lake as they come back: part `part` of `parts` of a month's flights (in
 * time order) as landing/<month>-<part>.parquet, the newest training data.
 */
async function land(table, month, part = 0, parts = 1) {
  mkdirSync(join(dir, 'landing'), { recursive: true });
  const n = Number((await duck.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
  const from = Math.floor((part * n) / parts);
  const to = Math.floor(((part + 1) * n) / parts);
  const file = join(dir, 'landing', `${month}-${part + 1}.parquet`);
  await duck.run(`COPY (SELECT * FROM ${table} ORDER BY date, origin, destination, delay LIMIT ${to - from} OFFSET ${from}) TO '${file}' (FORMAT parquet)`);
}

// ── 1. Start from nothing; January lands and trains the first model ──────────────────────────
rmSync(join(dir, '.sluice'), { recursive: true, force: true });
rmSync(join(dir, 'landing'), { recursive: true, force: true });
console.log(bold(`Flights: ${rowsPerMonth} flights a month replayed (labels of ${landedPerMonth} land), one month every ${monthSeconds}s, in ${dir}`));
const january = await sampleMonth(MONTHS[0]);
await land(january.table, MONTHS[0]);
sluice('1. January lands; the pipeline trains on the newest 45 days (the last week held out) and registers flights-delay@1', ['run', '--quiet']);

console.log(`\n${bold('━━ 2. Production: the environment\'s router, flights-delay@1 deployed, and `sluice server` with its scheduler')}`);
const env = start(['env', 'serve', '--env', 'production'], 'sluice env serve');
const envInfo = await env.ready.catch((e) => fail(e.message));
const router = envInfo.url;
sluice('', ['deploy', 'flights-delay@1', '--env', 'production', '--strategy', 'direct', '--reason', 'first model'], { quiet: true });
say(`production at ${router} serves flights-delay@1`);
const server = start(['server', '--port', '0', '--log-level', 'warn'], 'sluice server');
const serverInfo = await server.ready.catch((e) => fail(e.message));
say(`sluice server at ${serverInfo.url}: monitor 'delays' every 2s, alert 'accuracy_drop' (accuracy < 77.5% twice in a row) → retrain`);

const { openProject } = await import(pathToFileURL(join(dist, 'project.js')).href);
const { listMonitorRuns } = await import(pathToFileURL(join(dist, 'monitoring', 'monitors', 'index.js')).href);
const { listAlertStates } = await import(pathToFileURL(join(dist, 'monitoring', 'alerts', 'index.js')).href);
const { listTriggerEvents } = await import(pathToFileURL(join(dist, 'pipeline', 'triggers', 'index.js')).href);
const project = await openProject(dir);
const db = project.store.db;
const serving = async () => (await fetch(`${router}/-/sluice/state`).then((r) => r.json())).stable;
const retrainOpen = async () => (await listTriggerEvents(db, 'flights-live', { kind: 'alert', limit: 5 })).some((e) => ['started', 'deploying'].includes(e.status));

/** POSTs a month's flights through the router in batches, at an even pace, with their labels as feedback. */
async function replay(month, rows, { feedback = true, seconds = monthSeconds } = {}) {
  const batch = 25;
  const batches = Math.ceil(rows.length / batch);
  const gap = (seconds * 1000) / batches;
  let sent = 0;
  for (let b = 0; b < batches; b++) {
    const started = Date.now();
    const part = rows.slice(b * batch, (b + 1) * batch);
    const requestId = `${month}-${feedback ? '' : 'again-'}${String(b).padStart(4, '0')}-${started}`;
    // The model's inputs: not the label, nor the day of the month (the pipeline leaves it out).
    const records = part.map(({ delayed: _, day_of_month: __, ...r }) => r);
    const answer = await fetch(`${router}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify({ records }) });
    if (!answer.ok) fail(`the router answered ${answer.status}: ${await answer.text()}`);
    await answer.arrayBuffer();
    if (feedback) {
      const labels = part.map((r, row) => ({ request_id: requestId, row, label: r.delayed }));
      const fb = await fetch(`${router}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(labels) });
      if (!fb.ok) fail(`feedback answered ${fb.status}: ${await fb.text()}`);
      await fb.arrayBuffer();
    }
    sent += part.length;
    await sleep(Math.max(0, gap - (Date.now() - started)));
  }
  return sent;
}

/** The first monitor run that started after `since`: its window is the traffic just replayed. */
async function monitorRunAfter(since) {
  for (let i = 0; i < 600; i++) {
    const [run] = await listMonitorRuns(db, 'flights-live', { monitor: 'delays', limit: 1 });
    if (run && run.createdAt >= since) return run;
    await sleep(100);
  }
  fail('no monitor run in 60 s: is the scheduler running?');
}

// ── 3. February to June, one month every few seconds ─────────────────────────────────────────
console.log(`\n${bold('━━ 3. Replay February–June: predictions through the router, labels as feedback, the monitor after each month')}`);
const pct = (x) => (x === null || x === undefined ? '   -  ' : `${(x * 100).toFixed(1)}%`.padStart(6));
let last;
for (const month of MONTHS.slice(1)) {
  const { table, rows } = await sampleMonth(month);
  const version = await serving();
  // A week at a time: the week's traffic, then its labels land.
  const weeks = 4;
  let sent = 0;
  for (let w = 0; w < weeks; w++) {
    sent += await replay(`${month}-${w + 1}`, rows.slice(Math.floor((w * rows.length) / weeks), Math.floor(((w + 1) * rows.length) / weeks)), { seconds: monthSeconds / weeks });
    await land(table, month, w, weeks);
  }
  const done = Date.now();
  const now = await serving();
  const run = await monitorRunAfter(done);
  const alerts = await listAlertStates(db, 'flights-live');
  const firing = alerts.filter((a) => a.state === 'firing').map((a) => a.rule);
  const delayRate = rows.filter((r) => r.delayed === 'yes').length / rows.length;
  say(
    `${bold(NAMES[month].padEnd(8))} ${sent} flights served by ${version === now ? version : `${version} then ${now}`}, ${pct(delayRate)} delayed | accuracy ${pct(run.accuracy)} | drift share ${pct(run.driftShare)} (${run.summary.driftedColumns.join(', ') || 'none'}) | alerts firing: ${firing.join(', ') || 'none'}`,
  );
  last = { month, rows };
}

// A retrain still going (its canary needs traffic): June's traffic again, without labels, until it ends.
while (await retrainOpen()) {
  say(dim('a retrain is in progress: replaying June traffic again for its canary'));
  await replay(`${last.month}`, last.rows.slice(0, Math.min(2000, last.rows.length)), { feedback: false, seconds: 3 });
}

// ── 4. The timeline, from the store ───────────────────────────────────────────────────────────
await project.close();
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
sluice('4. What fired and what it led to: alert → pipeline run → model version → deployment revision', ['triggers', 'history']);
sluice('5. The alerts and their state changes', ['alerts', 'list']);
sluice('6. The monitor timeline (newest first)', ['monitor', 'history', 'delays', '--limit', '12']);
sluice('7. What production served, revision by revision', ['env', 'history', '--env', 'production']);
const retrains = JSON.parse(sluice('', ['triggers', 'history', '--kind', 'alert', '--json'], { quiet: true }));
const promoted = retrains.find((e) => e.status === 'promoted');
if (promoted) sluice(`8. The retrain run, walked back to its alert and forward to its deployment`, ['runs', 'show', promoted.pipelineRunId]);
env.child.kill('SIGTERM');
await new Promise((r) => env.child.once('exit', r));

console.log(`
${bold(promoted ? `Done in ${((Date.now() - t0) / 1000).toFixed(0)} s: the alert retrained the model on the newest months, and ${promoted.model}@${promoted.version} was promoted by canary.` : 'Done: no retrain was promoted (see the trigger history above).')}
Where to look:
  ${dir}/sluice.yaml   the pipeline on landing/*.parquet, the monitor, the alert rules and the retrain policy
  ${dir}/.sluice/alerts.log   what the log channel wrote
Try:
  npx sluice -C ${dir} monitor show <run> --html report.html
  npx sluice -C ${dir} triggers list
`);
process.exit(promoted ? 0 : 1);
