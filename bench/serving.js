// Model server benchmarks: single-record predictions (POST /predict) with the income example's
// registered model, served by `sluice serve` in its own process on 127.0.0.1, prediction log on:
//   1. requests/s at saturation: wrk when installed (Debian: apt-get install wrk), else the Node
//      keep-alive load generator below (target: at least 5,000/s on 2 cores);
//   2. p50/p99 latency at a fixed 1,000 requests/s: open loop, latency counted from each request's
//      scheduled time, so a stall cannot hide (target: p99 at most 10 ms);
//   3. the server's overhead over a bare onnxruntime-node call, at p50: sequential requests on one
//      connection minus session.run on the same record (target: at most 1 ms).
//   node bench/serving.js [--seconds 10] [--rate 1000] [--connections 32] [--generator wrk|node] [--log-sample 1]
// Needs a build (dist/, or SLUICE_DIST). The load only ever goes to 127.0.0.1, and every phase
// ends by itself; a watchdog stops everything if something hangs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = path.resolve(here, process.env.SLUICE_DIST ?? '../dist');
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const SECONDS = Number(arg('seconds', '10'));
const RATE = Number(arg('rate', '1000'));
const CONNECTIONS = Number(arg('connections', '32'));
const GENERATOR = arg('generator', hasWrk() ? 'wrk' : 'node');
const LOG_SAMPLE = arg('log-sample', '1');
const HOST = '127.0.0.1';

const RECORD = {
  age: 39,
  workclass: 'State-gov',
  education: 'Bachelors',
  'education-num': 13,
  'marital-status': 'Never-married',
  occupation: 'Adm-clerical',
  relationship: 'Not-in-family',
  race: 'White',
  sex: 'Male',
  'capital-gain': 2174,
  'capital-loss': 0,
  'hours-per-week': 40,
  'native-country': 'United-States',
};
const BODY = Buffer.from(JSON.stringify({ records: [RECORD] }));

const work = mkdtempSync(path.join(tmpdir(), 'sluice-bench-serving-'));
let server;
const watchdog = setTimeout(() => {
  console.error('bench/serving: watchdog: stopping after too long');
  server?.kill('SIGKILL');
  process.exit(1);
}, (SECONDS * 6 + 300) * 1000);
watchdog.unref();

try {
  await main();
} finally {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  clearTimeout(watchdog);
}

