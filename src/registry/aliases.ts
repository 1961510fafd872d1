/** Aliases: movable names (champion, staging, production) that point at one version each. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { appendEvent, lockModel, resolveVersion, versionNotFound } from './_model.js';
import type { Attribution } from './types.js';

/** Points `alias` at `version` (moving it if it pointed elsewhere) and records the move. */
export async function setAlias(db: Db, change: { name: string; alias: string; version: number } & Attribution): Promise<void> {
  const { name, alias } = change;
  checkAlias(alias);
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    const version = await resolveVersion(trx, name, change.version);
    const previous = await currentVersion(trx, name, alias);
    if (previous === version) return; // no change, nothing to record
    await trx
      .insertInto('model_aliases')
      .values({ name, alias, version })
      .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version }))
      .execute();
    await appendEvent(trx, { name, version, action: 'alias', detail: { alias, from: previous ?? null, to: version }, ...attribution(change), at: now });
  });
}

/** Removes an alias and records it; NOT_FOUND if the model has no such alias. */
export async function deleteAlias(db: Db, change: { name: string; alias: string } & Attribution): Promise<void> {
  const { name, alias } = change;
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, name, now);
    const previous = await currentVersion(trx, name, alias);
    if (previous === undefined) throw await versionNotFound(trx, name, alias);
    await trx.deleteFrom('model_aliases').where('name', '=', name).where('alias', '=', alias).execute();
    await appendEvent(trx, { name, version: previous, action: 'alias', detail: { alias, from: previous, to: null }, ...attribution(change), at: now });
  });
}

async function currentVersion(db: Db, name: string, alias: string): Promise<number | undefined> {
  const row = await db.selectFrom('model_aliases').select('version').where('name', '=', name).where('alias', '=', alias).executeTakeFirst();
  return row?.version;
}

function attribution(change: Attribution): Attribution {
  return { actor: change.actor, reason: change.reason };
}

/**
 * MLflow's alias rules: letters, digits, _ and -, at most 255; "latest" and v<number> are
 * reserved. Plain numbers are refused too, since "income@3" must always mean version 3.
 */
function checkAlias(alias: string): void {
  const reserved = /^latest$/i.test(alias) || /^[vV]?\d+$/.test(alias);
  if (!/^[\w-]{1,255}$/.test(alias) || reserved) {
    throw new SluiceError('USAGE', `Invalid alias '${alias}'`, {
      hint: `Use up to 255 letters, digits, _ and -${reserved ? '; "latest", numbers and v<number> are reserved' : ''}, e.g. champion.`,
    });
  }
}
