/**
 * An environment's router with real model servers on loopback: blue/green switches, failed
 * health and smoke checks that leave traffic alone, rollback, and canaries promoted or aborted
 * by analysis, with a load generator running and zero failed requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnvironment, type Environment } from '../../src/deploy/index.js';
import { openProject, type Project } from '../../src/project.js';
import { getModelVersion } from '../../src/registry/index.js';
import { removeDir } from '../serving/_income.js';
import { RECORD, deployProject, loadGenerator } from './_env.js';

let dir: string;
let project: Project;
const envs: Environment[] = [];

beforeAll(async () => {
  dir = await deployProject();
  project = await openProject(dir);
});

afterAll(async () => {
  await Promise.allSettled(envs.map((e) => e.close()));
  await project?.close();
  if (dir) removeDir(dir);
});

async function env(name: string): Promise<Environment> {
  const e = await startEnvironment(project, name, { port: 0 });
  envs.push(e);
  return e;
}

const predict = (url: string, path = '/predict', body: unknown = { records: [RECORD] }) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const alias = async (a: string) => (await getModelVersion(project.store.db, 'income', a)).version;

describe('blue/green and rollback', () => {
  let production: Environment;

  it('answers 503 with a hint before anything is deployed', async () => {
    production = await env('production');
    const r = await predict(production.url);
    expect(r.status).toBe(503);
    expect(((await r.json()) as any).error.hint).toMatch(/sluice deploy/);
  });

  it('deploys income@champion: smoke-tested, every path forwarded, X-Served-By-Version, alias moved, revision recorded', async () => {
    const rev = await production.deploy({ model: 'income@champion', strategy: 'bluegreen', actor: 'alice', reason: 'first release' });
    expect(rev).toMatchObject({ status: 'applied', model: 'income', version: 1, strategy: 'bluegreen', actor: 'alice', reason: 'first release', traffic: [{ version: 1, weight: 100 }] });
    expect((rev.detail.checks as { passed: boolean }[]).map((c) => c.passed)).toEqual([true, true]);
    const r = await predict(production.url);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-served-by-version')).toBe('income@1');
    expect(((await r.json()) as any).predictions).toHaveLength(1);
    expect((await fetch(`${production.url}/v2/health/ready`)).status).toBe(200);
    const inv = await predict(production.url, '/invocations', { dataframe_records: [RECORD] });
    expect(inv.status).toBe(200);
    expect(inv.headers.get('x-served-by-version')).toBe('income@1');
    const oip = await fetch(`${production.url}/v2/models/income`);
    expect(oip.status).toBe(200);
    expect(await alias('production')).toBe(1);
  });

  it("passes the model server's own 4xx answers through, and refuses a bad deploy request", async () => {
    const r = await fetch(`${production.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"records": [' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-served-by-version')).toBe('income@1');
    const missing = await predict(production.url, '/predict', { records: [{ ...RECORD, age: 'old', extra: 1 }] });
    expect(missing.status).toBe(400);
    const admin = await fetch(`${production.url}/-/sluice/deploy`, { method: 'POST', body: JSON.stringify({ model: 'income@1', strategy: 'yolo' }) });
    expect(admin.status).toBe(400);
    expect(((await admin.json()) as any).error.message).toMatch(/Unknown strategy 'yolo'/);
    const junk = await fetch(`${production.url}/-/sluice/deploy`, { method: 'POST', body: '{' });
    expect(junk.status).toBe(400);
  });

  it('switches to income@2 under load with zero failed requests, keeping income@1 running', async () => {
    const load = loadGenerator(production.url);
    await new Promise((r) => setTimeout(r, 300));
    const rev = await production.deploy({ model: 'income@2', strategy: 'bluegreen', actor: 'bob' });
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(rev.status).toBe('applied');
    expect(result.failed).toBe(0);
    expect(result.versions.get('income@1')).toBeGreaterThan(0);
    expect(result.versions.get('income@2')).toBeGreaterThan(0);
    expect((await predict(production.url)).headers.get('x-served-by-version')).toBe('income@2');
    expect(production.state()).toMatchObject({ stable: 'income@2', previous: 'income@1' });
    expect(await alias('production')).toBe(2);
  });

  it('a version that cannot be served never takes traffic; the failure is recorded', async () => {
    const rev = await production.deploy({ model: 'income@3', strategy: 'bluegreen', actor: 'carol' });
    expect(rev.status).toBe('failed');
    expect(String(rev.detail.error)).toMatch(/income@3/);
    expect((await predict(production.url)).headers.get('x-served-by-version')).toBe('income@2');
    expect(await alias('production')).toBe(2);
  });

  it('rolls back to the previous revision and moves the alias back', async () => {
    const rev = await production.rollback({ actor: 'dave', reason: 'bad numbers' });
    expect(rev).toMatchObject({ status: 'applied', strategy: 'rollback', version: 1, actor: 'dave' });
    expect((await predict(production.url)).headers.get('x-served-by-version')).toBe('income@1');
    expect(await alias('production')).toBe(1);
    // Like `kubectl rollout undo`: rolling back a rollback returns to the version before it.
    expect(await production.rollback({ actor: 'dave' })).toMatchObject({ status: 'applied', version: 2 });
    expect(await alias('production')).toBe(2);
  });
});

describe('smoke tests', () => {
  it('a failing smoke test leaves traffic where it was', async () => {
    const picky = await env('picky');
    const rev = await picky.deploy({ model: 'income@1', strategy: 'direct', actor: 'eve' });
    expect(rev.status).toBe('failed');
    expect(String(rev.detail.error)).toMatch(/expected label 'no such label'/);
    expect((await predict(picky.url)).status).toBe(503);
    await expect(picky.rollback({ actor: 'eve' })).rejects.toThrow(/Nothing is deployed/);
  });
});

describe('canary', () => {
  it('promotes a healthy canary step by step under load with zero failed requests', async () => {
    const production = await env('qa');
    await production.deploy({ model: 'income@1', strategy: 'direct', actor: 'ci' });
    const load = loadGenerator(production.url);
    const weights: number[] = [];
    const watch = setInterval(() => {
      const split = production.router.split().routes;
      const canary = split.find((r) => r.upstream.version === 2);
      if (canary && canary.weight < 100 && split.length === 2) weights.push(canary.weight);
    }, 20);
    const rev = await production.deploy({ model: 'income@2', strategy: 'canary', actor: 'ci' });
    clearInterval(watch);
    await new Promise((r) => setTimeout(r, 200));
    const result = await load.stop();
    expect(rev.status, String(rev.detail.error)).toBe('applied');
    expect(result.failed).toBe(0);
    expect([...new Set(weights)]).toEqual([20, 50]);
    const analyses = rev.detail.analyses as { status: string; canary: { requests: number } }[];
    expect(analyses.length).toBeGreaterThanOrEqual(2);
    expect(analyses.every((a) => a.status === 'successful' && a.canary.requests > 0)).toBe(true);
    expect((await predict(production.url)).headers.get('x-served-by-version')).toBe('income@2');
  });

  it('rolls back a canary that fails its analysis: it never takes full traffic', async () => {
    const fragile = await env('fragile');
    await fragile.deploy({ model: 'income@1', strategy: 'direct', actor: 'ci' });
    const load = loadGenerator(fragile.url);
    let full = false;
    const watch = setInterval(() => {
      const split = fragile.router.split().routes;
      if (split.length === 1 && split[0].upstream.version === 2) full = true;
    }, 10);
    const rev = await fragile.deploy({ model: 'income@2', strategy: 'canary', actor: 'ci' });
    clearInterval(watch);
    const result = await load.stop();
    expect(rev.status).toBe('failed');
    expect(String(rev.detail.error)).toMatch(/Canary analysis failed.*p99/);
    expect(full).toBe(false);
    expect(result.failed).toBe(0);
    expect((await predict(fragile.url)).headers.get('x-served-by-version')).toBe('income@1');
    expect(await alias('fragile')).toBe(1);
  });
});

describe('canary analysis waiting for traffic', () => {
  it('extends the pause up to max_wait until min_requests reach the canary, then promotes', async () => {
    const patient = await env('patient');
    await patient.deploy({ model: 'income@1', strategy: 'direct', actor: 'ci' });
    const deploying = patient.deploy({ model: 'income@2', strategy: 'canary', actor: 'ci' });
    // No traffic during the 200 ms pause; it arrives a second later, while the window is held open.
    await new Promise((r) => setTimeout(r, 1000));
    const load = loadGenerator(patient.url);
    const rev = await deploying;
    const result = await load.stop();
    expect(rev.status, JSON.stringify(rev.detail)).toBe('applied');
    const [analysis] = rev.detail.analyses as { status: string; canary: { requests: number } }[];
    expect(analysis.status).toBe('successful');
    expect(analysis.canary.requests).toBeGreaterThanOrEqual(5);
    expect(result.failed).toBe(0);
    expect(await alias('patient')).toBe(2);
  });

  it('judges the step inconclusive once max_wait passes without enough traffic, and rolls back', async () => {
    const hasty = await env('hasty');
    await hasty.deploy({ model: 'income@1', strategy: 'direct', actor: 'ci' });
    const started = Date.now();
    const rev = await hasty.deploy({ model: 'income@2', strategy: 'canary', actor: 'ci' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(rev.status).toBe('failed');
    expect(String(rev.detail.error)).toMatch(/inconclusive.*only 0 canary requests, fewer than 5/);
    expect(await alias('hasty')).toBe(1);
  });
});

describe('shadow', () => {
  it('mirrors traffic to the new version, discards its answers, reports disagreements, and ends with the next deploy', async () => {
    const mirror = await env('mirror');
    await mirror.deploy({ model: 'income@1', strategy: 'direct', actor: 'ci' });
    const rev = await mirror.deploy({ model: 'income@2', strategy: 'shadow', actor: 'ci' });
    expect(rev).toMatchObject({ status: 'shadowing', traffic: [{ version: 1, weight: 100 }, { version: 2, route: 'shadow', weight: 100 }] });
    for (let i = 0; i < 20; i++) {
      const r = await predict(mirror.url, '/predict', { records: [{ ...RECORD, age: 20 + i }] });
      expect(r.headers.get('x-served-by-version')).toBe('income@1');
    }
    // Mirrored requests are fire-and-forget: wait for them to be compared.
    for (let i = 0; i < 100 && (mirror.state().shadow as { compared: number }).compared < 20; i++) await new Promise((r) => setTimeout(r, 50));
    expect(mirror.state().shadow).toMatchObject({ model: 'income@2', mirrored: 20, compared: 20, errors: 0, disagreements: 0, disagreementRate: 0, meanAbsDifference: 0 });
    expect(await alias('mirror')).toBe(1);

    await mirror.deploy({ model: 'income@2', strategy: 'bluegreen', actor: 'ci' });
    const { listRevisions } = await import('../../src/deploy/index.js');
    const ended = (await listRevisions(project.store.db, 'mirror')).find((r) => r.id === rev.id)!;
    expect(ended.status).toBe('ended');
    expect(ended.detail.shadow).toMatchObject({ mirrored: 20, disagreements: 0 });
    expect(mirror.state().shadow).toBeNull();
  });
});
