/**
 * What `sluice server` adds for the web UI, without a browser: the UI's static files (cache
 * headers, deep links, API paths kept apart), and the /api/v1 read endpoints the pages use
 * (DAG, logs and their event stream, deployments and rollback's guards, overview), over a
 * project run by the real `sluice run`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../../src/project.js';
import { buildServer } from '../../src/server/index.js';
import { makeProject, sluice } from '../helpers/cli.js';

let dir: string;
let uiDir: string;
let project: Project;
let app: FastifyInstance;
let bare: FastifyInstance;
let url: string;

const listen = async (a: FastifyInstance) => {
  await a.listen({ host: '127.0.0.1', port: 0 });
  const address = a.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

beforeAll(async () => {
  dir = makeProject({
    'points.csv': 'x,y\n1,2.5\n2,3.5\n3,1.5\n',
    'sluice.yaml': `project: web
sources:
  points: { path: points.csv, columns: { x: integer, y: double } }
steps:
  hello:
    kind: command
    run: echo "hello from the step"; echo done > "$SLUICE_OUTPUT_OUT"
    outputs: { out: { type: file, path: out.txt } }
  after:
    kind: command
    run: echo "second"; echo done > "$SLUICE_OUTPUT_OUT"
    inputs: { first: hello.out }
    outputs: { out: { type: file, path: out.txt } }
environments:
  staging: { port: 1 }
`,
  });
  const r = sluice(dir, ['run']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  // A built UI as Vite leaves it: index.html, hashed assets, the manifest that marks a build.
  uiDir = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  mkdirSync(join(uiDir, '.vite'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Sluice</title><script type="module" src="/assets/index-Abc123.js"></script>');
  writeFileSync(join(uiDir, 'assets', 'index-Abc123.js'), 'console.log("ui")');
  writeFileSync(join(uiDir, '.vite', 'manifest.json'), '{}');
  project = await openProject(dir);
  const local = { workspace: project.workspace, dir: project.dir, config: project.config };
  app = await buildServer({ store: project.store, artifacts: project.artifacts, project: project.config.project, logger: false, local, uiDir });
  url = await listen(app);
  bare = await buildServer({ store: project.store, artifacts: project.artifacts, project: project.config.project, logger: false, uiDir: null });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await bare?.close();
  await project?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (uiDir) rmSync(uiDir, { recursive: true, force: true });
});

describe('the web UI files', () => {
  it('serves index.html for page paths (deep links), revalidated on every load', async () => {
    for (const path of ['/', '/models/income/versions/3', '/pipelines/abc/steps/acquire%2Fadult', '/monitoring?monitor=x']) {
      const r = await fetch(url + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(await r.text()).toContain('/assets/index-Abc123.js');
    }
  });

  it('caches hashed assets for good, and answers 404 (not the page) for a missing one', async () => {
    const r = await fetch(`${url}/assets/index-Abc123.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/javascript');
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${url}/assets/index-Old999.js`)).status).toBe(404);
  });

  it('never serves files outside the build, nor its manifest', async () => {
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/.vite/manifest.json']) {
      const r = await fetch(url + path);
      expect(await r.text(), path).toContain('<title>Sluice</title>');
    }
  });

  it('keeps the JSON 404s of the APIs', async () => {
    const v1 = await fetch(`${url}/api/v1/no-such-thing`);
    expect(v1.status).toBe(404);
    expect(((await v1.json()) as any).error.code).toBe('NOT_FOUND');
    const ml = await fetch(`${url}/ajax-api/2.0/mlflow/no-such-thing`);
    expect(((await ml.json()) as any).error_code).toBe('ENDPOINT_NOT_FOUND');
    expect((await fetch(`${url}/api`)).headers.get('content-type')).toContain('application/json');
  });

  it('says how to build the UI when it is not built', async () => {
    const r = await bare.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.hint).toContain('npm run build');
  });
});

describe('the read endpoints of the pages', () => {
  it('draws the run as a DAG: steps with status and time, edges from the pipeline', async () => {
    const dag = await (await fetch(`${url}/api/v1/pipeline-runs/latest/dag`)).json() as any;
    const hello = dag.nodes.find((n: any) => n.name === 'hello');
    expect(hello).toMatchObject({ kind: 'command', status: 'succeeded', cached: false });
    expect(hello.duration_ms).toBeGreaterThan(0);
    expect(dag.edges).toEqual(expect.arrayContaining([{ from: 'hello', to: 'after' }, { from: 'acquire/points', to: 'validate/points' }]));
    expect(dag.nodes.map((n: any) => n.name).sort()).toEqual(['acquire/points', 'after', 'hello', 'validate/points']);
  });

  it("gives a step's output, and streams it as server-sent events ending with the step's status", async () => {
    const logs = await (await fetch(`${url}/api/v1/pipeline-runs/latest/steps/hello/logs`)).json() as any;
    expect(logs).toMatchObject({ step: 'hello', status: 'succeeded', live: false });
    expect(logs.text).toContain('hello from the step');
    const r = await fetch(`${url}/api/v1/pipeline-runs/latest/steps/hello/logs/stream`);
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const text = await r.text();
    expect(text).toContain('event: status\ndata: {"status":"succeeded"}');
    expect(text).toMatch(/event: log\ndata: \{"text":"hello from the step\\n"\}/);
    expect(text.trim().endsWith('event: end\ndata: {"status":"succeeded"}')).toBe(true);
    const missing = await fetch(`${url}/api/v1/pipeline-runs/latest/steps/nope/logs/stream`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.hint).toContain('lists its steps');
  });

  it('lists the environments of sluice.yaml; rollback needs JSON and an environment the server knows', async () => {
    const list = await (await fetch(`${url}/api/v1/deployments`)).json() as any;
    expect(list.deployments).toEqual([expect.objectContaining({ environment: 'staging', configured: true, health: 'down', current: null })]);
    const env = await (await fetch(`${url}/api/v1/deployments/staging`)).json() as any;
    expect(env.rollback).toEqual({ via_api: true, command: 'sluice rollback --env staging' });
    expect((await fetch(`${url}/api/v1/deployments/nowhere`)).status).toBe(404);
    // A cross-site form posts text/plain: refused before anything is done.
    const form = await fetch(`${url}/api/v1/deployments/staging/rollback`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'reason=x' });
    expect(form.status).toBe(400);
    expect(((await form.json()) as any).error.message).toContain('JSON');
    const unknown = await fetch(`${url}/api/v1/deployments/nowhere/rollback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.hint).toContain('sluice rollback --env nowhere');
    // The router is not running: the error says how to start it.
    const down = await fetch(`${url}/api/v1/deployments/staging/rollback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(((await down.json()) as any).error.hint).toContain('sluice env serve --env staging');
  });

  it('sums the loop up: latest run per project, no models, no firing alerts', async () => {
    const o = await (await fetch(`${url}/api/v1/overview`)).json() as any;
    expect(o.projects).toEqual([expect.objectContaining({ project: 'web', steps: expect.objectContaining({ total: 4, succeeded: 4 }) })]);
    expect(o.models).toEqual([]);
    expect(o.alerts).toEqual([]);
  });

  it('describes every new endpoint in /openapi.json, the event stream as text/event-stream', async () => {
    const doc = await (await fetch(`${url}/openapi.json`)).json() as any;
    for (const p of ['overview', 'pipeline-runs/{ref}/dag', 'pipeline-runs/{ref}/steps/{step}/logs', 'models/{name}/versions/{selector}/card', 'models/{name}/versions/{selector}/lineage', 'deployments', 'deployments/{environment}', 'deployments/{environment}/rollback']) {
      expect(doc.paths[`/api/v1/${p}`], p).toBeDefined();
    }
    expect(Object.keys(doc.paths['/api/v1/pipeline-runs/{ref}/steps/{step}/logs/stream'].get.responses['200'].content)).toEqual(['text/event-stream']);
  });
});

describe('the output of a cached step', () => {
  it('is the log of the run that made the cached result', async () => {
    const again = sluice(dir, ['run']);
    expect(again.code, again.stderr).toBe(0);
    const logs = (await (await fetch(`${url}/api/v1/pipeline-runs/latest/steps/hello/logs`)).json()) as { status: string; text: string; live: boolean };
    expect(logs).toMatchObject({ status: 'cached', live: false });
    expect(logs.text).toContain('hello from the step');
  });
});
