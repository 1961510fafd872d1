/**
 * `sluice ci --local`: runs the project's generated workflow on this machine, job by job in
 * order, so a user can try it before pushing. Each `run:` step (GitHub) or job script (GitLab)
 * runs in bash in the project folder with the variables the platform would set (branch, commit,
 * GITHUB_OUTPUT/GITHUB_PATH/GITHUB_ENV files, GitLab's dotenv reports). `uses:` actions cannot
 * run here and are listed as skipped; so is anything whose condition cannot be evaluated.
 * `sluice` on the PATH is this Sluice.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SluiceError } from '../errors.js';
import { evalGithub, evalGitlab, hasStatusFunction, interpolate, truthy, UnsupportedExpression, type GithubContext } from './expressions.js';
import { workflowPath, type WorkflowPlatform } from './workflow/index.js';

export interface LocalRunOptions {
  platform?: WorkflowPlatform;
  /** The branch the CI variables name (default: the current git branch, else main). */
  branch?: string;
  log?: (line: string) => void;
  /** Show the steps' output (inherit) or not (ignore: it is still kept, in `tail`). */
  output?: 'inherit' | 'ignore';
  /** Extra variables for every step (tests point SLUICE_* at their own services). */
  env?: Record<string, string>;
}

/** allowed-failure: it failed, but the workflow lets it (continue-on-error, allow_failure). */
export type LocalStepStatus = 'passed' | 'failed' | 'skipped' | 'allowed-failure';

export interface LocalStep {
  job: string;
  name: string;
  status: LocalStepStatus;
  exitCode: number | null;
  durationMs: number;
  /** Why it was skipped, or the last lines of its output when it failed. */
  note: string | null;
}

export interface LocalRunResult {
  file: string;
  platform: WorkflowPlatform;
  branch: string;
  steps: LocalStep[];
  passed: boolean;
  failedAt: string | null;
  exitCode: number;
}

type Env = Record<string, string>;

