/**
 * Starting a run because a trigger fired: single flight per project (the store's lease, and no
 * pipeline run of the project in progress anywhere), the trigger event recorded before the run
 * and completed after it, the lease renewed while it runs and released at the end.
 */
import { hostname } from 'node:os';
import { SluiceError, errorMessage } from '../../errors.js';
import type { Project } from '../../project.js';
import type { RunSummary } from '../finalize.js';
import type { RunEvent } from '../events.js';
import { isAlive } from '../process-tree.js';
import { runPipeline } from '../runner.js';
import type { Clock } from './clock.js';
import { recordTriggerEvent, updateTriggerEvent, type TriggerKind } from './events.js';
import { acquireLease, newHolder, readLease, releaseLease, renewLease, type LeaseHolder } from './lease.js';

export interface TriggerRequest {
  kind: TriggerKind;
  cause: Record<string, unknown>;
  force?: boolean;
}

export interface RunContext {
  holder: LeaseHolder;
  clock: Clock;
  leaseMs: number;
  log?: (line: string) => void;
  onEvent?: (event: RunEvent) => void;
  /** Stops the run's steps (the server shutting down); the run ends failed. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  eventId: number;
  runId?: string;
  status: 'succeeded' | 'failed' | 'blocked';
  summary?: RunSummary;
  error?: string;
}

export interface StartedRun {
  eventId: number;
  /** Resolves once the pipeline run exists (its id), or undefined if it failed before. */
  runId: Promise<string | undefined>;
  /** Resolves when the run and `after` are done; never rejects. */
  done: Promise<RunOutcome>;
}

export const runLeaseName = (project: string) => `run:${project}`;

/** Why a run cannot start now, or undefined when the project is free. */
export async function busyReason(project: Project, holder: LeaseHolder): Promise<string | undefined> {
  const db = project.store.db;
  const lease = await readLease(db, runLeaseName(project.config.project));
  if (lease && lease.holder !== holder.id && lease.expires_at > Date.now() && !(lease.host === holder.host && lease.pid !== holder.pid && !isAlive(lease.pid))) {
    return `a triggered run is in progress (held by ${lease.holder})`;
  }
  const running = await db.selectFrom('pipeline_runs').select(['id', 'host', 'pid']).where('project', '=', project.config.project).where('status', '=', 'running').execute();
  // A run of a process that died is abandoned (the next run marks it failed), not in progress.
  const live = running.find((r) => r.host !== hostname() || isAlive(Number(r.pid)));
  return live ? `pipeline run ${live.id} is in progress` : undefined;
}

/**
 * Starts the pipeline unless a run is in progress: then returns `{ skipped }` and starts
 * nothing. `after` runs with the lease still held (a retrain deploys before anything else may
 * start), and its failure is recorded on the event.
 */
