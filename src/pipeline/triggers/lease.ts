/**
 * Leases in the metadata store: one row per name, held by one process until it expires. Taken
 * with a conditional UPDATE (or an INSERT that loses on conflict), so two servers sharing a
 * store never both hold one — the same SQL on SQLite and PostgreSQL, no transaction needed.
 * Lease times are wall-clock (Date.now()), whatever clock the scheduler runs on: they guard
 * real processes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../store/store.js';
import { isAlive } from '../process-tree.js';

export interface LeaseHolder {
  id: string;
  host: string;
  pid: number;
}

/** This process as a lease holder; the random part tells two schedulers in one process apart. */
export function newHolder(): LeaseHolder {
  return { id: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, host: hostname(), pid: process.pid };
}

export interface LeaseRow {
  name: string;
  holder: string;
  host: string;
  pid: number;
  acquired_at: number;
  expires_at: number;
}

/**
 * Takes the lease when it is free, expired, already ours, or held by a process of this host
 * that is gone (a server killed with -9 does not block the next one for a whole lease).
 */
export async function acquireLease(db: Db, name: string, holder: LeaseHolder, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  const row = { holder: holder.id, host: holder.host, pid: holder.pid, acquired_at: now, expires_at: now + ttlMs };
  const inserted = await db.insertInto('scheduler_leases').values({ name, ...row }).onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return true;
  const current = await db.selectFrom('scheduler_leases').selectAll().where('name', '=', name).executeTakeFirst();
  if (!current) return acquireLease(db, name, holder, ttlMs);
  const dead = current.host === holder.host && current.pid !== holder.pid && !isAlive(Number(current.pid));
  if (current.holder !== holder.id && Number(current.expires_at) > now && !dead) return false;
  // Conditional on the row being what we judged: a second taker in between makes this a no-op.
  const taken = await db
    .updateTable('scheduler_leases')
    .set(row)
    .where('name', '=', name)
    .where('holder', '=', current.holder)
    .where('expires_at', '=', current.expires_at)
    .executeTakeFirst();
  return taken.numUpdatedRows > 0n;
}

/** Extends a lease we hold; false when it was lost (expired and taken by another). */
export async function renewLease(db: Db, name: string, holder: LeaseHolder, ttlMs: number): Promise<boolean> {
  const r = await db.updateTable('scheduler_leases').set({ expires_at: Date.now() + ttlMs }).where('name', '=', name).where('holder', '=', holder.id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function releaseLease(db: Db, name: string, holder: LeaseHolder): Promise<void> {
  await db.deleteFrom('scheduler_leases').where('name', '=', name).where('holder', '=', holder.id).execute();
}

export async function readLease(db: Db, name: string): Promise<LeaseRow | undefined> {
  const r = await db.selectFrom('scheduler_leases').selectAll().where('name', '=', name).executeTakeFirst();
  return r && { ...r, pid: Number(r.pid), acquired_at: Number(r.acquired_at), expires_at: Number(r.expires_at) };
}
