/**
 * The scheduler with a clock the test moves: cron schedules fire at their times and once,
 * source changes (a real file, a loopback HTTP server with ETag) start a run and no change
 * starts none, one run at a time per project across schedulers sharing a store, and the retrain
 * rate limit.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../../src/project.js';
import { makeProject } from '../../helpers/cli.js';
import { projects, triggers } from './_dist.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

function tinyProject(triggersYaml: string, extra = ''): string {
  return makeProject({
    'points.csv': 'x,y\n1,2\n3,4\n',
    'sluice.yaml': `project: tiny
sources:
  points: { path: points.csv, columns: { x: integer, y: integer } }
${extra}
steps:
  doubled: { kind: sql, inputs: { p: points }, query: "SELECT x * 2 AS x2 FROM p" }
triggers:
${triggersYaml}
`,
  });
}

const open: Project[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});
async function openIt(dir: string): Promise<Project> {
  const p = await (await projects()).openProject(dir);
  open.push(p);
  return p;
}
const runs = (p: Project) => p.store.db.selectFrom('pipeline_runs').selectAll().orderBy('started_at').execute();

describe('cron schedules', () => {
  it('fire at their next time after the first look, once per due time, and a late tick runs once for the missed times', async () => {
    const { Scheduler, manualClock, listTriggerEvents } = await triggers();
    const project = await openIt(tinyProject('  schedules:\n    nightly: { cron: "0 3 * * *" }'));
    const clock = manualClock(T0);
    const s = new Scheduler(project, { clock });

    expect((await s.tick()).fired).toEqual([]); // the first look sets the baseline
    clock.set(T0 + 2 * HOUR + 59 * MIN);
    expect((await s.tick()).fired).toEqual([]);
    expect((await s.schedules())[0].next).toBe(T0 + 3 * HOUR);

    clock.set(T0 + 3 * HOUR);
    const fired = (await s.tick()).fired;
    expect(fired).toHaveLength(1);
    expect(fired[0].cause).toMatchObject({ schedule: 'nightly', cron: '0 3 * * *', scheduled_for: '2030-01-01T03:00:00.000Z' });
    await s.whenIdle();
    clock.set(T0 + 3 * HOUR + 30_000);
    expect((await s.tick()).fired).toEqual([]); // the same time does not fire again

    // Another scheduler on the same store (a restart, or a second server) does not fire it again.
    const other = new Scheduler(project, { clock });
    expect((await other.tick()).fired).toEqual([]);

    // Three days later: one run for the latest missed time, not three.
    clock.set(T0 + 3 * 24 * HOUR + 4 * HOUR);
    const late = (await s.tick()).fired;
    expect(late).toHaveLength(1);
    expect(late[0].cause).toMatchObject({ scheduled_for: '2030-01-04T03:00:00.000Z', missed: 2 });
    await s.whenIdle();

    const rows = await runs(project);
    expect(rows.map((r) => [r.trigger, r.status])).toEqual([['schedule', 'succeeded'], ['schedule', 'succeeded']]);
    expect(JSON.parse(rows[0].trigger_cause as string)).toMatchObject({ schedule: 'nightly', cron: '0 3 * * *', trigger_event: expect.any(Number) });
    const events = await listTriggerEvents(project.store.db, 'tiny');
    expect(events.map((e) => [e.kind, e.status, e.pipelineRunId])).toEqual([
      ['schedule', 'succeeded', rows[1].id],
      ['schedule', 'succeeded', rows[0].id],
    ]);
  });

  it('reads the expression in its time zone', async () => {
    const { Scheduler, manualClock } = await triggers();
    const project = await openIt(tinyProject('  schedules:\n    paris: { cron: "0 3 * * *", timezone: Europe/Paris }'));
    const clock = manualClock(T0);
    const s = new Scheduler(project, { clock });
    await s.tick();
    // 03:00 in Paris in January is 02:00 UTC.
    expect((await s.schedules())[0].next).toBe(T0 + 2 * HOUR);
  });
});

describe('source changes', () => {
  it('a changed file starts a run with the source and its new digest; no change starts nothing', async () => {
    const { Scheduler, manualClock } = await triggers();
    const dir = tinyProject('  on_source_change: { poll: 1m }');
    const project = await openIt(dir);
    const clock = manualClock(T0);
    const s = new Scheduler(project, { clock });

    expect((await s.tick()).fired).toEqual([]); // first look: what the source holds now
    clock.advance(MIN);
    expect((await s.tick()).fired).toEqual([]); // unchanged
    appendFileSync(join(dir, 'points.csv'), '5,6\n');
    clock.advance(30_000);
    expect((await s.tick()).fired).toEqual([]); // not yet time to poll
    clock.advance(30_000);
    const fired = (await s.tick()).fired;
    expect(fired).toHaveLength(1);
    expect(fired[0].kind).toBe('data-change');
    const change = (fired[0].cause.changes as { source: string; digest: string; previous: string }[])[0];
    expect(change.source).toBe('points');
    expect(change.digest).not.toBe(change.previous);
    await s.whenIdle();
    clock.advance(MIN);
    expect((await s.tick()).fired).toEqual([]); // the change was taken
    const rows = await runs(project);
    expect(rows.map((r) => [r.trigger, r.status])).toEqual([['data-change', 'succeeded']]);
    expect(JSON.parse(rows[0].trigger_cause as string).changes[0].digest).toBe(change.digest);
  });

  it('a URL is asked with If-None-Match: 304 starts nothing, a new ETag starts a run', async () => {
    let body = 'x,y\n1,2\n';
    let etag = '"v1"';
    const seen: (string | undefined)[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(req.headers['if-none-match'] as string | undefined);
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { etag, 'content-type': 'text/csv' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/points.csv`;
      const dir = makeProject({
        'sluice.yaml': `project: remote
sources:
  points: { url: "${url}", columns: { x: integer, y: integer } }
triggers:
  on_source_change: { poll: 1m }
`,
      });
      const { Scheduler, manualClock } = await triggers();
      const project = await openIt(dir);
      const clock = manualClock(T0);
      const s = new Scheduler(project, { clock });
      expect((await s.tick()).fired).toEqual([]);
      clock.advance(MIN);
      expect((await s.tick()).fired).toEqual([]);
      expect(seen).toEqual([undefined, '"v1"']); // the second look was conditional, and answered 304

      body = 'x,y\n1,2\n3,4\n';
      etag = '"v2"';
      clock.advance(MIN);
      const fired = (await s.tick()).fired;
      expect(fired).toHaveLength(1);
      expect((fired[0].cause.changes as { etag: string }[])[0].etag).toBe('"v2"');
      await s.whenIdle();
      const rows = await runs(project);
      expect(rows.map((r) => [r.trigger, r.status])).toEqual([['data-change', 'succeeded']]);
      // The run used the copy the watch downloaded: asked again, the server said 304.
      expect(seen.at(-1)).toBe('"v2"');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('single flight', () => {
  // A step that takes a while, so runs overlap in time unless kept apart.
  const slow = `  wait: { kind: command, run: "node -e \\"setTimeout(() => {}, 1500)\\"" }`;
  function slowProject(triggersYaml: string): string {
    const dir = tinyProject(triggersYaml);
    const path = join(dir, 'sluice.yaml');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('steps:\n', `steps:\n${slow}\n`));
    return dir;
  }

  it('two schedulers sharing a store start one run: the other is refused, and a due schedule is recorded as skipped', async () => {
    const { Scheduler, manualClock, listTriggerEvents } = await triggers();
    const dir = slowProject('  schedules:\n    often: { cron: "* * * * *" }');
    const a = new Scheduler(await openIt(dir), { clock: manualClock(T0) });
    const bProject = await openIt(dir);
    const clock = manualClock(T0);
    const b = new Scheduler(bProject, { clock });

    const results = await Promise.allSettled([a.trigger({ reason: 'first' }), b.trigger({ reason: 'second' })]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason.code).toBe('CONFLICT');
    expect(refused[0].reason.message).toMatch(/in progress/);

    // While it runs, the schedule comes due on the other scheduler: skipped, and recorded so.
    await b.tick();
    clock.advance(MIN);
    const fired = (await b.tick()).fired;
    expect(fired).toHaveLength(1);
    expect(fired[0].skipped).toMatch(/in progress/);
    await a.whenIdle();
    await b.whenIdle();

    const rows = await runs(bProject);
    expect(rows).toHaveLength(1);
    const events = await listTriggerEvents(bProject.store.db, 'tiny');
    expect(events.map((e) => [e.kind, e.status])).toEqual([
      ['schedule', 'skipped'],
      ['manual', 'succeeded'],
    ]);
    // Free again: the next one starts.
    const next = await b.trigger({ reason: 'third' });
    expect(await next.runId).toMatch(/^\d{14}-/);
    await b.whenIdle();
  });
});

describe('retrain rate limit', () => {
  it('at most one retrain per min_interval of the clock; alerts in between are recorded as rate-limited', async () => {
    const { Scheduler, manualClock, retrainOnAlert, listTriggerEvents, newHolder } = await triggers();
    const project = await openIt(tinyProject('  retrain: { min_interval: 6h }'));
    const clock = manualClock(T0);
    new Scheduler(project, { clock });
    const ctx = { holder: newHolder(), clock, leaseMs: 60_000, policy: project.config.triggers.retrain };

    const first = await retrainOnAlert(project, { rule: 'drift', eventId: 1 }, ctx);
    expect(first.status).toBe('started');
    const end = await first.done!;
    expect(end.status).toBe('succeeded'); // no `register:`: nothing to deploy

    clock.advance(5 * HOUR);
    const second = await retrainOnAlert(project, { rule: 'drift', eventId: 2 }, ctx);
    expect(second.status).toBe('rate-limited');
    expect(second.reason).toMatch(/the next may start after 2030-01-01T06:00:00.000Z/);

    clock.advance(HOUR);
    const third = await retrainOnAlert(project, { rule: 'accuracy', eventId: 3 }, ctx);
    expect(third.status).toBe('started');
    expect((await third.done!).status).toBe('succeeded');

    const events = await listTriggerEvents(project.store.db, 'tiny', { kind: 'alert' });
    expect(events.map((e) => [e.cause.event_id, e.status])).toEqual([
      [3, 'succeeded'],
      [2, 'rate-limited'],
      [1, 'succeeded'],
    ]);
    expect((await runs(project)).map((r) => r.trigger)).toEqual(['alert', 'alert']);
  });
});
