// Tracking server benchmarks, on SQLite and on PostgreSQL:
//   1. log-batch ingest over HTTP on loopback: one client process, 4 keep-alive connections,
//      1000 metric points per request (target: at least 100,000 points/s);
//   2. runs/search with a metric filter and order_by over 100,000 runs (target: p50 at most 50 ms).
// The server runs in a child process (this file with --serve), as `sluice server` would.
//   node bench/tracking.js [--backend sqlite|postgres|both] [--runs 100000] [--seconds 10] [--searches 50]
// PostgreSQL: SLUICE_TEST_POSTGRES_URL (scripts/ci/postgres.sh prints it); a scratch database is
// created and dropped. Needs a build of src/ (dist/ by default, or SLUICE_DIST).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const dist = path.resolve(path.dirname(here), process.env.SLUICE_DIST ?? '../dist');
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

// ── The server child: opens the store, seeds runs, serves, prints its URL ─────────────────────

async function serve() {
  const { openStore } = await load('store/index.js');
  const { LocalArtifactStore } = await load('artifacts/index.js');
  const { buildServer } = await load('server/index.js');
  const workspace = arg('workspace');
  const store = await openStore({ url: arg('db'), workspace });
  await seedRuns(store, Number(arg('runs', '0')));
  const app = await buildServer({ store, artifacts: new LocalArtifactStore(path.join(workspace, 'artifacts')), project: 'bench', logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${app.server.address().port}` })}\n`);
  process.on('SIGTERM', async () => {
    await app.close();
    await store.close();
    process.exit(0);
  });
}

/** N runs in experiment "bench", each with metrics auc and rmse, params model and lr, a tag: bulk-inserted. */
export async function seedRuns(store, count) {
  if (count === 0) return;
  const db = store.db;
  const experimentId = '1000';
  await db
    .insertInto('experiments')
    .values({ experiment_id: experimentId, name: 'bench', artifact_location: 'mlflow-artifacts:/1000', lifecycle_stage: 'active', creation_time: Date.now(), last_update_time: Date.now() })
    .execute();
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const CHUNK = 1000;
  for (let start = 0; start < count; start += CHUNK) {
    const runs = [];
    const metrics = [];
    const params = [];
    const tags = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const runId = i.toString(16).padStart(32, '0');
      runs.push({ run_id: runId, experiment_id: experimentId, run_name: `run-${i}`, user_id: 'bench', status: 'FINISHED', start_time: 1_700_000_000_000 + i, end_time: 1_700_000_100_000 + i, lifecycle_stage: 'active', artifact_uri: `mlflow-artifacts:/1000/${runId}/artifacts`, pipeline_run_id: null, step_name: null });
      for (const [key, value] of [['auc', random()], ['rmse', random() * 10], ['loss', random()]]) metrics.push({ run_id: runId, key, value, timestamp: 1, step: 0, is_nan: 0 });
      params.push({ run_id: runId, key: 'model', value: ['gbdt', 'linear', 'forest'][i % 3] }, { run_id: runId, key: 'lr', value: String(0.01 * (1 + (i % 10))) });
      tags.push({ run_id: runId, key: 'mlflow.runName', value: `run-${i}` });
    }
    await store.transaction(async (trx) => {
      await trx.insertInto('tracking_runs').values(runs).execute();
      for (let i = 0; i < metrics.length; i += 1000) {
        await trx.insertInto('metrics').values(metrics.slice(i, i + 1000)).execute();
        await trx.insertInto('latest_metrics').values(metrics.slice(i, i + 1000)).execute();
      }
      await trx.insertInto('params').values(params).execute();
      await trx.insertInto('run_tags').values(tags).execute();
    });
  }
  // As autovacuum would leave a PostgreSQL database that has been in use for a while.
  const { sql } = await import('kysely');
  if (store.dialect === 'postgres') await sql`vacuum analyze tracking_runs, latest_metrics, metrics, params, run_tags`.execute(db);
  else await sql`analyze`.execute(db);
}

// ── The client ────────────────────────────────────────────────────────────────────────────────

