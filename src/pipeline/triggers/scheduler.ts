/**
 * The scheduler of `sluice server`: one tick loop that starts pipeline runs when a cron
 * schedule comes due or a watched source changes, runs monitors on their schedules and then
 * the alert rules, and acts on an alert that fires with `actions: [retrain]`. Everything it has
 * seen lives in the store and is claimed by compare-and-set, and a run needs the project's run
 * lease: a restarted server does not fire a schedule twice, and two servers sharing a store
 * start one run, not two. Time comes from an injected clock.
 */
import { Cron } from 'croner';
import { monitorSchedule } from '../../config/monitoring.js';
import type { ScheduleConfig } from '../../config/triggers.js';
import { SluiceError, errorMessage } from '../../errors.js';
import type { Project } from '../../project.js';
import type { RunEvent } from '../events.js';
import { systemClock, type Clock } from './clock.js';
import { listTriggerEvents, recordTriggerEvent, updateTriggerEvent, type TriggerKind, type TriggerStatus } from './events.js';
import { newHolder, type LeaseHolder } from './lease.js';
import type { MonitoringHooks } from './monitoring.js';
import { retrainOnAlert, type RetrainResult } from './retrain.js';
import { sourceFingerprint, watchedSources } from './sources.js';
import { busyReason, startTriggeredRun, type RunContext, type StartedRun, type TriggerRequest } from './start-run.js';
import { compareAndSetState, readState } from './state.js';

export interface SchedulerOptions {
  clock?: Clock;
  /** Monitors and alert rules; null or absent: they are not run. */
  monitoring?: MonitoringHooks | null;
  /** One plain line per thing done (the server writes them to standard error). */
  log?: (line: string) => void;
  holder?: LeaseHolder;
  onEvent?: (event: RunEvent) => void;
}

/** What one tick did, for tests and logs. */
export interface TickReport {
  fired: { kind: TriggerKind; cause: Record<string, unknown>; eventId?: number; skipped?: string }[];
  monitors: string[];
  retrains: RetrainResult[];
  errors: string[];
}

export interface ScheduleStatus {
  name: string;
  cron: string;
  timezone: string;
  last: number | null;
  next: number | null;
}

const cronOf = (s: ScheduleConfig) => new Cron(s.cron, { paused: true, timezone: s.timezone ?? 'UTC' });

export class Scheduler {
  readonly clock: Clock;
  readonly holder: LeaseHolder;
  private readonly monitoring: MonitoringHooks | null;
  private readonly log: (line: string) => void;
  private readonly active = new Set<Promise<unknown>>();
  /** Trigger events of runs this scheduler started and has not seen end. */
  private readonly mine = new Set<number>();
  private readonly abort = new AbortController();
  private lastPoll: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<TickReport> | undefined;
  private stopped = false;

  constructor(
    readonly project: Project,
    private readonly options: SchedulerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.holder = options.holder ?? newHolder();
    this.monitoring = options.monitoring ?? null;
    this.log = options.log ?? (() => {});
  }

  private get config() {
    return this.project.config.triggers;
  }

  private get name() {
    return this.project.config.project;
  }

  private runContext(): RunContext {
    return { holder: this.holder, clock: this.clock, leaseMs: this.config.lease, log: this.log, onEvent: this.options.onEvent, signal: this.abort.signal };
  }

  /** Starts the tick loop: a tick now, then the next one `triggers.tick` after each ends. */
  async start(): Promise<void> {
    const loop = async () => {
      if (this.stopped) return;
      await this.tick();
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.config.tick);
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  /** Stops ticking; runs in progress are stopped (they end failed) and awaited. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    this.abort.abort();
    await this.whenIdle();
  }

  /** Resolves when every run (and retrain) this scheduler started has ended. */
  async whenIdle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  /** A run (and its retrain deployment) this scheduler started: awaited on stop, never reconciled. */
  private own(eventId: number, done: Promise<unknown>): void {
    this.mine.add(eventId);
    const p = done.then(() => {
      this.mine.delete(eventId);
      return this.afterRun();
    });
    this.active.add(p);
    void p.finally(() => this.active.delete(p));
  }

  /** One pass over schedules, sources and monitors. Never throws: problems are in `errors`. */
  tick(): Promise<TickReport> {
    const run = async (): Promise<TickReport> => {
      const report: TickReport = { fired: [], monitors: [], retrains: [], errors: [] };
      const guard = async (what: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          report.errors.push(`${what}: ${errorMessage(e)}`);
          this.log(`${what}: ${errorMessage(e)}`);
        }
      };
      for (const [name, schedule] of Object.entries(this.config.schedules)) await guard(`schedule '${name}'`, () => this.checkSchedule(name, schedule, report));
      await guard('source watch', () => this.checkSources(report));
      await guard('monitors', () => this.checkMonitors(report));
      await guard('open trigger events', () => this.reconcile());
      return report;
    };
    const p = (this.ticking ?? Promise.resolve()).then(run, run);
    this.ticking = p;
    return p;
  }