async function main() {
  console.log(`bench/serving: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, generator ${GENERATOR}`);
  const project = registerIncome();
  const pkg = await materialize(project);
  const meta = JSON.parse(readFileSync(path.join(pkg, 'metadata.json'), 'utf8'));
  console.log(`model: income@1 (${meta.trainer}), one record per request, prediction log sample ${LOG_SAMPLE}`);

  const bare = await bareOnnx(pkg);
  const { url, child } = await startServer(project);
  server = child;
  if (new URL(url).hostname !== HOST) throw new Error(`refusing to load ${url}: the benchmark only targets ${HOST}`);

  await closedLoop(url, 4, 2); // warm-up
  // Steady load first, then saturation: the latencies are those of a server keeping up, not of
  // one still writing the log of a saturation burst.
  const sequential = await sequentialLatency(url, 3000);
  const fixed = await openLoop(url, RATE, SECONDS);
  const saturation = GENERATOR === 'wrk' ? wrk(url, SECONDS) : await closedLoop(url, CONNECTIONS, SECONDS);
  const metrics = await get(`${url}/metrics`);

  const ms = (x) => `${x.toFixed(3)} ms`;
  const overhead = sequential.p50 - bare.p50;
  const batch = sample(metrics, 'sluice_inference_batch_size_sum') / sample(metrics, 'sluice_inference_batch_size_count');
  const rows = [
    ['saturation', `${Math.round(saturation.rps)} requests/s`, `${saturation.errors} errors, ${CONNECTIONS} connections, ${SECONDS} s`, saturation.rps >= 5000 ? 'pass (>= 5,000/s)' : 'FAIL (< 5,000/s)'],
    [`fixed ${RATE}/s`, `p50 ${ms(fixed.p50)}, p99 ${ms(fixed.p99)}`, `${fixed.sent} sent, ${fixed.errors} errors, max ${ms(fixed.max)}`, fixed.p99 <= 10 ? 'pass (p99 <= 10 ms)' : 'FAIL (p99 > 10 ms)'],
    ['bare onnxruntime', `p50 ${ms(bare.p50)}`, `session.run on one record, tensors built each call; p99 ${ms(bare.p99)}`, ''],
    ['sequential HTTP', `p50 ${ms(sequential.p50)}`, `one connection, client to client; p99 ${ms(sequential.p99)}`, ''],
    ['overhead at p50', ms(overhead), 'sequential HTTP p50 minus bare onnxruntime p50', overhead <= 1 ? 'pass (<= 1 ms)' : 'FAIL (> 1 ms)'],
    ['server', `mean batch ${batch.toFixed(2)} rows`, `prediction log: ${sample(metrics, 'sluice_prediction_log_written_total')} written, ${sample(metrics, 'sluice_prediction_log_dropped_total')} dropped`, ''],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  console.log(
    JSON.stringify({
      trainer: meta.trainer,
      generator: GENERATOR,
      saturation_rps: Math.round(saturation.rps),
      fixed_rate: RATE,
      fixed_p50_ms: round(fixed.p50),
      fixed_p99_ms: round(fixed.p99),
      bare_p50_ms: round(bare.p50),
      sequential_p50_ms: round(sequential.p50),
      overhead_p50_ms: round(overhead),
      mean_batch: round(batch),
    }),
  );
}

function hasWrk() {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** The income example, run by the built CLI: it registers income@1. */
function registerIncome() {
  const dir = path.join(work, 'income');
  cpSync(path.join(root, 'examples', 'income'), dir, { recursive: true, filter: (p) => !p.includes(`${path.sep}.sluice`) });
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'sluice.js'), '-C', dir, 'run'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sluice run failed:\n${r.stdout}\n${r.stderr}`);
  return dir;
}

async function materialize(dir) {
  const { openProject } = await load('project.js');
  const { getModelVersion } = await load('registry/index.js');
  const project = await openProject(dir);
  try {
    const mv = await getModelVersion(project.store.db, 'income', 1);
    await project.artifacts.materializeDirectory(mv.source, path.join(work, 'package'));
  } finally {
    await project.close();
  }
  return path.join(work, 'package');
}

/** session.run on one record, with the session options the server uses, tensors built per call. */
async function bareOnnx(pkg) {
  const ort = await import('onnxruntime-node');
  const signature = JSON.parse(readFileSync(path.join(pkg, 'signature.json'), 'utf8'));
  const session = await ort.InferenceSession.create(path.join(pkg, 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const Typed = { float32: Float32Array, float64: Float64Array };
  const feeds = () =>
    Object.fromEntries(
      signature.inputs.map((i) => [i.name, new ort.Tensor(i.type, i.type === 'string' ? [RECORD[i.name] ?? ''] : Typed[i.type].from([RECORD[i.name] ?? NaN]), i.shape.length === 1 ? [1] : [1, 1])]),
    );
  for (let i = 0; i < 500; i++) await session.run(feeds());
  const times = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    await session.run(feeds());
    times.push(performance.now() - t0);
  }
  await session.release();
  return percentiles(times);
}

function startServer(dir) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'sluice.js'), '-C', dir, 'serve', 'income@1', '--host', HOST, '--port', '0', '--json', '--log-sample', LOG_SAMPLE], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ url: JSON.parse(out.split('\n')[0]).url, child });
    });
    child.on('exit', (code) => reject(new Error(`sluice serve exited with ${code}`)));
  });
}

function post(agent, url, onDone) {
  const req = request(`${url}/predict`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': BODY.length } }, (res) => {
    res.resume();
    res.on('end', () => onDone(res.statusCode === 200));
  });
  req.on('error', () => onDone(false));
  req.end(BODY);
}

/** `connections` clients, each sending its next request when the last is answered, for `seconds`. */
function closedLoop(url, connections, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let ok = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  return new Promise((resolve) => {
    let running = connections;
    const loop = () =>
      post(agent, url, (success) => {
        if (success) ok++;
        else errors++;
        if (performance.now() < end) loop();
        else if (--running === 0) {
          agent.destroy();
          resolve({ rps: ok / seconds, errors });
        }
      });
    for (let i = 0; i < connections; i++) loop();
  });
}

/** One connection, one request at a time: the latency a lone client sees. */
async function sequentialLatency(url, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => post(agent, url, resolve));
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return percentiles(times);
}

/**
 * Requests sent on schedule at `rate` per second, whatever the answers (open loop: a stalled
 * server cannot slow the load down and hide its stall). Latency runs from each request's send.
 */
function openLoop(url, rate, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = rate * seconds;
  const times = [];
  let sent = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) {
        const t0 = performance.now();
        post(agent, url, (success) => {
          if (success) times.push(performance.now() - t0);
          else errors++;
          if (++done === total) {
            agent.destroy();
            resolve({ ...percentiles(times), sent, errors });
          }
        });
      }
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
}

function wrk(url, seconds) {
  const script = path.join(work, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(BODY.toString())}\nwrk.headers["Content-Type"] = "application/json"\n`);
  const out = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, `${url}/predict`], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const socketErrors = (/Socket errors:(.*)/.exec(out)?.[1].match(/\d+/g) ?? []).reduce((a, b) => a + Number(b), 0);
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0) + socketErrors;
  return { rps, errors };
}

function get(url) {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
}

function sample(text, name) {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

function percentiles(times) {
  const sorted = Float64Array.from(times).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}