async function main() {
  const backends = arg('backend', 'both') === 'both' ? ['sqlite', 'postgres'] : [arg('backend')];
  const runs = Number(arg('runs', '100000'));
  const seconds = Number(arg('seconds', '10'));
  const searches = Number(arg('searches', '50'));
  const results = [];
  for (const backend of backends) {
    const target = await provision(backend);
    if (!target) continue;
    const server = await startServer(target, runs);
    try {
      // Search first: the ingest leaves PostgreSQL with a million fresh rows to vacuum.
      const search100 = await benchSearch(server.url, searches, 100);
      const search1000 = await benchSearch(server.url, Math.max(5, Math.round(searches / 5)), 1000);
      const ingest = await benchIngest(server.url, seconds);
      results.push({ backend, ingest, search100, search1000 });
      console.log(`\n${backend}`);
      console.log(`  log-batch ingest, 4 connections, 1000 points/request: ${Math.round(ingest.pointsPerSecond).toLocaleString('en')} points/s (${ingest.points.toLocaleString('en')} points in ${ingest.seconds.toFixed(1)} s, request p50 ${ingest.p50.toFixed(1)} ms)`);
      for (const [label, s] of [['max_results 100', search100], ['max_results 1000', search1000]]) {
        console.log(`  runs/search over ${runs.toLocaleString('en')} runs, "${s.filter}" order_by ${s.orderBy}, ${label}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (${s.matched} runs returned, ${s.n} searches)`);
      }
    } finally {
      await server.stop();
      await target.dispose();
    }
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(results));
}

async function provision(backend) {
  const workspace = await mkdtemp(path.join(tmpdir(), 'sluice-bench-tracking-'));
  if (backend === 'sqlite') return { workspace, url: path.join(workspace, 'sluice.db'), dispose: () => rm(workspace, { recursive: true, force: true }) };
  const admin = process.env.SLUICE_TEST_POSTGRES_URL;
  if (!admin) {
    console.log('\npostgres: skipped (set SLUICE_TEST_POSTGRES_URL; scripts/ci/postgres.sh prints it)');
    await rm(workspace, { recursive: true, force: true });
    return undefined;
  }
  const { default: pg } = await import('pg');
  const name = `sluice_bench_${randomBytes(4).toString('hex')}`;
  const adminQuery = async (text) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    workspace,
    url: url.href,
    dispose: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

async function startServer(target, runs) {
  const child = spawn(process.execPath, [here, '--serve', '--db', target.url, '--workspace', target.workspace, '--runs', String(runs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).url);
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { url, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function benchIngest(base, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const api = (p) => `${base}/api/2.0/mlflow/${p}`;
  const connections = 4;
  const runIds = [];
  for (let c = 0; c < connections; c++) runIds.push((await post(agent, api('runs/create'), { experiment_id: '0', run_name: `ingest-${c}` })).run.info.run_id);
  const latencies = [];
  let points = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    runIds.map(async (runId, c) => {
      for (let step = 0; performance.now() < deadline; step += 1000) {
        const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: Math.sin(step + i), timestamp: 1_700_000_000_000 + step + i, step: step + i }));
        const t = performance.now();
        await post(agent, api('runs/log-batch'), { run_id: runId, metrics });
        latencies.push(performance.now() - t);
        points += metrics.length;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { points, seconds: elapsed, pointsPerSecond: points / elapsed, p50: percentile(latencies, 50) };
}

async function benchSearch(base, n, maxResults) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = { experiment_ids: ['1000'], filter: "metrics.auc > 0.9 and params.model = 'gbdt'", order_by: ['metrics.rmse ASC'], max_results: maxResults };
  const times = [];
  let matched = 0;
  for (let i = 0; i < n + 3; i++) {
    const t = performance.now();
    const page = await post(agent, `${base}/api/2.0/mlflow/runs/search`, body);
    if (i >= 3) times.push(performance.now() - t); // the first three warm caches
    matched = page.runs?.length ?? 0;
  }
  agent.destroy();
  return { n, filter: body.filter, orderBy: body.order_by[0], matched, p50: percentile(times, 50), p95: percentile(times, 95) };
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv[1] === here) await main();