export async function runWorkflowLocally(projectDir: string, options: LocalRunOptions = {}): Promise<LocalRunResult> {
  const dir = resolve(projectDir);
  const platform = options.platform ?? (existsSync(join(dir, workflowPath('github'))) ? 'github' : existsSync(join(dir, workflowPath('gitlab'))) ? 'gitlab' : undefined);
  if (!platform) {
    throw new SluiceError('NOT_FOUND', `No workflow to run in ${dir}`, { hint: 'Write one with `sluice init --ci github` or `sluice init --ci gitlab`.' });
  }
  const file = join(dir, workflowPath(platform));
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new SluiceError('NOT_FOUND', `No ${workflowPath(platform)} in ${dir}`, { hint: `Write it with \`sluice init --ci ${platform}\`.` });
    throw new SluiceError('CONFIG_INVALID', `Cannot read ${file} as YAML: ${(e as Error).message}`, { where: file });
  }
  if (!doc || typeof doc !== 'object') throw new SluiceError('CONFIG_INVALID', `${file} holds no workflow`, { where: file });
  const branch = options.branch ?? gitOut(dir, ['rev-parse', '--abbrev-ref', 'HEAD']) ?? 'main';
  const commit = gitOut(dir, ['rev-parse', 'HEAD']) ?? '0000000000000000000000000000000000000000';
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-ci-local-'));
  try {
    // `sluice` is this Sluice, whatever is installed globally.
    const bin = join(tmp, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'sluice'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(process.argv[1] ?? 'sluice')} "$@"\n`);
    await chmod(join(bin, 'sluice'), 0o755);
    const base: Env = {
      ...(process.env as Env),
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      CI: 'true',
      SLUICE_CI_LOCAL: 'true',
      ...options.env,
    };
    const runner = { dir, tmp, base, branch, commit, log: options.log ?? (() => {}), output: options.output ?? 'inherit' };
    const steps = platform === 'github' ? await runGithub(doc as GithubWorkflow, runner) : await runGitlab(doc as Record<string, unknown>, runner);
    const failed = steps.find((s) => s.status === 'failed');
    return { file, platform, branch, steps, passed: !failed, failedAt: failed ? `${failed.job} / ${failed.name}` : null, exitCode: failed ? (failed.exitCode && failed.exitCode > 0 ? failed.exitCode : 1) : 0 };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

interface Runner {
  dir: string;
  tmp: string;
  base: Env;
  branch: string;
  commit: string;
  log: (line: string) => void;
  output: 'inherit' | 'ignore';
}

// ---- GitHub Actions ----

interface GithubStep {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  if?: string | boolean;
  env?: Record<string, unknown>;
  'continue-on-error'?: boolean | string;
  'working-directory'?: string;
}

interface GithubJob {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  env?: Record<string, unknown>;
  steps?: GithubStep[];
}

interface GithubWorkflow {
  env?: Record<string, unknown>;
  jobs?: Record<string, GithubJob>;
}

async function runGithub(wf: GithubWorkflow, r: Runner): Promise<LocalStep[]> {
  const jobs = wf.jobs ?? {};
  const order = topo(Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, typeof j.needs === 'string' ? [j.needs] : (j.needs ?? [])])));
  const results: LocalStep[] = [];
  const jobStatus = new Map<string, 'success' | 'failure' | 'skipped'>();
  const ref = `refs/heads/${r.branch}`;
  for (const jobId of order) {
    const job = jobs[jobId];
    const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []);
    const stepOutputs: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
    const githubCtx: Record<string, string> = {
      ref,
      ref_name: r.branch,
      head_ref: '',
      base_ref: '',
      sha: r.commit,
      event_name: 'push',
      run_id: `local-${Date.now()}`,
      run_number: '1',
      actor: process.env.USER ?? 'local',
      repository: 'local/project',
      workspace: r.dir,
      job: jobId,
    };
    let env: Env = {};
    const lookup = (path: string) => lookupPath(path, { github: githubCtx, steps: stepOutputs, env: { ...r.base, ...env }, secrets: r.base, vars: {}, runner: { os: 'Linux', temp: r.tmp } });
    const ctx = (status: 'success' | 'failure'): GithubContext => ({ lookup, status });
    const needsOk = needs.every((n) => jobStatus.get(n) === 'success');
    const jobIf = job.if === undefined ? null : String(job.if);
    let runJob = needsOk;
    try {
      if (jobIf !== null) runJob = hasStatusFunction(jobIf) ? truthy(evalGithub(strip(jobIf), ctx(needsOk ? 'success' : 'failure'))) : needsOk && truthy(evalGithub(strip(jobIf), ctx('success')));
    } catch (e) {
      if (!(e instanceof UnsupportedExpression)) throw e;
      results.push({ job: jobId, name: '(job)', status: 'skipped', exitCode: null, durationMs: 0, note: `its condition cannot be evaluated locally: ${e.message}` });
      jobStatus.set(jobId, 'skipped');
      continue;
    }
    if (!runJob) {
      results.push({ job: jobId, name: '(job)', status: 'skipped', exitCode: null, durationMs: 0, note: needsOk ? `if: ${jobIf} is false` : `needs ${needs.join(', ')}` });
      jobStatus.set(jobId, 'skipped');
      continue;
    }
    r.log(`job ${jobId}`);
    const files = { output: join(r.tmp, `${jobId}-output`), path: join(r.tmp, `${jobId}-path`), env: join(r.tmp, `${jobId}-env`) };
    await Promise.all(Object.values(files).map((f) => writeFile(f, '')));
    const extraPath: string[] = [];
    let status: 'success' | 'failure' = 'success';
    try {
      env = { ...stringMap(wf.env, ctx('success')), ...stringMap(job.env, ctx('success')) };
    } catch (e) {
      if (!(e instanceof UnsupportedExpression)) throw e;
      results.push({ job: jobId, name: '(job env)', status: 'failed', exitCode: null, durationMs: 0, note: `cannot evaluate locally: ${e.message}` });
      jobStatus.set(jobId, 'failure');
      continue;
    }
    for (const [i, step] of (job.steps ?? []).entries()) {
      const name = step.name ?? (step.uses ? `uses ${step.uses}` : (step.run ?? '').split('\n')[0]) ?? `step ${i + 1}`;
      const cond = step.if === undefined ? null : String(step.if);
      let run: boolean;
      try {
        run = cond === null ? status === 'success' : hasStatusFunction(cond) ? truthy(evalGithub(strip(cond), ctx(status))) : status === 'success' && truthy(evalGithub(strip(cond), ctx(status)));
      } catch (e) {
        if (!(e instanceof UnsupportedExpression)) throw e;
        results.push({ job: jobId, name, status: 'skipped', exitCode: null, durationMs: 0, note: `its condition cannot be evaluated locally: ${e.message}` });
        continue;
      }
      if (!run) {
        results.push({ job: jobId, name, status: 'skipped', exitCode: null, durationMs: 0, note: cond ? `if: ${cond} is false` : 'an earlier step failed' });
        r.log(`  - ${name}: skipped (${cond ? `if: ${cond} is false` : 'an earlier step failed'})`);
        continue;
      }
      if (step.uses || step.run === undefined) {
        results.push({ job: jobId, name, status: 'skipped', exitCode: null, durationMs: 0, note: `\`uses: ${step.uses ?? '?'}\` runs only on GitHub` });
        r.log(`  - ${name}: skipped (an action)`);
        continue;
      }
      let script: string;
      let stepEnv: Env;
      try {
        script = interpolate(step.run, ctx(status));
        stepEnv = stringMap(step.env, ctx(status));
      } catch (e) {
        if (!(e instanceof UnsupportedExpression)) throw e;
        results.push({ job: jobId, name, status: 'skipped', exitCode: null, durationMs: 0, note: `cannot evaluate locally: ${e.message}` });
        continue;
      }
      await writeFile(files.output, '');
      const githubEnv: Env = {
        GITHUB_ACTIONS: 'true',
        GITHUB_REF: ref,
        GITHUB_REF_NAME: r.branch,
        GITHUB_REF_TYPE: 'branch',
        GITHUB_SHA: r.commit,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_WORKSPACE: r.dir,
        GITHUB_RUN_ID: githubCtx.run_id,
        GITHUB_JOB: jobId,
        GITHUB_ACTOR: githubCtx.actor,
        GITHUB_OUTPUT: files.output,
        GITHUB_PATH: files.path,
        GITHUB_ENV: files.env,
        GITHUB_STEP_SUMMARY: join(r.tmp, `${jobId}-summary.md`),
        RUNNER_OS: 'Linux',
        RUNNER_TEMP: r.tmp,
      };
      const full: Env = { ...r.base, ...githubEnv, ...env, ...stepEnv };
      if (extraPath.length) full.PATH = `${extraPath.join(delimiter)}${delimiter}${full.PATH}`;
      r.log(`  - ${name}`);
      const res = await shell(script, resolve(r.dir, step['working-directory'] ?? '.'), full, r.output);
      const continueOnError = step['continue-on-error'] === true || step['continue-on-error'] === 'true';
      results.push({ job: jobId, name, status: res.code === 0 ? 'passed' : continueOnError ? 'allowed-failure' : 'failed', exitCode: res.code, durationMs: res.durationMs, note: res.code === 0 ? null : res.tail });
      if (res.code !== 0 && !continueOnError) status = 'failure';
      if (step.id) stepOutputs[step.id] = { outputs: parseKeyValues(await readFile(files.output, 'utf8')), outcome: res.code === 0 ? 'success' : 'failure' };
      for (const p of (await readFile(files.path, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean).reverse()) if (!extraPath.includes(p)) extraPath.unshift(p);
      await writeFile(files.path, '');
      Object.assign(env, parseKeyValues(await readFile(files.env, 'utf8')));
      await writeFile(files.env, '');
    }
    jobStatus.set(jobId, status);
  }
  return results;
}

