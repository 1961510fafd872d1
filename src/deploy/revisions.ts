/** Deployment revisions in the store: one row per change of what an environment serves. */
import type { Db } from '../store/index.js';

export type Strategy = 'direct' | 'bluegreen' | 'canary' | 'shadow' | 'rollback';
export const STRATEGIES = ['direct', 'bluegreen', 'canary', 'shadow'] as const;
export type RevisionStatus = 'deploying' | 'applied' | 'failed' | 'rolled_back' | 'superseded' | 'shadowing' | 'ended';

export interface TrafficTarget {
  model: string;
  version: number;
  route: string;
  weight: number;
}

export interface Revision {
  id: number;
  environment: string;
  model: string;
  version: number;
  strategy: Strategy;
  traffic: TrafficTarget[];
  status: RevisionStatus;
  actor: string;
  reason: string | null;
  detail: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export async function createRevision(
  db: Db,
  r: { environment: string; model: string; version: number; strategy: Strategy; actor: string; reason?: string; traffic?: TrafficTarget[] },
): Promise<number> {
  const now = Date.now();
  const row = await db
    .insertInto('deployment_revisions')
    .values({ environment: r.environment, model: r.model, version: r.version, strategy: r.strategy, traffic: JSON.stringify(r.traffic ?? []), status: 'deploying', actor: r.actor, reason: r.reason ?? null, detail: '{}', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateRevision(db: Db, id: number, change: { status?: RevisionStatus; traffic?: TrafficTarget[]; detail?: Record<string, unknown> }): Promise<void> {
  await db
    .updateTable('deployment_revisions')
    .set({
      updated_at: Date.now(),
      ...(change.status ? { status: change.status } : {}),
      ...(change.traffic ? { traffic: JSON.stringify(change.traffic) } : {}),
      ...(change.detail ? { detail: JSON.stringify(change.detail) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Newest first. */
export async function listRevisions(db: Db, environment: string, limit = 100): Promise<Revision[]> {
  const rows = await db.selectFrom('deployment_revisions').selectAll().where('environment', '=', environment).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    environment: r.environment,
    model: r.model,
    version: Number(r.version),
    strategy: r.strategy as Strategy,
    traffic: JSON.parse(r.traffic) as TrafficTarget[],
    status: r.status as RevisionStatus,
    actor: r.actor,
    reason: r.reason,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }));
}

/** The revision serving now: the newest applied one. */
export async function currentRevision(db: Db, environment: string): Promise<Revision | undefined> {
  return (await listRevisions(db, environment)).find((r) => r.status === 'applied');
}
