/**
 * The scheduler inside real `sluice server` processes: two servers on one project and a server
 * killed with -9 and restarted never run the pipeline twice at once nor fire one schedule time
 * twice; manual runs through POST /api/v1/runs and `sluice trigger`; bad `triggers:` config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../../helpers/cli.js';
import { distBin, projects, triggers } from './_dist.js';

function project(triggersYaml: string, wait = 1500): string {
  return makeProject({
    'points.csv': 'x,y\n1,2\n3,4\n',
    'sluice.yaml': `project: tiny
sources:
  points: { path: points.csv, columns: { x: integer, y: integer } }
steps:
  doubled: { kind: sql, inputs: { p: points }, query: "SELECT x * 2 AS x2 FROM p" }
  wait: { kind: command, run: "node -e \\"setTimeout(() => {}, ${wait})\\"" }
triggers:
${triggersYaml}
`,
  });
}

function cli(dir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [distBin, '-C', dir, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  log: () => string;
  exited: Promise<number | null>;
}

async function startServer(dir: string, extra: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [distBin, '-C', dir, 'server', '--port', '0', '--json', '--log-level', 'warn', ...extra], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        // not all of it yet
      }
    });
    void exited.then((code) => reject(new Error(`sluice server exited with ${code}: ${err}`)));
  });
  return { child, url, log: () => err, exited };
}

async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  server.child.kill(signal);
  await server.exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(100);
  }
}

describe('sluice server runs the scheduler', () => {
  it('two servers and a restart after kill -9 mid-run: one run at a time, each schedule time fired once, the dead run closed', async () => {
    const dir = project('  schedules:\n    often: { cron: "*/2 * * * * *" }', 3000);
    const a = await startServer(dir);
    await until(() => /pipeline run \S+ started/.test(a.log()));
    const b = await startServer(dir);
    await stop(a, 'SIGKILL'); // in the middle of its run, holding the lease
    await until(() => /pipeline run \S+ started/.test(b.log()));
    const again = await startServer(dir);
    await until(() => /trigger event \d+ closed/.test(b.log() + again.log()) && /succeeded/.test(b.log() + again.log()));
    await Promise.all([stop(b), stop(again)]);

    const p = await (await projects()).openProject(dir);
    try {
      const db = p.store.db;
      const runs = await db.selectFrom('pipeline_runs').selectAll().orderBy('started_at').execute();
      const events = await (await triggers()).listTriggerEvents(db, 'tiny', { limit: 1000 });
      const log = [a, b, again].map((s) => s.log()).join('\n');
      // The killed server's run: marked abandoned by the next run, its trigger event closed.
      const [killed, ...rest] = runs;
      expect(killed.status, log).toBe('failed');
      expect(JSON.parse(killed.error!).code).toBe('ABANDONED');
      const killedEvent = events.find((e) => e.pipelineRunId === killed.id)!;
      expect(killedEvent.status).toBe('failed');
      expect(killedEvent.reason).toMatch(/the server handling it stopped/);
      expect(rest.length, log).toBeGreaterThanOrEqual(1);
      // After it, never two runs at once: each starts after the one before ended.
      for (let i = 1; i < rest.length; i++) expect(rest[i].started_at, log).toBeGreaterThanOrEqual(rest[i - 1].ended_at ?? Infinity);
      // Each due time was claimed once, by one server.
      const times = events.filter((e) => e.kind === 'schedule').map((e) => e.cause.scheduled_for as string);
      expect(new Set(times).size, log).toBe(times.length);
      expect(runs.every((r) => r.trigger === 'schedule')).toBe(true);
      // Every event ended: taken over after the kill, or stopped with its server.
      expect(events.filter((e) => e.status === 'started' || e.status === 'deploying'), log).toEqual([]);
      expect(new Set(events.filter((e) => e.pipelineRunId !== null).map((e) => e.pipelineRunId))).toEqual(new Set(runs.map((r) => r.id)));
    } finally {
      await p.close();
    }
  });

  it('POST /api/v1/runs starts a run (202) and refuses a second while it runs (409); --no-scheduler refuses all', async () => {
    const dir = project('  retrain: { min_interval: 1h }', 2500);
    const server = await startServer(dir);
    try {
      const post = (body: unknown) => fetch(`${server.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const first = await post({ reason: 'from the API' });
      expect(first.status).toBe(202);
      const started = (await first.json()) as { trigger_event: number; pipeline_run_id: string };
      expect(started.pipeline_run_id).toMatch(/^\d{14}-/);
      const second = await post({ reason: 'again' });
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: { code: string; message: string } }).error.message).toMatch(/in progress/);
      const bad = await post({ kind: 'cron' });
      expect(bad.status).toBe(400);

      // `sluice trigger --server` asks the same server: refused while the run goes on.
      const refused = await cli(dir, ['trigger', '--server', server.url, '--json']);
      expect(refused.code).toBe(9);
      expect(JSON.parse(refused.stdout).error.code).toBe('CONFLICT');

      for (let i = 0; i < 100; i++) {
        const run = (await (await fetch(`${server.url}/api/v1/pipeline-runs/${started.pipeline_run_id}`)).json()) as { pipeline_run: { status: string; trigger: string; trigger_cause: Record<string, unknown> } };
        if (run.pipeline_run.status !== 'running') {
          expect(run.pipeline_run).toMatchObject({ status: 'succeeded', trigger: 'manual', trigger_cause: { reason: 'from the API', trigger_event: started.trigger_event } });
          break;
        }
        await sleep(200);
      }
      const listed = (await (await fetch(`${server.url}/api/v1/triggers`)).json()) as { scheduler: boolean; events: { id: number; status: string; kind: string }[] };
      expect(listed.scheduler).toBe(true);
      expect(listed.events).toEqual([expect.objectContaining({ id: started.trigger_event, kind: 'manual', status: 'succeeded' })]);
    } finally {
      await stop(server);
    }

    const bare = await startServer(dir, ['--no-scheduler']);
    try {
      const r = await fetch(`${bare.url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).toBe(409);
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/without its scheduler/);
    } finally {
      await stop(bare);
    }
  });
});