function strip(expr: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expr);
  return m ? m[1] : expr;
}

function stringMap(map: Record<string, unknown> | undefined, ctx: GithubContext): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = interpolate(String(v ?? ''), ctx);
  return out;
}

function lookupPath(path: string, roots: Record<string, Record<string, unknown>>): string | null {
  const parts = path.split('.');
  let cur: unknown = roots[parts[0]];
  if (cur === undefined) throw new UnsupportedExpression(`the context '${parts[0]}' is not available locally`);
  for (const p of parts.slice(1)) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur === undefined || cur === null ? null : typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** `key=value` lines and `key<<DELIM` ... `DELIM` blocks (GITHUB_OUTPUT, GITHUB_ENV, dotenv). */
function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<\s]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      out[heredoc[1]] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

function topo(deps: Record<string, string[]>): string[] {
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new SluiceError('CONFIG_INVALID', `The workflow's jobs need each other in a cycle (at '${id}')`);
    state.set(id, 'visiting');
    for (const d of deps[id] ?? []) {
      if (!(d in deps)) throw new SluiceError('CONFIG_INVALID', `Job '${id}' needs '${d}', which the workflow does not define`);
      visit(d);
    }
    state.set(id, 'done');
    out.push(id);
  };
  for (const id of Object.keys(deps)) visit(id);
  return out;
}

// ---- GitLab CI ----

