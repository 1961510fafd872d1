/** Registered models as MLflow manages them: create, describe, rename, tag, delete; each change in the history. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { appendEvent, describeModels, lockModel, modelNotFound } from './_model.js';
import { checkModelName } from './ref.js';
import type { Attribution, RegisteredModel } from './types.js';

export async function getRegisteredModel(db: Db, name: string): Promise<RegisteredModel> {
  const row = await db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw await modelNotFound(db, name);
  return (await describeModels(db, [row]))[0];
}

/** CONFLICT (MLflow's RESOURCE_ALREADY_EXISTS) if the name is taken. */
export async function createRegisteredModel(
  db: Db,
  input: { name: string; description?: string; tags?: Record<string, string> } & Attribution,
): Promise<RegisteredModel> {
  const { name } = input;
  checkModelName(name);
  return inTransaction(db, async (trx) => {
    const now = Date.now();
    const result = await trx
      .insertInto('registered_models')
      .values({ name, description: input.description ?? '', creation_time: now, last_updated_time: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) {
      throw new SluiceError('CONFLICT', `Registered Model (name=${name}) already exists.`, {
        hint: 'Add a version to it, or choose another name.',
        details: { mlflowErrorCode: 'RESOURCE_ALREADY_EXISTS' },
      });
    }
    for (const [key, value] of Object.entries(input.tags ?? {})) {
      checkTagKey(key);
      await trx.insertInto('registered_model_tags').values({ name, key, value }).execute();
    }
    await appendEvent(trx, { name, version: null, action: 'create', detail: { description: input.description ?? '' }, actor: input.actor, reason: input.reason, at: now });
    return (await describeModels(trx, [{ name, description: input.description ?? '', creation_time: now, last_updated_time: now }]))[0];
  });
}

export async function updateRegisteredModel(db: Db, change: { name: string; description: string } & Attribution): Promise<RegisteredModel> {
  return inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, change.name, now);
    const previous = await trx.selectFrom('registered_models').select('description').where('name', '=', change.name).executeTakeFirstOrThrow();
    await trx.updateTable('registered_models').set({ description: change.description }).where('name', '=', change.name).execute();
    await appendEvent(trx, {
      name: change.name,
      version: null,
      action: 'describe',
      detail: { description: change.description, previous: previous.description },
      actor: change.actor,
      reason: change.reason,
      at: now,
    });
    return getRegisteredModel(trx, change.name);
  });
}

/**
 * Renames a model with its versions, aliases, tags and history. Its rows move to the new name
 * (children first, as the foreign keys want), and a `rename` event records the move.
 */
export async function renameRegisteredModel(db: Db, change: { name: string; newName: string } & Attribution): Promise<RegisteredModel> {
  const { name, newName } = change;
  checkModelName(newName);
  return inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    if (newName === name) return getRegisteredModel(trx, name);
    const model = await trx.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
    const taken = await trx.insertInto('registered_models').values({ ...model, name: newName }).onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
    if ((taken.numInsertedOrUpdatedRows ?? 0n) === 0n) {
      throw new SluiceError('CONFLICT', `Registered Model (name=${newName}) already exists.`, { details: { mlflowErrorCode: 'RESOURCE_ALREADY_EXISTS' } });
    }
    const versions = await trx.selectFrom('model_versions').selectAll().where('name', '=', name).execute();
    if (versions.length > 0) await trx.insertInto('model_versions').values(versions.map((v) => ({ ...v, name: newName }))).execute();
    await trx.updateTable('model_aliases').set({ name: newName }).where('name', '=', name).execute();
    await trx.updateTable('model_version_tags').set({ name: newName }).where('name', '=', name).execute();
    await trx.updateTable('registered_model_tags').set({ name: newName }).where('name', '=', name).execute();
    await trx.deleteFrom('model_versions').where('name', '=', name).execute();
    await trx.deleteFrom('registered_models').where('name', '=', name).execute();
    await trx.updateTable('registry_events').set({ name: newName }).where('name', '=', name).execute();
    await appendEvent(trx, { name: newName, version: null, action: 'rename', detail: { from: name, to: newName }, actor: change.actor, reason: change.reason, at: now });
    return getRegisteredModel(trx, newName);
  });
}

/** Deletes a model, its versions, aliases and tags. Its history stays. */
export async function deleteRegisteredModel(db: Db, change: { name: string } & Attribution): Promise<void> {
  const { name } = change;
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    await trx.deleteFrom('model_aliases').where('name', '=', name).execute();
    await trx.deleteFrom('model_version_tags').where('name', '=', name).execute();
    await trx.deleteFrom('registered_model_tags').where('name', '=', name).execute();
    await trx.deleteFrom('model_versions').where('name', '=', name).execute();
    await trx.deleteFrom('registered_models').where('name', '=', name).execute();
    await appendEvent(trx, { name, version: null, action: 'delete', detail: {}, actor: change.actor, reason: change.reason, at: now });
  });
}

export async function setRegisteredModelTag(db: Db, change: { name: string; key: string; value: string } & Attribution): Promise<void> {
  const { name, key, value } = change;
  checkTagKey(key);
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    const previous = await trx.selectFrom('registered_model_tags').select('value').where('name', '=', name).where('key', '=', key).executeTakeFirst();
    if (previous?.value === value) return;
    await trx
      .insertInto('registered_model_tags')
      .values({ name, key, value })
      .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ value }))
      .execute();
    await appendEvent(trx, { name, version: null, action: 'model-tag', detail: { key, value, previous: previous?.value ?? null }, actor: change.actor, reason: change.reason, at: now });
  });
}

export async function deleteRegisteredModelTag(db: Db, change: { name: string; key: string } & Attribution): Promise<void> {
  const { name, key } = change;
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    const previous = await trx.selectFrom('registered_model_tags').select('value').where('name', '=', name).where('key', '=', key).executeTakeFirst();
    if (!previous) throw new SluiceError('NOT_FOUND', `Registered model '${name}' has no tag '${key}'`);
    await trx.deleteFrom('registered_model_tags').where('name', '=', name).where('key', '=', key).execute();
    await appendEvent(trx, { name, version: null, action: 'model-untag', detail: { key, previous: previous.value }, actor: change.actor, reason: change.reason, at: now });
  });
}

/** MLflow's registry tag limits: key up to 250 characters. */
export function checkTagKey(key: string): void {
  if (typeof key !== 'string' || key.trim() === '' || key.length > 250) {
    throw new SluiceError('USAGE', `Invalid tag key '${String(key).slice(0, 100)}'`, { hint: 'Use 1-250 characters, not only spaces.' });
  }
}
