// Web UI benchmark in Debian's chromium (playwright-core, never a downloaded browser):
//   1. the runs table of an experiment with 100,000 runs: time to the first rows, time until every
//      page of runs is loaded, and frame timings while scrolling the virtualised table;
//   2. a metric history of 100,000 points: the uPlot chart's draw time, and page load to chart.
// The store is SQLite in a temporary workspace, filled in bulk; the server runs in this process
// from dist/ (`npm run build` first). Targets: smooth scrolling (p95 frame well under 50 ms) and
// a 100,000-point chart drawn in well under a second.
//   node bench/ui.js [--runs 100000] [--points 100000] [--frames 240]
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { seedRuns } from './tracking.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, process.env.SLUICE_DIST ?? '../dist');
const load = (p) => import(pathToFileURL(path.join(dist, p)).href);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', '100000'));
const POINTS = Number(arg('points', '100000'));
const FRAMES = Number(arg('frames', '240'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (v) => `${v.toFixed(1)} ms`;

const exe = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(exe)) {
  console.error(`No chromium at ${exe}: install it (apt-get install chromium, or scripts/ci/chromium.sh) or set SLUICE_CHROMIUM.`);
  process.exit(2);
}
if (!existsSync(path.join(dist, 'ui', 'index.html'))) {
  console.error(`No built UI in ${path.join(dist, 'ui')}: run \`npm run build\` first.`);
  process.exit(2);
}

const workspace = await mkdtemp(path.join(tmpdir(), 'sluice-bench-ui-'));
const { openStore } = await load('store/index.js');
const { LocalArtifactStore } = await load('artifacts/index.js');
const { buildServer } = await load('server/index.js');
const store = await openStore({ workspace });
let app;
let browser;
try {
  const t = performance.now();
  await seedRuns(store, RUNS);
  // One run with a long metric history: POINTS points of a noisy decaying curve.
  const runId = (0).toString(16).padStart(32, '0');
  for (let start = 0; start < POINTS; start += 5000) {
    const rows = [];
    for (let i = start; i < Math.min(POINTS, start + 5000); i++) rows.push({ run_id: runId, key: 'curve', value: Math.exp(-i / (POINTS / 5)) + 0.05 * Math.sin(i / 7), timestamp: 1_700_000_000_000 + i, step: i, is_nan: 0 });
    await store.transaction((trx) => trx.insertInto('metrics').values(rows).execute());
  }
  await store.db.insertInto('latest_metrics').values({ run_id: runId, key: 'curve', value: 0, timestamp: 1_700_000_000_000 + POINTS, step: POINTS - 1, is_nan: 0 }).execute();
  console.log(`store: ${RUNS.toLocaleString('en-US')} runs and a ${POINTS.toLocaleString('en-US')}-point metric in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  app = await buildServer({ store, artifacts: new LocalArtifactStore(path.join(workspace, 'artifacts')), project: 'bench', logger: false, uiDir: path.join(dist, 'ui') });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  browser = await chromium.launch({ executablePath: exe, args: FLAGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Timed in the page, from the start of navigation: the server runs in this process, so
  // playwright's own round trips wait behind it and would overstate what a user sees.
  await page.addInitScript(`new MutationObserver(() => {
    if (!window.__firstRow && document.querySelector('.vt-row')) window.__firstRow = performance.now();
    if (!window.__allRows && document.querySelector('[data-done="true"]')) window.__allRows = performance.now();
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-done'] })`);

  // 1. The runs table (first: the server's share, the first page of 200 runs alone).
  const apiTimes = [];
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    await (await fetch(`${base}/ajax-api/2.0/mlflow/runs/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ experiment_ids: ['1000'], filter: '', order_by: ['attributes.start_time DESC'], max_results: 200 }) })).json();
    apiTimes.push(performance.now() - a);
  }
  await page.goto(`${base}/experiments/1000`);
  await page.waitForSelector('[data-done="true"]', { timeout: 600_000 });
  const { firstRows, allRows } = await page.evaluate('({ firstRows: window.__firstRow, allRows: window.__allRows })');
  const count = Number(await page.getAttribute('[data-count]', 'data-count'));
  const domRows = await page.locator('.vt-row').count();
  // Scroll by a steady 120 px per frame through the table, timing each frame.
  const frames = await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('.vt-scroll');
    const times = [];
    let last = performance.now();
    let n = 0;
    const step = (now) => {
      times.push(now - last);
      last = now;
      el.scrollTop += 120;
      if (++n < ${FRAMES}) requestAnimationFrame(step);
      else resolve(times.slice(2));
    };
    requestAnimationFrame(step);
  })`);
  const jump = await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('.vt-scroll');
    const t = performance.now();
    el.scrollTop = el.scrollHeight / 2;
    requestAnimationFrame(() => requestAnimationFrame(() => resolve({ ms: performance.now() - t, row: document.querySelector('.vt-row')?.dataset.index })));
  })`);

  // 2. The chart.
  await page.goto(`${base}/runs/${runId}`);
  await page.waitForSelector('[data-chart="curve"][data-draw-ms]', { timeout: 120_000 });
  // From navigation start to the end of the chart's first draw (fetch and parse included).
  const drawnAt = Number(await page.getAttribute('[data-chart="curve"]', 'data-drawn-at'));
  const drawMs = Number(await page.getAttribute('[data-chart="curve"]', 'data-draw-ms'));
  const points = Number(await page.getAttribute('[data-chart="curve"]', 'data-points'));

  const result = {
    runs: count,
    firstPageApiMs: Math.round(Math.min(...apiTimes)),
    timeToFirstRowsMs: Math.round(firstRows),
    timeToAllRowsMs: Math.round(allRows),
    rowsInDom: domRows,
    scroll: { frames: frames.length, p50Ms: pct(frames, 50), p95Ms: pct(frames, 95), maxMs: Math.max(...frames), over50Ms: frames.filter((f) => f > 50).length },
    jumpToMiddle: jump,
    chart: { points, drawMs, pageToChartMs: Math.round(drawnAt) },
  };
  console.log(`runs table: ${count.toLocaleString('en-US')} runs, first rows ${ms(firstRows)} after navigation starts (the server answers the first page of 200 in ${ms(Math.min(...apiTimes))}), all loaded after ${ms(allRows)}; ${domRows} rows in the DOM`);
  console.log(`scrolling: ${frames.length} frames, p50 ${ms(result.scroll.p50Ms)}, p95 ${ms(result.scroll.p95Ms)}, max ${ms(result.scroll.maxMs)}, ${result.scroll.over50Ms} over 50 ms; jump to the middle (row ${jump.row}) drawn in ${ms(jump.ms)}`);
  console.log(`chart: ${points.toLocaleString('en-US')} points drawn in ${ms(drawMs)} (navigation to drawn chart ${ms(drawnAt)}, fetching and parsing the points included)`);
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
} finally {
  await browser?.close();
  await app?.close();
  await store.close();
  await rm(workspace, { recursive: true, force: true });
}
