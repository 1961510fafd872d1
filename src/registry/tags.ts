/** Model version tags: labels such as tested=true or blessed=2024-05-01. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { appendEvent, lockModel, resolveVersion } from './_model.js';
import { checkTagKey } from './models.js';
import type { Attribution } from './types.js';

export async function setModelVersionTag(
  db: Db,
  change: { name: string; version: number; key: string; value: string } & Attribution,
): Promise<void> {
  const { name, key, value } = change;
  checkTagKey(key);
  if (typeof value !== 'string') {
    throw new SluiceError('USAGE', `Tag '${key}' must be a string, got ${typeof value}`, { hint: 'Convert the value with String().' });
  }
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    const version = await resolveVersion(trx, name, change.version);
    const previous = await currentValue(trx, name, version, key);
    if (previous === value) return; // no change, nothing to record
    await trx
      .insertInto('model_version_tags')
      .values({ name, version, key, value })
      .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet({ value }))
      .execute();
    await appendEvent(trx, { name, version, action: 'tag', detail: { key, value, previous: previous ?? null }, actor: change.actor, reason: change.reason, at: now });
  });
}

/** Removes a tag and records it; NOT_FOUND if the version has no such tag. */
export async function deleteModelVersionTag(db: Db, change: { name: string; version: number; key: string } & Attribution): Promise<void> {
  const { name, key } = change;
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    const version = await resolveVersion(trx, name, change.version);
    const previous = await currentValue(trx, name, version, key);
    if (previous === undefined) {
      throw new SluiceError('NOT_FOUND', `Version ${version} of model '${name}' has no tag '${key}'`, {
        hint: 'getModelVersionTags() lists its tags.',
      });
    }
    await trx.deleteFrom('model_version_tags').where('name', '=', name).where('version', '=', version).where('key', '=', key).execute();
    await appendEvent(trx, { name, version, action: 'untag', detail: { key, previous }, actor: change.actor, reason: change.reason, at: now });
  });
}

export async function getModelVersionTags(db: Db, name: string, version: number): Promise<Record<string, string>> {
  const resolved = await resolveVersion(db, name, version);
  const rows = await db
    .selectFrom('model_version_tags')
    .select(['key', 'value'])
    .where('name', '=', name)
    .where('version', '=', resolved)
    .orderBy('key')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

async function currentValue(db: Db, name: string, version: number, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('model_version_tags')
    .select('value')
    .where('name', '=', name)
    .where('version', '=', version)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}