  /** Fires a schedule at most once per due time, whoever (this server, another, a restart) claims it first. */
  private async checkSchedule(name: string, schedule: ScheduleConfig, report: TickReport): Promise<void> {
    const db = this.project.store.db;
    const now = this.clock.now();
    const key = `cron:${name}`;
    const state = await readState<{ last: number; cron: string }>(db, this.name, key);
    // The first look sets the baseline: a schedule fires at its next time after the server started.
    if (!state || state.value.cron !== schedule.cron) {
      await compareAndSetState(db, this.name, key, state?.raw, { last: now, cron: schedule.cron });
      return;
    }
    const cron = cronOf(schedule);
    let due = cron.nextRun(new Date(state.value.last))?.getTime();
    if (due === undefined || due > now) return;
    // Behind by several fires (the server was down): one run, for the latest.
    let missed = 0;
    for (let n = cron.nextRun(new Date(due))?.getTime(); n !== undefined && n <= now && missed < 10_000; n = cron.nextRun(new Date(n))?.getTime()) {
      due = n;
      missed++;
    }
    if (!(await compareAndSetState(db, this.name, key, state.raw, { last: due, cron: schedule.cron }))) return;
    const cause = { schedule: name, cron: schedule.cron, timezone: schedule.timezone ?? 'UTC', scheduled_for: new Date(due).toISOString(), ...(missed ? { missed } : {}) };
    await this.fire({ kind: 'schedule', cause, force: schedule.force }, report);
  }

  /** Hashes (or asks) every watched source once per poll; changed ones start one run together. */
  private async checkSources(report: TickReport): Promise<void> {
    const watch = this.config.on_source_change;
    if (!watch) return;
    const now = this.clock.now();
    if (this.lastPoll !== undefined && now - this.lastPoll < watch.poll) return;
    this.lastPoll = now;
    const db = this.project.store.db;
    const changes: { source: string; digest: string; previous: string; raw: string; etag?: string | null; last_modified?: string | null }[] = [];
    for (const source of watchedSources(this.project)) {
      let fp;
      try {
        fp = await sourceFingerprint(this.project, source);
      } catch (e) {
        report.errors.push(`source '${source}': ${errorMessage(e)}`);
        this.log(`source '${source}': ${errorMessage(e)}`);
        continue;
      }
      const key = `source:${source}`;
      const state = await readState<{ digest: string }>(db, this.name, key);
      if (!state) {
        // The first look records what the source holds; a change after that starts a run.
        if (await compareAndSetState(db, this.name, key, undefined, { digest: fp.digest })) this.log(`watching source '${source}' (${fp.digest.slice(0, 12)})`);
        continue;
      }
      if (state.value.digest !== fp.digest) {
        changes.push({ source, digest: fp.digest, previous: state.value.digest, raw: state.raw, ...(fp.etag !== undefined ? { etag: fp.etag, last_modified: fp.lastModified } : {}) });
      }
    }
    if (changes.length === 0) return;
    // Busy: the change stays unclaimed and is seen again at the next poll, after the run.
    const busy = await busyReason(this.project, this.holder);
    if (busy) {
      this.log(`source change (${changes.map((c) => c.source).join(', ')}) waits: ${busy}`);
      return;
    }
    const claimed = [];
    for (const c of changes) if (await compareAndSetState(db, this.name, `source:${c.source}`, c.raw, { digest: c.digest })) claimed.push(c);
    if (claimed.length === 0) return;
    const cause = { changes: claimed.map(({ raw: _, ...c }) => c) };
    const fired = await this.fire({ kind: 'data-change', cause }, report);
    if (fired.skipped) {
      // Lost the lease between the check and the start: let the next poll see the change again.
      for (const c of claimed) await compareAndSetState(db, this.name, `source:${c.source}`, JSON.stringify({ digest: c.digest }), { digest: c.previous });
    }
  }

  private async checkMonitors(report: TickReport): Promise<void> {
    const hooks = this.monitoring;
    if (!hooks || !this.config.monitors.enabled) return;
    const monitors = this.project.config.monitors;
    const db = this.project.store.db;
    for (const [name, monitor] of Object.entries(monitors)) {
      const now = this.clock.now();
      const key = `monitor:${name}`;
      const schedule = monitorSchedule(monitor);
      const state = await readState<{ last: number }>(db, this.name, key);
      let due: boolean;
      if ('every' in schedule) due = !state || now - state.value.last >= schedule.every;
      else if (!state) {
        await compareAndSetState(db, this.name, key, undefined, { last: now });
        continue;
      } else {
        const next = new Cron(schedule.cron, { paused: true, timezone: 'UTC' }).nextRun(new Date(state.value.last))?.getTime();
        due = next !== undefined && next <= now;
      }
      if (!due || !(await compareAndSetState(db, this.name, key, state?.raw, { last: now }))) continue;
      try {
        await hooks.runMonitor(this.project, name, { now });
        report.monitors.push(name);
      } catch (e) {
        report.errors.push(`monitor '${name}': ${errorMessage(e)}`);
        this.log(`monitor '${name}': ${errorMessage(e)}`);
      }
    }
    if (report.monitors.length) await this.evaluateAlerts(report);
  }

