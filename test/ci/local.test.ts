import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sluice, sluiceJson, sluiceSpawn } from '../helpers/cli.js';
import { git, tinyProject } from './_tiny.js';

interface LocalOut {
  platform: string;
  branch: string;
  passed: boolean;
  failedAt: string | null;
  steps: { job: string; name: string; status: string; note: string | null }[];
}

// npm ci in the scaffolded project must not reach for the registry.
const OFFLINE = { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A user's project with its lockfile and the generated workflow, committed. */
async function scaffolded(platform: 'github' | 'gitlab', stagingPort: number): Promise<string> {
  const dir = tinyProject({ stagingPort });
  writeFileSync(join(dir, 'package.json'), '{"name":"tiny","version":"1.0.0","private":true}\n');
  writeFileSync(join(dir, 'package-lock.json'), '{"name":"tiny","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"tiny","version":"1.0.0"}}}\n');
  expect(sluice(dir, ['init', '--ci', platform]).code).toBe(0);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'CI workflow']);
  return dir;
}

function localRun(dir: string, args: string[]): { code: number; data: LocalOut } {
  const env = { ...process.env, ...OFFLINE };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return sluiceJson<LocalOut>(dir, ['ci', '--local', ...args]);
  } finally {
    for (const k of Object.keys(OFFLINE)) if (!(k in saved)) delete process.env[k];
  }
}

const routers: ReturnType<typeof sluiceSpawn>[] = [];
afterAll(() => {
  for (const r of routers) r.kill('SIGTERM');
});

describe('sluice ci --local', () => {
  it('runs the generated GitHub workflow on a feature branch: checks, report, package, integration tests, tested tag; no deploy', async () => {
    const dir = await scaffolded('github', await freePort());
    git(dir, ['checkout', '-q', '-b', 'feature']);
    const r = localRun(dir, []);
    expect(r.data.failedAt).toBeNull();
    expect(r.code).toBe(0);
    expect(r.data).toMatchObject({ platform: 'github', branch: 'feature', passed: true });
    const status = Object.fromEntries(r.data.steps.map((s) => [s.name, s.status]));
    expect(status).toMatchObject({
      'uses actions/checkout@v4': 'skipped',
      'Install Sluice': 'passed',
      'Static checks, type checks and unit tests': 'passed',
      'Pipeline, gates and report against the champion': 'passed',
      'Build the model package': 'passed',
      'Integration tests against an ephemeral model server': 'passed',
      'Tag the model version tested': 'passed',
      'Deploy to staging': 'skipped',
    });
    expect(r.data.steps.find((s) => s.name === 'Deploy to staging')?.note).toMatch(/is false/);
    // What the steps did, for real.
    const model = sluiceJson<{ version: number; tags: Record<string, string>; aliases: string[] }>(dir, ['models', 'show', 'tiny@1']);
    expect(model.data.tags.tested).toBe('true');
    expect(model.data.aliases).toEqual([]);
    expect(existsSync(join(dir, 'model-package', 'model.onnx'))).toBe(true);
    const report = readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8');
    expect(report).toContain('branch `feature`');
    expect(report).toMatch(/Registered: \*\*tiny@1\*\*/);
    // No token in a local run: the report is written, the comment is not posted, the job passes.
    const json = JSON.parse(readFileSync(join(dir, 'sluice-ci', 'report.json'), 'utf8')) as { context: { platform: string } };
    expect(json.context.platform).toBe('github');
  });

  it('a failing check lets the report run, then fails the job with the check code; later steps are skipped', async () => {
    const dir = await scaffolded('github', await freePort());
    writeFileSync(join(dir, 'src', 'features.py'), 'def scale(x)\n    return x\n');
    git(dir, ['commit', '-q', '-am', 'broken']);
    const r = localRun(dir, ['--branch', 'broken']);
    expect(r.code).toBe(11);
    expect(r.data.failedAt).toBe('sluice / Pipeline, gates and report against the champion');
    const status = Object.fromEntries(r.data.steps.map((s) => [s.name, s.status]));
    expect(status).toMatchObject({
      'Static checks, type checks and unit tests': 'allowed-failure',
      'Pipeline, gates and report against the champion': 'failed',
      'Keep the report': 'skipped',
      'Build the model package': 'skipped',
      'Tag the model version tested': 'skipped',
    });
    expect(r.data.steps.find((s) => s.name === 'Build the model package')?.note).toMatch(/is false/);
    expect(readFileSync(join(dir, 'sluice-ci', 'report.md'), 'utf8')).toContain('a check failed');
  });

  it('runs the generated GitLab pipeline on main, deploying to a running staging router', async () => {
    const port = await freePort();
    const dir = await scaffolded('gitlab', port);
    const router = sluiceSpawn(dir, ['env', 'serve', '--env', 'staging', '--json']);
    routers.push(router);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      router.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"url"')) resolve();
      });
      router.on('close', (code) => reject(new Error(`the staging router exited (${code})`)));
    });
    const r = localRun(dir, ['--platform', 'gitlab', '--branch', 'main']);
    expect(r.data.failedAt).toBeNull();
    expect(r.code).toBe(0);
    expect(r.data.steps.map((s) => [s.job, s.status])).toEqual([
      ['sluice', 'passed'],
      ['deploy-staging', 'passed'],
    ]);
    const served = sluiceJson<{ stable?: { model: string; version: number }; split?: unknown }>(dir, ['env', 'status', '--env', 'staging']);
    expect(JSON.stringify(served.data)).toContain('tiny');
    const model = sluiceJson<{ tags: Record<string, string>; aliases: string[] }>(dir, ['models', 'show', 'tiny@1']);
    expect(model.data.tags.tested).toBe('true');
    // On main the declared aliases move: tiny@1 is the champion, and staging's alias follows the deploy.
    expect(model.data.aliases).toContain('champion');
    expect(model.data.aliases).toContain('staging');
  });

  it('says what is missing: no workflow, or a branch the GitLab workflow rules leave out', async () => {
    const dir = tinyProject();
    const none = sluice(dir, ['ci', '--local']);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/sluice init --ci github/);
    expect(sluice(dir, ['init', '--ci', 'gitlab']).code).toBe(0);
    const r = localRun(dir, ['--branch', 'feature']);
    expect(r.code).toBe(0);
    expect(r.data.steps).toEqual([expect.objectContaining({ job: '(workflow)', status: 'skipped', note: expect.stringMatching(/no pipeline for branch 'feature'/) })]);
  });
});
