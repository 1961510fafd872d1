/**
 * The deployment commands as a user runs them: `sluice env serve` (the router), `sluice deploy`,
 * `sluice rollback`, `sluice env history`, `sluice env up --ephemeral`, `sluice models tag`.
 */
import type { ChildProcess } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sluiceAsync, sluiceJson, sluiceSpawn } from '../helpers/cli.js';
import { removeDir } from '../serving/_income.js';
import { RECORD, deployProject, freePort } from './_env.js';

let dir: string;
let port: number;
const children: ChildProcess[] = [];

beforeAll(async () => {
  port = await freePort();
  dir = await deployProject({ staging: port });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dir) removeDir(dir);
});

function start(args: string[]): Promise<{ child: ChildProcess; ready: Record<string, any> }> {
  const child = sluiceSpawn(dir, [...args, '--json']);
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, ready: JSON.parse(out.split('\n')[0]) });
    });
    child.on('exit', (code) => reject(new Error(`sluice ${args.join(' ')} exited with ${code}: ${err}`)));
  });
}
const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
const predict = (url: string) => fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [RECORD] }) });

describe('sluice deploy and rollback through `sluice env serve`', () => {
  it('says how to start the router when none runs, and names the known environments', async () => {
    const none = await sluiceAsync(dir, ['deploy', 'income@1', '--env', 'staging']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/sluice env serve --env staging/);
    const unknown = await sluiceAsync(dir, ['deploy', 'income@1', '--env', 'nowhere']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/Known environments: staging, production/);
  });

  it('deploys, switches, rolls back, records history, and restores the deployment after a restart', async () => {
    const { child, ready } = await start(['env', 'serve', '--env', 'staging']);
    expect(ready.url).toBe(`http://127.0.0.1:${port}`);

    const first = await sluiceAsync(dir, ['deploy', 'income@champion', '--env', 'staging', '--reason', 'first', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'applied', version: 1, strategy: 'bluegreen', reason: 'first' });
    const second = await sluiceAsync(dir, ['deploy', 'income@2', '--env', 'staging', '--strategy', 'direct']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/revision 2: income@2 serves staging \(direct\)/);
    expect((await predict(ready.url)).headers.get('x-served-by-version')).toBe('income@2');
    const status = await sluiceAsync(dir, ['env', 'status', '--env', 'staging', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ stable: 'income@2', previous: 'income@1', split: [{ version: 2, weight: 100 }] });

    const bad = await sluiceAsync(dir, ['deploy', 'income@3', '--env', 'staging', '--json']);
    expect(bad.code).toBe(6);
    expect(JSON.parse(bad.stdout)).toMatchObject({ status: 'failed', version: 3 });

    const back = await sluiceAsync(dir, ['rollback', '--env', 'staging', '--reason', 'oops', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ status: 'applied', strategy: 'rollback', version: 1, reason: 'oops' });
    expect((await predict(ready.url)).headers.get('x-served-by-version')).toBe('income@1');

    const history = sluiceJson<{ id: number; version: number; status: string; strategy: string }[]>(dir, ['env', 'history', '--env', 'staging']);
    expect(history.data.map((r) => [r.id, r.version, r.strategy, r.status])).toEqual([
      [4, 1, 'rollback', 'applied'],
      [3, 3, 'bluegreen', 'failed'],
      [2, 2, 'direct', 'rolled_back'],
      [1, 1, 'bluegreen', 'superseded'],
    ]);
    const model = sluiceJson<{ aliases: string[]; version: number }>(dir, ['models', 'show', 'income@staging']);
    expect(model.data.version).toBe(1);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const again = await start(['env', 'serve', '--env', 'staging']);
    expect(again.ready.stable).toBe('income@1');
    expect((await predict(again.ready.url)).headers.get('x-served-by-version')).toBe('income@1');
    again.child.kill('SIGTERM');
    expect(await exited(again.child)).toBe(0);
  });
});

describe('sluice env up --ephemeral and sluice models tag', () => {
  it('serves a version on a free port until a signal, then the version is tagged tested', async () => {
    const { child, ready } = await start(['env', 'up', '--ephemeral', 'income@2']);
    expect(ready).toMatchObject({ model: 'income', version: 2 });
    expect((await predict(ready.url)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    await expect(fetch(`${ready.url}/ping`)).rejects.toThrow();

    const tagged = sluiceJson(dir, ['models', 'tag', 'income@2', 'tested']);
    expect(tagged.code).toBe(0);
    expect(sluiceJson<{ tags: Record<string, string> }>(dir, ['models', 'show', 'income@2']).data.tags).toMatchObject({ tested: 'true' });
  });
});

describe('sluice deploy --render k8s', () => {
  it('writes a Deployment and a Service per revision and an HTTPRoute with the canary split', async () => {
    const r = await sluiceAsync(dir, ['deploy', 'income@2', '--env', 'staging', '--strategy', 'canary', '--render', 'k8s']);
    expect(r.code, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as any);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Deployment/income-v1', 'Service/income-v1', 'Deployment/income-v2', 'Service/income-v2', 'HTTPRoute/income-staging']);
    expect(docs[2].spec.template.spec.containers[0].args).toEqual(['serve', 'income@2', '--host', '0.0.0.0', '--port', '8080', '--route', 'canary']);
    // staging declares no canary steps: the default first step is 20 %.
    expect(docs[4].spec.rules[0].backendRefs).toEqual([{ name: 'income-v1', port: 80, weight: 80 }, { name: 'income-v2', port: 80, weight: 20 }]);
  });
});
