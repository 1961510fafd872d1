/**
 * Trigger events: every time something asked for a pipeline run (a schedule, a source change,
 * an alert, a person, CI), whether it started one, and what came of it — the run, the model
 * version it registered, the deployment revision that shipped it — or why it did not.
 */
import type { Db } from '../../store/store.js';

export const TRIGGER_KINDS = ['schedule', 'data-change', 'alert', 'manual', 'ci'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/**
 * started: the run is going; skipped: another run was in progress; rate-limited: a retrain ran
 * too recently; succeeded / failed / blocked: how the run ended (blocked = a gate failed);
 * no-change: the run registered no new model version; deploying; promoted: the new version
 * serves the environment; stopped: the deployment stopped at a smoke test or canary analysis.
 */
export type TriggerStatus = 'started' | 'skipped' | 'rate-limited' | 'succeeded' | 'failed' | 'blocked' | 'no-change' | 'deploying' | 'promoted' | 'stopped';

export interface TriggerEvent {
  id: number;
  project: string;
  kind: TriggerKind;
  cause: Record<string, unknown>;
  status: TriggerStatus;
  reason: string | null;
  pipelineRunId: string | null;
  model: string | null;
  version: number | null;
  environment: string | null;
  revisionId: number | null;
  detail: Record<string, unknown>;
  at: number;
  endedAt: number | null;
}

export async function recordTriggerEvent(
  db: Db,
  e: { project: string; kind: TriggerKind; cause: Record<string, unknown>; status: TriggerStatus; reason?: string; at: number; ended?: boolean },
): Promise<number> {
  const row = await db
    .insertInto('trigger_events')
    .values({
      project: e.project,
      kind: e.kind,
      cause: JSON.stringify(e.cause),
      status: e.status,
      reason: e.reason ?? null,
      pipeline_run_id: null,
      model: null,
      version: null,
      environment: null,
      revision_id: null,
      detail: '{}',
      at: e.at,
      ended_at: e.ended ? e.at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateTriggerEvent(
  db: Db,
  id: number,
  change: Partial<{ status: TriggerStatus; reason: string | null; pipelineRunId: string; model: string; version: number; environment: string; revisionId: number; detail: Record<string, unknown>; endedAt: number }>,
): Promise<void> {
  await db
    .updateTable('trigger_events')
    .set({
      ...(change.status !== undefined ? { status: change.status } : {}),
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.pipelineRunId !== undefined ? { pipeline_run_id: change.pipelineRunId } : {}),
      ...(change.model !== undefined ? { model: change.model } : {}),
      ...(change.version !== undefined ? { version: change.version } : {}),
      ...(change.environment !== undefined ? { environment: change.environment } : {}),
      ...(change.revisionId !== undefined ? { revision_id: change.revisionId } : {}),
      ...(change.detail !== undefined ? { detail: JSON.stringify(change.detail) } : {}),
      ...(change.endedAt !== undefined ? { ended_at: change.endedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

type Row = Awaited<ReturnType<typeof selectEvents>>[number];
const selectEvents = (db: Db, project: string) => db.selectFrom('trigger_events').selectAll().where('project', '=', project).orderBy('id', 'desc').execute();

function fromRow(r: Row): TriggerEvent {
  return {
    id: Number(r.id),
    project: r.project,
    kind: r.kind as TriggerKind,
    cause: JSON.parse(r.cause) as Record<string, unknown>,
    status: r.status as TriggerStatus,
    reason: r.reason,
    pipelineRunId: r.pipeline_run_id,
    model: r.model,
    version: r.version === null ? null : Number(r.version),
    environment: r.environment,
    revisionId: r.revision_id === null ? null : Number(r.revision_id),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    at: Number(r.at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

/** Newest first; optionally of one kind, or only those an alert event caused. */
export async function listTriggerEvents(db: Db, project: string, options: { kind?: TriggerKind; limit?: number; alertEventId?: string | number } = {}): Promise<TriggerEvent[]> {
  let q = db.selectFrom('trigger_events').selectAll().where('project', '=', project);
  if (options.kind) q = q.where('kind', '=', options.kind);
  const rows = await q.orderBy('id', 'desc').limit(options.alertEventId !== undefined ? 10_000 : (options.limit ?? 50)).execute();
  let events = rows.map(fromRow);
  if (options.alertEventId !== undefined) events = events.filter((e) => String(e.cause.event_id) === String(options.alertEventId)).slice(0, options.limit ?? 50);
  return events;
}

/** The trigger event that started a pipeline run, if a trigger did. */
export async function triggerEventOfRun(db: Db, pipelineRunId: string): Promise<TriggerEvent | undefined> {
  const r = await db.selectFrom('trigger_events').selectAll().where('pipeline_run_id', '=', pipelineRunId).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}