export async function startTriggeredRun(
  project: Project,
  request: TriggerRequest,
  ctx: RunContext,
  after?: (outcome: RunOutcome) => Promise<void>,
): Promise<StartedRun | { skipped: string }> {
  const db = project.store.db;
  const name = runLeaseName(project.config.project);
  if (!(await acquireLease(db, name, ctx.holder, ctx.leaseMs))) return { skipped: (await busyReason(project, ctx.holder)) ?? 'a triggered run is in progress' };
  const busy = await busyReason(project, ctx.holder);
  if (busy) {
    await releaseLease(db, name, ctx.holder);
    return { skipped: busy };
  }
  let eventId: number;
  try {
    eventId = await recordTriggerEvent(db, { project: project.config.project, kind: request.kind, cause: request.cause, status: 'started', at: ctx.clock.now() });
  } catch (e) {
    await releaseLease(db, name, ctx.holder);
    throw e;
  }
  const renew = setInterval(() => void renewLease(db, name, ctx.holder, ctx.leaseMs).catch(() => {}), Math.max(1000, ctx.leaseMs / 3));
  renew.unref();
  let resolveRunId!: (id: string | undefined) => void;
  const runId = new Promise<string | undefined>((r) => (resolveRunId = r));
  const done = (async (): Promise<RunOutcome> => {
    let outcome: RunOutcome;
    try {
      const summary = await runPipeline(project, {
        trigger: request.kind,
        triggerCause: { ...request.cause, trigger_event: eventId },
        force: request.force,
        signal: ctx.signal,
        onEvent: (event) => {
          if (event.type === 'run-start') {
            resolveRunId(event.runId);
            void updateTriggerEvent(db, eventId, { pipelineRunId: event.runId }).catch(() => {});
            ctx.log?.(`${request.kind}: pipeline run ${event.runId} started (trigger event ${eventId})`);
          }
          ctx.onEvent?.(event);
        },
      });
      outcome = { eventId, runId: summary.runId, status: summary.status, summary };
      const gates = summary.gates.filter((g) => g.status === 'fail').map((g) => g.gate);
      const reason = summary.status === 'blocked' ? `gate ${gates.map((g) => `'${g}'`).join(', ')} failed` : summary.status === 'failed' ? summary.errors.map((e) => `${e.step}: ${e.message}`).join('; ') : null;
      await updateTriggerEvent(db, eventId, {
        pipelineRunId: summary.runId,
        status: summary.status,
        reason,
        ...(summary.model && !summary.model.existing ? { model: summary.model.name, version: summary.model.version } : {}),
        detail: { gates: summary.gates.map((g) => ({ gate: g.gate, status: g.status })), errors: summary.errors },
        endedAt: ctx.clock.now(),
      });
      ctx.log?.(`${request.kind}: pipeline run ${summary.runId} ${summary.status}${reason ? ` (${reason})` : ''}${summary.model && !summary.model.existing ? `, registered ${summary.model.name}@${summary.model.version}` : ''}`);
    } catch (e) {
      outcome = { eventId, status: 'failed', error: errorMessage(e) };
      await updateTriggerEvent(db, eventId, { status: 'failed', reason: errorMessage(e), endedAt: ctx.clock.now() }).catch(() => {});
      ctx.log?.(`${request.kind}: the run could not finish: ${errorMessage(e)}`);
    }
    resolveRunId(outcome.runId);
    try {
      if (after) await after(outcome);
    } catch (e) {
      await updateTriggerEvent(db, eventId, { status: 'failed', reason: errorMessage(e), endedAt: ctx.clock.now() }).catch(() => {});
      ctx.log?.(`${request.kind}: ${errorMessage(e)}`);
    } finally {
      clearInterval(renew);
      await releaseLease(db, name, ctx.holder).catch(() => {});
    }
    return outcome;
  })();
  return { eventId, runId, done };
}

export interface RunLeaseOptions {
  /** Wait for a run in progress to end (default); false: fail at once with CONFLICT. */
  wait?: boolean;
  /** Called once when the run has to wait, with the reason. */
  onWait?: (reason: string) => void;
  signal?: AbortSignal;
}

/**
 * Runs `fn` holding the project's run lease, as a triggered run does, so a run started by hand
 * (`sluice run`, `sluice ci`) and one the scheduler starts never overlap: whichever comes second
 * waits for the first (or, without `wait`, refuses with CONFLICT).
 */
export async function withRunLease<T>(project: Project, fn: () => Promise<T>, options: RunLeaseOptions = {}): Promise<T> {
  const db = project.store.db;
  const name = runLeaseName(project.config.project);
  const holder = newHolder();
  const leaseMs = project.config.triggers.lease;
  let waited = false;
  for (;;) {
    if (await acquireLease(db, name, holder, leaseMs)) break;
    const reason = (await busyReason(project, holder)) ?? 'a triggered run is in progress';
    if (options.wait === false) {
      throw new SluiceError('CONFLICT', `Cannot start a run of '${project.config.project}' now: ${reason}`, { hint: 'Wait for it to finish (`sluice runs list`), or run again without --no-wait to wait for it.' });
    }
    if (!waited) options.onWait?.(reason);
    waited = true;
    if (options.signal?.aborted) throw new SluiceError('CONFLICT', `Stopped while waiting: ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const renew = setInterval(() => void renewLease(db, name, holder, leaseMs).catch(() => {}), Math.max(1000, leaseMs / 3));
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await releaseLease(db, name, holder).catch(() => {});
  }
}