describe('sluice trigger and sluice triggers', () => {
  it('runs the pipeline with its reason, and the records show the cause', async () => {
    const dir = project('  schedules:\n    nightly: { cron: "0 3 * * *", timezone: Europe/Paris }\n  on_source_change: { poll: 5m }', 10);
    const r = await cli(dir, ['trigger', '--reason', 'new labels', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { trigger_event: number; pipeline_run_id: string; status: string };
    expect(out.status).toBe('succeeded');

    const shown = JSON.parse((await cli(dir, ['runs', 'show', out.pipeline_run_id, '--json'])).stdout) as { run: { trigger: string; trigger_cause: Record<string, unknown> }; trigger_event: { id: number; kind: string } };
    expect(shown.run.trigger).toBe('manual');
    expect(shown.run.trigger_cause).toMatchObject({ reason: 'new labels', trigger_event: out.trigger_event });
    expect(shown.trigger_event).toMatchObject({ id: out.trigger_event, kind: 'manual' });
    expect((await cli(dir, ['runs', 'show', out.pipeline_run_id])).stdout).toContain('triggered by manual: "new labels"');

    const ci = JSON.parse((await cli(dir, ['trigger', '--ci', '--json'])).stdout) as { pipeline_run_id: string };
    const history = JSON.parse((await cli(dir, ['triggers', 'history', '--json'])).stdout) as { kind: string; pipelineRunId: string }[];
    expect(history.map((e) => [e.kind, e.pipelineRunId])).toEqual([
      ['ci', ci.pipeline_run_id],
      ['manual', out.pipeline_run_id],
    ]);
    const listed = JSON.parse((await cli(dir, ['triggers', 'list', '--json'])).stdout) as { triggers: { kind: string; name: string; when: string; next: number | null }[] };
    expect(listed.triggers.map((t) => [t.kind, t.name, t.when])).toEqual([
      ['schedule', 'nightly', '0 3 * * * (Europe/Paris)'],
      ['data-change', 'points', 'every 5m'],
    ]);
    expect(new Date(listed.triggers[0].next!).getUTCHours()).toBeLessThanOrEqual(2); // 03:00 Paris is 01:00 or 02:00 UTC
    const bad = await cli(dir, ['triggers', 'history', '--kind', 'cron']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown trigger kind 'cron'");
  });

  it('a bad triggers section is a config error naming the key', async () => {
    const badCron = project('  schedules:\n    nightly: { cron: "0 25 * * *" }');
    const r1 = await cli(badCron, ['triggers', 'list']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/triggers\.schedules\.nightly\.cron/);
    expect(r1.stderr).toMatch(/invalid cron expression '0 25 \* \* \*'/);

    const badEnv = project('  retrain: { environment: prod }\n  on_source_change: { sources: [nope] }');
    const r2 = await cli(badEnv, ['triggers', 'list']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("unknown environment 'prod'");
    expect(r2.stderr).toContain("unknown source 'nope' (sources: points)");
  });
});
