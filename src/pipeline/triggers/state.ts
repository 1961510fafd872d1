/**
 * What the scheduler has seen, per project and key (`cron:<name>`, `source:<name>`,
 * `monitor:<name>`), changed only by compare-and-set: of two servers (or a server and its
 * restarted self) that see the same due work, exactly one claims it.
 */
import type { Db } from '../../store/store.js';

export async function readState<T>(db: Db, project: string, key: string): Promise<{ value: T; raw: string } | undefined> {
  const row = await db.selectFrom('trigger_state').select(['value']).where('project', '=', project).where('key', '=', key).executeTakeFirst();
  return row ? { value: JSON.parse(row.value) as T, raw: row.value } : undefined;
}

/**
 * Sets the value if it still is `expected` (its JSON text as read), or if there is none yet
 * when `expected` is undefined. True when this call made the change.
 */
export async function compareAndSetState(db: Db, project: string, key: string, expected: string | undefined, value: unknown): Promise<boolean> {
  const text = JSON.stringify(value);
  const now = Date.now();
  if (expected === undefined) {
    const r = await db
      .insertInto('trigger_state')
      .values({ project, key, value: text, updated_at: now })
      .onConflict((oc) => oc.columns(['project', 'key']).doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }
  const r = await db.updateTable('trigger_state').set({ value: text, updated_at: now }).where('project', '=', project).where('key', '=', key).where('value', '=', expected).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