  /** Judges the alert rules; a rule that starts firing with `actions: [retrain]` starts a retrain. */
  async evaluateAlerts(report?: TickReport): Promise<RetrainResult[]> {
    if (!this.monitoring) return [];
    const transitions = await this.monitoring.evaluateAlerts(this.project, { now: this.clock.now() });
    const results: RetrainResult[] = [];
    for (const t of transitions) {
      this.log(`alert '${t.rule}': ${t.from} → ${t.to}${t.message ? ` (${t.message})` : ''}`);
      const rule = this.project.config.alerts[t.rule];
      if (t.to !== 'firing' || !rule?.actions.includes('retrain')) continue;
      const result = await retrainOnAlert(this.project, { rule: t.rule, eventId: t.eventId, monitor: t.monitor ?? rule.monitor, message: t.message }, { ...this.runContext(), policy: this.config.retrain });
      if (result.done) this.own(result.eventId, result.done);
      results.push(result);
      report?.retrains.push(result);
    }
    return results;
  }

  /** After a run: the pipeline's own alert rules (failed run, blocked gate) can change state. */
  private async afterRun(): Promise<void> {
    if (this.stopped || !this.monitoring) return;
    try {
      await this.evaluateAlerts();
    } catch (e) {
      this.log(`alerts: ${errorMessage(e)}`);
    }
  }

  private async fire(request: TriggerRequest, report: TickReport): Promise<{ eventId?: number; skipped?: string }> {
    const started = await startTriggeredRun(this.project, request, this.runContext());
    if ('skipped' in started) {
      const eventId = await recordTriggerEvent(this.project.store.db, { project: this.name, kind: request.kind, cause: request.cause, status: 'skipped', reason: started.skipped, at: this.clock.now(), ended: true });
      this.log(`${request.kind}: skipped, ${started.skipped}`);
      report.fired.push({ kind: request.kind, cause: request.cause, eventId, skipped: started.skipped });
      return { eventId, skipped: started.skipped };
    }
    this.own(started.eventId, started.done);
    report.fired.push({ kind: request.kind, cause: request.cause, eventId: started.eventId });
    return { eventId: started.eventId };
  }

  /**
   * A run asked for by a person (`sluice trigger`, POST /api/v1/runs) or CI. Refused with
   * CONFLICT while a run is in progress: the caller decides whether to wait and ask again.
   */
  async trigger(request: { kind?: 'manual' | 'ci'; reason?: string; actor?: string; force?: boolean }): Promise<StartedRun> {
    const cause = { ...(request.reason ? { reason: request.reason } : {}), actor: request.actor ?? 'unknown' };
    const started = await startTriggeredRun(this.project, { kind: request.kind ?? 'manual', cause, force: request.force }, this.runContext());
    if ('skipped' in started) throw new SluiceError('CONFLICT', `Cannot start a run of '${this.name}' now: ${started.skipped}`, { hint: 'Wait for it to finish (`sluice runs list`), then trigger again.' });
    this.own(started.eventId, started.done);
    return started;
  }

  /** The schedules with their last and next fire times, by the scheduler's clock. */
  async schedules(): Promise<ScheduleStatus[]> {
    const out: ScheduleStatus[] = [];
    for (const [name, s] of Object.entries(this.config.schedules)) {
      const state = await readState<{ last: number; cron: string }>(this.project.store.db, this.name, `cron:${name}`);
      const from = state?.value.cron === s.cron ? state.value.last : this.clock.now();
      out.push({ name, cron: s.cron, timezone: s.timezone ?? 'UTC', last: state?.value.cron === s.cron ? state.value.last : null, next: cronOf(s).nextRun(new Date(from))?.getTime() ?? null });
    }
    return out;
  }

  /**
   * Trigger events left `started` or `deploying` by a server that died (kill -9, power loss)
   * take the end of their pipeline run, or `failed`: none stays open forever. Looked at on
   * start and on every tick, and only while no live process holds the run lease.
   */
  private async reconcile(): Promise<void> {
    const db = this.project.store.db;
    const open = (await listTriggerEvents(db, this.name, { limit: 20 })).filter((e) => (e.status === 'started' || e.status === 'deploying') && !this.mine.has(e.id));
    if (open.length === 0) return;
    // Whoever handles an event holds the run lease until the event ends (deployment included).
    if (await busyReason(this.project, this.holder)) return;
    for (const e of open) {
      const run = e.pipelineRunId ? await db.selectFrom('pipeline_runs').select(['status']).where('id', '=', e.pipelineRunId).executeTakeFirst() : undefined;
      const status = run && run.status !== 'running' && e.status === 'started' ? run.status : 'failed';
      await updateTriggerEvent(db, e.id, { status: status as TriggerStatus, reason: `the server handling it stopped before it ended${run ? ` (pipeline run ${run.status === 'running' ? 'abandoned' : run.status})` : ''}`, endedAt: this.clock.now() });
      this.log(`trigger event ${e.id} closed: the server handling it stopped`);
    }
  }

}
