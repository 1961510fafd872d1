/**
 * The web UI in a real browser (Debian's chromium through playwright-core) against `sluice
 * server` on loopback, over a store filled by running the income example: every page is clicked
 * through and the figures it shows are checked against the API. Screenshots: test-results/ui/.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdult, tableRecords } from '../helpers/adult.js';
import { incomeProject, sluiceAsync, sluiceSpawn } from '../helpers/cli.js';
import { freePort } from '../deploy/_env.js';
import { openProject } from '../../src/project.js';
import { getModelVersion, registerModelVersion } from '../../src/registry/index.js';
import { chromiumPath, launch, shotPath } from './_browser.js';
import { startSluiceServer, stop } from './_server.js';

const exe = chromiumPath();
const MONITORING = `
monitors:
  income-live:
    model: income@champion
    window: { rows: 600 }
    min_rows: 200
alerts:
  income-drift:
    monitor: income-live
    metric: drift_share
    op: ">="
    threshold: 0.2
    severity: critical
`;
const TICKER = `  ticker:
    kind: command
    run: for i in 1 2 3; do echo "tick $i"; sleep 0.2; done; echo done > "$SLUICE_OUTPUT_OUT"
    outputs: { out: { type: file, path: out.txt } }
`;

describe.skipIf(!exe)('the web UI in chromium', () => {
  let dir: string;
  let url: string;
  let server: ChildProcess | undefined;
  let browser: Browser;
  let page: Page;
  const children: ChildProcess[] = [];
  const pageErrors: string[] = [];
  const api = async <T = any>(path: string, init?: RequestInit): Promise<T> => {
    const r = await fetch(url + path, init);
    expect(r.ok, `${path}: ${r.status}`).toBe(true);
    return (await r.json()) as T;
  };
  const runsSearch = (body: Record<string, unknown>) => api<{ runs?: any[] }>('/api/2.0/mlflow/runs/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ max_results: 1000, ...body }) });
  const goto = async (path: string) => {
    await page.goto(url + path);
    await page.waitForLoadState('networkidle');
  };
  const f4 = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(4));

  beforeAll(async () => {
    dir = incomeProject();
    const yamlPath = join(dir, 'sluice.yaml');
    const [staging, production] = [await freePort(), await freePort()];
    writeFileSync(
      yamlPath,
      readFileSync(yamlPath, 'utf8')
        .replace('port: 8081', `port: ${staging}`)
        .replace('port: 8080', `port: ${production}`)
        .replace(/^steps:\n/m, `steps:\n${TICKER}`) + MONITORING,
    );
    // Twice: the second run reuses every step (cache hits to show in the DAG).
    for (let i = 0; i < 2; i++) {
      const r = await sluiceAsync(dir, ['run']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    ({ url, child: server } = await startSluiceServer(dir));
    browser = await launch(exe!);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // The browser logs every 4xx answer (a bad filter is one on purpose); anything else is a bug.
      if (m.type() === 'error' && !/the server responded with a status of 40[04]/.test(m.text())) pageErrors.push(m.text());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stop(server);
    for (const c of children) await stop(c);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the overview shows the latest run, the champion and the environments as the API reports them', async () => {
    const o = await api('/api/v1/overview');
    await goto('/');
    const card = page.locator('[data-project="income"]');
    await expect(card.innerText()).resolves.toContain(o.projects[0].latest_run.id);
    expect(await card.innerText()).toContain(`${o.projects[0].steps.total} (`);
    const champion = page.locator('[data-model="income"] [data-alias="champion"]');
    expect(await champion.innerText()).toContain(`v${o.models[0].champion.version}`);
    expect(await champion.innerText()).toContain(`roc_auc ${f4(o.models[0].champion.metrics.roc_auc)}`);
    expect(await page.locator('[data-model="income"] [data-alias="production"]').innerText()).toBe(o.models[0].production ? `v${o.models[0].production.version}` : 'none');
    await expect.poll(() => page.locator('[data-environment]').count()).toBe(o.deployments.length);
    expect(await page.locator('[data-environment="staging"] [data-status]').innerText()).toBe('down');
    if (o.alerts.length === 0) await page.getByText('No firing alerts.').waitFor();
    await page.screenshot({ path: shotPath('overview'), fullPage: true });
  });

  it("pipeline runs: the DAG shows each step's status, cache hit and time, and a node opens the step's logs", async () => {
    const { pipeline_runs: runs } = await api('/api/v1/pipeline-runs');
    await goto('/pipelines');
    await expect.poll(() => page.locator('[data-table="pipeline-runs"] tbody tr').count()).toBe(runs.length);
    await page.getByRole('link', { name: runs[0].id }).click();
    await page.waitForURL(`**/pipelines/${runs[0].id}`);
    const dag = await api(`/api/v1/pipeline-runs/${runs[0].id}/dag`);
    await page.locator('svg.graph [data-node]').first().waitFor();
    await expect.poll(() => page.locator('svg.graph [data-node]').count()).toBe(dag.nodes.length);
    await expect.poll(() => page.locator('svg.graph path.edge').count()).toBe(dag.edges.length);
    const cached = dag.nodes.filter((n: any) => n.cached).length;
    expect(cached).toBeGreaterThan(0);
    await expect.poll(() => page.locator('svg.graph [data-node] text.sub', { hasText: 'cached' }).count()).toBe(cached);
    // The first run's train step ran (not cached): its node shows its time, and its log opens.
    await goto(`/pipelines/${runs[1].id}`);
    const train = page.locator('svg.graph a[aria-label^="Step train:"]');
    expect(await train.getAttribute('aria-label')).toMatch(/Step train: train, succeeded, [\d.]+ (ms|s)/);
    await train.click();
    await page.waitForURL(`**/pipelines/${runs[1].id}/steps/train`);
    const logs = await api(`/api/v1/pipeline-runs/${runs[1].id}/steps/train/logs`);
    const log = page.locator('pre[data-log="train"]');
    await expect.poll(() => log.innerText()).toContain(logs.text.trim().split('\n')[0]);
    expect((await log.innerText()).trim()).toBe(logs.text.trim());
    await page.screenshot({ path: shotPath('pipeline-run'), fullPage: true });
  });

  it('the live log of a running step arrives over server-sent events', async () => {
    const yamlPath = join(dir, 'sluice.yaml');
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8').replace('for i in 1 2 3; do echo "tick $i"; sleep 0.2', 'for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 0.7'));
    const run = sluiceSpawn(dir, ['run']);
    children.push(run);
    const exited = new Promise<number | null>((resolve) => run.on('close', resolve));
    let runId = '';
    await expect
      .poll(
        async () => {
          const r = await fetch(`${url}/api/v1/pipeline-runs/latest`).then((x) => x.json() as Promise<any>);
          runId = r.pipeline_run?.id ?? '';
          return r.pipeline_run?.status === 'running' && r.steps.some((s: any) => s.name === 'ticker' && s.status === 'running');
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    await goto(`/pipelines/${runId}/steps/ticker`).catch(() => {}); // the stream keeps the network busy
    const log = page.locator('pre[data-log="ticker"]');
    await page.locator('[data-live="true"]').waitFor();
    await expect.poll(() => log.innerText(), { timeout: 20_000 }).toContain('tick 2');
    const early = await log.innerText();
    expect(early).not.toContain('tick 8');
    await expect.poll(() => log.innerText(), { timeout: 30_000 }).toContain('tick 8');
    // The end event: the step's final status replaces "live".
    await page.locator('#step-panel [data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-live="true"]').count()).toBe(0);
    expect(await exited).toBe(0);
    const stored = await api(`/api/v1/pipeline-runs/${runId}/steps/ticker/logs`);
    expect((await log.innerText()).trim()).toBe(stored.text.trim());
    await page.screenshot({ path: shotPath('live-logs') });
  });

  it('experiments: the runs table filters in MLflow syntax, sorts, chooses columns, and opens a run with its metric charts', async () => {
    await goto('/experiments');
    await page.getByRole('link', { name: 'income', exact: true }).click();
    await page.waitForURL(/\/experiments\/\d+$/);
    const id = page.url().split('/').pop()!;
    const all = (await runsSearch({ experiment_ids: [id] })).runs ?? [];
    const count = page.locator('[data-count]');
    await page.locator('[data-done="true"]').waitFor();
    expect(await count.getAttribute('data-count')).toBe(String(all.length));
    await expect.poll(() => page.locator('.vt-row').count()).toBe(all.length);

    await page.getByLabel('Filter', { exact: true }).fill('params.trainer = "gbdt"');
    await page.getByLabel('Filter', { exact: true }).press('Enter');
    await page.waitForURL(/filter=/);
    await page.locator('[data-done="true"]').waitFor();
    expect(await page.getByLabel('Filter', { exact: true }).inputValue()).toBe('params.trainer = "gbdt"');
    const gbdt = (await runsSearch({ experiment_ids: [id], filter: 'params.trainer = "gbdt"' })).runs ?? [];
    expect(gbdt.length).toBeGreaterThan(0);
    expect(gbdt.length).toBeLessThan(all.length);
    expect(await count.getAttribute('data-count')).toBe(String(gbdt.length));

    // A filter the server cannot parse: its message, not an empty table.
    await page.getByLabel('Filter', { exact: true }).fill('metrics.x >>> 1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('[role="alert"]').waitFor();
    const bad = await fetch(`${url}/api/2.0/mlflow/runs/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ experiment_ids: [id], filter: 'metrics.x >>> 1' }) });
    expect(bad.status).toBe(400);
    expect(await page.locator('[role="alert"]').innerText()).toContain(((await bad.json()) as any).message);

    await goto(`/experiments/${id}`);
    await page.locator('[data-done="true"]').waitFor();
    await page.locator('button[data-sort="attributes.run_name"]').click();
    await page.waitForURL(/order=attributes.run_name/);
    await page.locator('[data-done="true"]').waitFor();
    const byName = (await runsSearch({ experiment_ids: [id], order_by: ['attributes.run_name DESC'] })).runs!;
    expect(await page.locator('.vt-row').first().getAttribute('data-id')).toBe(byName[0].info.run_id);
    expect(await page.locator('[role="columnheader"][aria-sort="descending"]').innerText()).toContain('Run');

    await page.locator('details.columns summary').click();
    const box = page.getByRole('checkbox', { name: 'metrics.validation_roc_auc' });
    if (await box.isChecked()) await box.uncheck();
    await expect.poll(() => page.locator('.vt-head [title="validation_roc_auc"]').count()).toBe(0);
    await box.check();
    await expect.poll(() => page.locator('.vt-head [title="validation_roc_auc"]').count()).toBe(1);
    expect(page.url()).toContain('cols=');

    // Keyboard: the table takes focus, arrows move, Enter opens the run.
    await page.locator('.vt-scroll').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/runs/${byName[0].info.run_id}`);
    await page.screenshot({ path: shotPath('experiment-runs') });

    const gbdtRun = gbdt[0].info.run_id;
    await goto(`/runs/${gbdtRun}`);
    const run = (await api(`/api/2.0/mlflow/runs/get?run_id=${gbdtRun}`)).run;
    const loss = run.data.metrics.find((m: any) => m.key === 'validation_loss');
    expect(await page.locator('[data-metric="validation_loss"]').innerText()).toBe(f4(loss.value));
    const history = (await api(`/api/2.0/mlflow/metrics/get-history?run_id=${gbdtRun}&metric_key=validation_loss`)).metrics;
    const chart = page.locator('[data-chart="validation_loss"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('data-points')).toBe(String(history.length));
    expect(Number(await chart.getAttribute('data-draw-ms'))).toBeGreaterThan(0);
    await page.screenshot({ path: shotPath('run'), fullPage: true });
  });

  it('compare: runs picked with the keyboard show side by side, differences marked', async () => {
    const id = (await api('/api/2.0/mlflow/experiments/get-by-name?experiment_name=income')).experiment.experiment_id;
    await goto(`/experiments/${id}`);
    await page.locator('[data-done="true"]').waitFor();
    await page.locator('.vt-scroll').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    const compare = page.getByRole('button', { name: 'Compare selected (2)' });
    await compare.click();
    await page.waitForURL(/\/compare\?runs=/);
    const ids = decodeURIComponent(new URL(page.url()).searchParams.get('runs')!).split(',');
    expect(ids).toHaveLength(2);
    const names = await Promise.all(ids.map(async (r) => (await api(`/api/2.0/mlflow/runs/get?run_id=${r}`)).run.info.run_name));
    const header = await page.locator('[data-table="compare"] thead').innerText();
    for (const n of names) expect(header).toContain(n);
    await expect.poll(() => page.locator('[data-table="compare"] tr.diff').count()).toBeGreaterThan(0);
    await page.locator('#compare-metric').selectOption('validation_loss');
    await page.locator('[data-chart="validation_loss"] canvas').waitFor();
    await page.screenshot({ path: shotPath('compare'), fullPage: true });
  });

  it('datasets: row counts, schema, validation, PII scan and profile charts match the API', async () => {
    const { dataset_versions: list } = await api('/api/v1/datasets?limit=1000');
    await goto('/datasets');
    for (const d of list) expect(await page.locator(`[data-table="datasets"] [data-rows="${d.id}"]`).first().innerText()).toBe(d.row_count.toLocaleString('en-US'));
    // 'clean' and 'checked' hold the same content (one version id): the name picks whose checks are shown.
    const checked = list.find((d: any) => d.name === 'checked');
    await page.locator(`a[href="/datasets/${checked.id}?name=checked"]`).first().click();
    await page.waitForURL(`**/datasets/${checked.id}?name=checked`);
    const d = (await api(`/api/v1/datasets/checked`)).dataset_version;
    expect(d.id).toBe(checked.id);
    expect(await page.locator(`dd [data-rows="${d.id}"]`).innerText()).toBe(d.row_count.toLocaleString('en-US'));
    await expect.poll(() => page.locator('[data-table="schema"] tbody tr').count()).toBe(d.schema.length);
    await expect.poll(() => page.locator('[data-table="expectations"] tbody tr').count()).toBe(d.validation.expectations.results.length);
    expect(await page.locator('[data-pii]').getAttribute('data-pii')).toBe(d.validation.pii.passed ? 'passed' : 'failed');
    await expect.poll(() => page.locator('[data-column]').count()).toBe(d.profile.columns.length);
    await expect.poll(() => page.locator('[data-column="age"] svg rect').count()).toBe(d.profile.columns.find((c: any) => c.name === 'age').histogram.counts.length);
    expect(await page.locator('[data-bias="sex"]').innerText()).toContain('Female');
    await page.screenshot({ path: shotPath('dataset'), fullPage: true });
  });

  it('models: versions, aliases, gate results, the model card and the lineage graph', async () => {
    await goto('/models');
    await page.getByRole('link', { name: 'income', exact: true }).click();
    await page.waitForURL('**/models/income');
    const { versions } = await api('/api/v1/models/income/versions');
    await expect.poll(() => page.locator('[data-table="versions"] tbody tr').count()).toBe(versions.length);
    await page.getByRole('link', { name: `v${versions[0].version}`, exact: true }).first().click();
    await page.waitForURL(`**/models/income/versions/${versions[0].version}`);
    const v = (await api(`/api/v1/models/income/versions/${versions[0].version}`)).version;
    expect(await page.locator('[data-version]').innerText()).toBe(`v${v.version}`);
    expect(await page.locator('[data-metric="roc_auc"]').innerText()).toBe(f4(v.metrics.roc_auc));
    for (const a of v.aliases) await page.locator(`[data-alias="${a}"]`).first().waitFor();
    await expect.poll(() => page.locator('[data-table="gates"] tbody tr').count()).toBe(v.gates.length);
    const lineage = await api(`/api/v1/models/income/versions/${v.version}/lineage`);
    await page.locator('svg.graph [data-node]').first().waitFor();
    await expect.poll(() => page.locator('svg.graph [data-node]').count()).toBe(lineage.nodes.length);
    expect(lineage.nodes.map((n: any) => n.kind)).toEqual(expect.arrayContaining(['source', 'dataset', 'run', 'model_version']));
    const card = await api(`/api/v1/models/income/versions/${v.version}/card`);
    const shown = page.locator('.model-card');
    expect(await shown.locator('h3').first().innerText()).toBe(card.markdown.split('\n')[0].replace(/^#\s*/, ''));
    await expect.poll(() => shown.locator('table').count()).toBe(card.markdown.split('\n').filter((l: string) => /^\|\s*-{3}/.test(l)).length);
    expect(await shown.innerText()).toContain(`roc_auc\t${v.metrics.roc_auc.toFixed(4)}`);
    // A lineage node opens what it stands for.
    await page.locator(`svg.graph a[href="/runs/${v.runId}"]`).click();
    await page.waitForURL(`**/runs/${v.runId}`);
    await page.goBack();
    await page.waitForURL(`**/models/income/versions/${v.version}`);
    await page.locator('svg.graph [data-node]').first().waitFor();
    await page.locator('.model-card').waitFor();
    await page.screenshot({ path: shotPath('model-version'), fullPage: true });
  });

  it('deployments: traffic split and revisions, and a rollback through the router from the page', async () => {
    const env = sluiceSpawn(dir, ['env', 'serve', '--env', 'staging', '--json']);
    children.push(env);
    let said = '';
    await new Promise<void>((resolve, reject) => {
      env.on('close', (code) => reject(new Error(`sluice env serve exited with ${code}: ${said}`)));
      env.stderr.on('data', (d: Buffer) => (said += d.toString()));
      env.stdout.on('data', () => resolve());
    });
    // A second version to move between (the same package, registered again).
    const project = await openProject(dir);
    try {
      const mv = await getModelVersion(project.store.db, 'income', 1);
      await registerModelVersion(project.store, { name: 'income', runId: null, source: mv.source, datasets: {}, params: {}, metrics: {}, gates: [], actor: 'test' });
    } finally {
      await project.close();
    }
    for (const version of [1, 2]) {
      const r = await sluiceAsync(dir, ['deploy', `income@${version}`, '--env', 'staging', '--strategy', 'direct', '--reason', `v${version}`]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    await goto('/deployments');
    expect(await page.locator('[data-environment="staging"] [data-status]').innerText()).toBe('up');
    expect(await page.locator('[data-environment="production"] [data-status]').innerText()).toBe('down');
    await page.getByRole('link', { name: 'staging' }).click();
    await page.waitForURL('**/deployments/staging');
    const before = await api('/api/v1/deployments/staging');
    expect(await page.locator('[data-split]').first().getAttribute('data-split')).toBe(before.split.map((s: any) => `${s.model}@${s.version}=${s.weight}`).join(','));
    await expect.poll(() => page.locator('[data-table="revisions"] tbody tr').count()).toBe(before.revisions.length);
    await page.screenshot({ path: shotPath('deployment'), fullPage: true });

    await page.getByLabel('Reason').fill('checked from the UI test');
    await page.getByRole('button', { name: 'Roll back…' }).click();
    await page.getByRole('button', { name: 'Confirm rollback' }).click();
    await page.getByText(/Rolled back: revision \d+ serves income v1/).waitFor({ timeout: 30_000 });
    const after = await api('/api/v1/deployments/staging');
    expect(after.revisions.length).toBe(before.revisions.length + 1);
    expect(after.revisions[0]).toMatchObject({ strategy: 'rollback', actor: 'web-ui', reason: 'checked from the UI test' });
    await page.locator('[data-table="revisions"] tbody tr').nth(before.revisions.length).waitFor();

    // An environment whose router is not running: the page shows the command instead.
    await goto('/deployments/production');
    expect(await page.locator('[data-command]').innerText()).toBe('sluice rollback --env production');
    expect(await page.getByRole('button', { name: 'Roll back…' }).count()).toBe(0);
  });

  it('monitoring: drift per feature over time, reference vs current, accuracy and the firing alert', async () => {
    // Live traffic with labels: a window like the training data, then one of women only.
    const serve = sluiceSpawn(dir, ['serve', 'income@champion', '--port', '0', '--json']);
    children.push(serve);
    const modelUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.on('close', (code) => reject(new Error(`sluice serve exited with ${code}`)));
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]) as { url: string }).url);
      });
    });
    const rows = tableRecords(readAdult('adult.test'));
    const women = rows.filter((r) => String(r.sex) === 'Female');
    const project = await openProject(dir);
    const logged = async () => Number((await project.store.db.selectFrom('prediction_log').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const send = async (prefix: string, batch: Record<string, unknown>[]) => {
      for (let i = 0; i < batch.length; i += 100) {
        const part = batch.slice(i, i + 100);
        const id = `${prefix}-${i}`;
        const r = await fetch(`${modelUrl}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ records: part.map(({ fnlwgt: _f, Y: _y, ...x }) => x) }) });
        expect(r.status).toBe(200);
        const f = await fetch(`${modelUrl}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(part.map((x, row) => ({ request_id: id, row, label: String(x.Y) }))) });
        expect(f.status).toBe(200);
      }
    };
    const times: number[] = [];
    try {
      for (const [prefix, batch] of [['normal', rows.slice(0, 600)], ['women', women.slice(0, 600)]] as const) {
        const before = await logged();
        await send(prefix, batch);
        await expect.poll(logged, { timeout: 20_000 }).toBe(before + 600);
        await new Promise((r) => setTimeout(r, 5));
        times.push(Date.now());
        const m = await sluiceAsync(dir, ['monitor', 'run', 'income-live', '--now', String(times.at(-1)), '--json']);
        expect(m.code, m.stdout + m.stderr).toBe(0);
      }
    } finally {
      await project.close();
    }
    const check = await sluiceAsync(dir, ['alerts', 'check', '--now', String(times[1])]);
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const { monitors } = await api('/api/v1/monitors');
    const latest = monitors.find((m: any) => m.name === 'income-live').latest_run;
    expect(latest.status).toBe('drift');
    await goto('/monitoring');
    const view = page.locator('[data-monitor="income-live"]');
    await view.waitFor();
    expect(await view.locator('[data-rows]').innerText()).toBe(latest.rows.toLocaleString('en-US'));
    expect(await view.locator('[data-drift-share]').innerText()).toBe(`${(latest.driftShare * 100).toFixed(1)}%`);
    expect(await view.locator('[data-accuracy]').innerText()).toBe(latest.accuracy.toFixed(4));
    const series = await api('/api/v1/monitors/income-live/series?metric=drift_score');
    const drifted = series.points.filter((p: any) => p.runId === latest.id && p.verdict === 'drift').map((p: any) => p.column);
    expect(drifted).toContain('sex');
    const driftTable = await view.locator('[data-table="drift-latest"]').innerText();
    for (const c of drifted) expect(driftTable).toContain(c);
    await view.locator('[data-chart^="drift-"] canvas').first().waitFor();
    const charted = (await view.locator('[data-chart^="drift-"]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.columns))).join(',').split(',');
    expect(charted.sort()).toEqual([...new Set(series.points.filter((p: any) => p.column).map((p: any) => p.column))].sort());
    expect(await view.locator('[data-chart="accuracy"]').getAttribute('data-points')).toBe('2');
    const { report } = await api(`/api/v1/monitor-runs/${latest.id}/report`);
    await expect.poll(() => view.locator('[data-distribution]').count()).toBe(report.distributions.length);
    expect(await page.locator('[data-alert-state="income-drift"] [data-status]').innerText()).toBe('firing');
    await page.screenshot({ path: shotPath('monitoring'), fullPage: true });

    await goto('/');
    expect(await page.locator('[data-alert="income-drift"]').innerText()).toContain('drift_share >= 0.2');
    await stop(serve);
  });

  it('deep links load any page directly; API paths keep their JSON errors; hashed assets are cached for good', async () => {
    const run = (await api('/api/v1/pipeline-runs')).pipeline_runs.at(-1).id;
    const ds = (await api('/api/v1/datasets?limit=1')).dataset_versions[0];
    for (const [path, heading] of [
      ['/models/income/versions/1', 'income v1'],
      [`/datasets/${ds.id}?name=${ds.name}`, `Dataset ${ds.name}`],
      [`/pipelines/${run}/steps/${encodeURIComponent('acquire/adult')}`, `Pipeline run ${run}`],
      ['/deployments/staging', 'Environment staging'],
      ['/no/such/page', 'Not found'],
    ]) {
      const r = await page.goto(url + path);
      expect(r?.status()).toBe(200);
      await expect.poll(() => page.locator('h1').innerText()).toContain(heading);
      if (path.includes('/steps/')) await page.locator('pre[data-log="acquire/adult"]').waitFor();
    }
    const missing = await fetch(`${url}/api/v1/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('NOT_FOUND');
    const index = await fetch(`${url}/models`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())![1];
    expect((await fetch(url + asset)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${url}/assets/nope-123.js`)).status).toBe(404);
  });

  it('keyboard: a skip link first, then the sections; the theme follows the system and the toggle, and is remembered', async () => {
    await goto('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab'); // the brand link
    for (let i = 0; i < 5 && (await page.evaluate('document.activeElement.textContent')) !== 'Models'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Models');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/models');
    expect(await page.getByRole('link', { name: 'Models', exact: true }).first().getAttribute('aria-current')).toBe('page');

    const bg = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(await bg()).toBe('rgb(255, 255, 255)');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await bg()).toBe('rgb(20, 23, 29)');
    await page.reload();
    expect(await bg()).toBe('rgb(20, 23, 29)');
    await goto('/');
    await page.screenshot({ path: shotPath('overview-dark'), fullPage: true });
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    expect(await bg()).toBe('rgb(255, 255, 255)');
    // No choice made: the system's preference rules.
    await page.evaluate("localStorage.removeItem('sluice.theme')");
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    expect(await bg()).toBe('rgb(20, 23, 29)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });
});