const GITLAB_RESERVED = new Set(['stages', 'variables', 'default', 'workflow', 'include', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

interface GitlabJob {
  stage?: string;
  script?: string | string[];
  before_script?: string | string[];
  after_script?: string | string[];
  variables?: Record<string, unknown>;
  rules?: { if?: string; when?: string }[];
  allow_failure?: boolean;
  artifacts?: { reports?: { dotenv?: string | string[] } };
}

async function runGitlab(doc: Record<string, unknown>, r: Runner): Promise<LocalStep[]> {
  const stages = (doc.stages as string[] | undefined) ?? ['build', 'test', 'deploy'];
  const defaults = (doc.default ?? {}) as GitlabJob;
  const jobs = Object.entries(doc).filter(([k, v]) => !GITLAB_RESERVED.has(k) && !k.startsWith('.') && v && typeof v === 'object') as [string, GitlabJob][];
  jobs.sort((a, b) => stages.indexOf(a[1].stage ?? 'test') - stages.indexOf(b[1].stage ?? 'test'));
  const predefined: Env = {
    GITLAB_CI: 'true',
    CI_COMMIT_BRANCH: r.branch,
    CI_COMMIT_REF_NAME: r.branch,
    CI_COMMIT_REF_SLUG: r.branch.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 63),
    CI_COMMIT_SHA: r.commit,
    CI_DEFAULT_BRANCH: 'main',
    CI_PIPELINE_SOURCE: 'push',
    CI_PIPELINE_ID: String(Date.now()),
    CI_PROJECT_DIR: r.dir,
    GITLAB_USER_LOGIN: process.env.USER ?? 'local',
  };
  const globalVars = vars(doc.variables as Record<string, unknown> | undefined);
  const dotenv: Env = {};
  const results: LocalStep[] = [];
  const workflowRules = (doc.workflow as { rules?: { if?: string; when?: string }[] } | undefined)?.rules;
  const scope = () => ({ ...r.base, ...predefined, ...globalVars, ...dotenv });
  if (workflowRules) {
    const decision = rulesDecision(workflowRules, scope());
    if (decision !== 'run') {
      results.push({ job: '(workflow)', name: 'workflow: rules', status: 'skipped', exitCode: null, durationMs: 0, note: decision === 'never' ? `no pipeline for branch '${r.branch}' (workflow: rules)` : decision });
      return results;
    }
  }
  let failed = false;
  for (const [name, job] of jobs) {
    if (failed) {
      results.push({ job: name, name: 'script', status: 'skipped', exitCode: null, durationMs: 0, note: 'an earlier job failed' });
      continue;
    }
    const jobVars = { ...scope(), ...vars(job.variables), CI_JOB_NAME: name, CI_JOB_STAGE: job.stage ?? 'test' };
    if (job.rules) {
      const decision = rulesDecision(job.rules, jobVars);
      if (decision !== 'run') {
        results.push({ job: name, name: 'script', status: 'skipped', exitCode: null, durationMs: 0, note: decision === 'never' ? 'its rules: do not match' : decision });
        continue;
      }
    }
    const lines = [...list(job.before_script ?? defaults.before_script), ...list(job.script)];
    r.log(`job ${name}`);
    const res = await shell(lines.join('\n'), r.dir, jobVars, r.output);
    const after = list(job.after_script ?? defaults.after_script);
    if (after.length) await shell(after.join('\n'), r.dir, jobVars, r.output);
    const ok = res.code === 0;
    results.push({ job: name, name: 'script', status: ok ? 'passed' : job.allow_failure ? 'allowed-failure' : 'failed', exitCode: res.code, durationMs: res.durationMs, note: ok ? null : res.tail });
    if (!ok && !job.allow_failure) failed = true;
    for (const f of list(job.artifacts?.reports?.dotenv)) {
      const text = await readFile(resolve(r.dir, f), 'utf8').catch(() => '');
      Object.assign(dotenv, parseKeyValues(text));
    }
  }
  return results;
}

function rulesDecision(rules: { if?: string; when?: string }[], scope: Env): 'run' | 'never' | string {
  for (const rule of rules) {
    let match = true;
    if (rule.if !== undefined) {
      try {
        match = evalGitlab(rule.if, scope);
      } catch (e) {
        if (!(e instanceof UnsupportedExpression)) throw e;
        return `its rule \`if: ${rule.if}\` cannot be evaluated locally: ${e.message}`;
      }
    }
    if (match) return rule.when === 'never' ? 'never' : rule.when === 'manual' ? 'a manual job (when: manual)' : 'run';
  }
  return 'never';
}

function vars(map: Record<string, unknown> | undefined): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = typeof v === 'object' && v !== null && 'value' in v ? String((v as { value: unknown }).value) : String(v ?? '');
  return out;
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

// ---- both ----

function shell(script: string, cwd: string, env: Env, output: 'inherit' | 'ignore'): Promise<{ code: number; durationMs: number; tail: string }> {
  const t0 = performance.now();
  return new Promise((resolvePromise) => {
    // Like the runners: bash, stop at the first failing command (and inside pipelines).
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const onData = (stream: NodeJS.WriteStream) => (d: Buffer) => {
      text = (text + d.toString()).slice(-8000);
      if (output === 'inherit') stream.write(d);
    };
    child.stdout.on('data', onData(process.stderr));
    child.stderr.on('data', onData(process.stderr));
    let error = '';
    child.on('error', (e) => (error = e.message));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, durationMs: Math.round(performance.now() - t0), tail: `${text}${error}`.trim().split('\n').slice(-15).join('\n') }));
  });
}

function gitOut(dir: string, args: string[]): string | null {
  const res = spawnSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const out = res.status === 0 ? res.stdout.trim() : '';
  return out && out !== 'HEAD' ? out : null;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}
