/** Helpers shared by the registry's functions: locking, lookups, events, NOT_FOUND messages. */
import { SluiceError } from '../errors.js';
import type { Selectable } from 'kysely';
import type { Db, ModelVersionRow, RegisteredModelsTable } from '../store/index.js';
import type { Attribution, ModelVersion, RegisteredModel, RegistryAction } from './types.js';

/**
 * Touches the model's row: an UPDATE holds the row lock (PostgreSQL) or the write lock (SQLite)
 * until the transaction ends, so every change to one model (a new version number, an alias
 * move and the history line that records it) is serialised, on either backend. Call it first
 * in a transaction. NOT_FOUND if the model does not exist.
 */
export async function lockModel(trx: Db, name: string, now: number): Promise<void> {
  const result = await trx.updateTable('registered_models').set({ last_updated_time: now }).where('name', '=', name).executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw await modelNotFound(trx, name);
}

export async function requireModel(db: Db, name: string): Promise<void> {
  const row = await db.selectFrom('registered_models').select('name').where('name', '=', name).executeTakeFirst();
  if (!row) throw await modelNotFound(db, name);
}

/** The stage of a deleted version, whose row stays so that its number is never reused (as MLflow). */
export const DELETED_STAGE = 'Deleted_Internal';

/** The version number that `versionOrAlias` names: a number, a numeric string, 'latest' or an alias. */
export async function resolveVersion(db: Db, name: string, versionOrAlias: number | string): Promise<number> {
  const selector = String(versionOrAlias);
  let version: number | undefined;
  if (/^\d+$/.test(selector) && Number(selector) > 2_147_483_647) {
    version = undefined; // beyond the column's range: no such version
  } else if (/^\d+$/.test(selector)) {
    const row = await db.selectFrom('model_versions').select('version').where('name', '=', name).where('version', '=', Number(selector)).where('current_stage', '!=', DELETED_STAGE).executeTakeFirst();
    version = row?.version;
  } else if (selector.toLowerCase() === 'latest') {
    const row = await db.selectFrom('model_versions').select((eb) => eb.fn.max('version').as('max')).where('name', '=', name).where('current_stage', '!=', DELETED_STAGE).executeTakeFirst();
    version = row?.max ?? undefined;
  } else {
    const row = await db.selectFrom('model_aliases').select('version').where('name', '=', name).where('alias', '=', selector).executeTakeFirst();
    version = row?.version;
  }
  if (version === undefined) throw await versionNotFound(db, name, selector);
  return version;
}

export async function appendEvent(
  trx: Db,
  event: { name: string; version: number | null; action: RegistryAction; detail: Record<string, unknown>; at: number } & Attribution,
): Promise<void> {
  if (!event.actor) {
    throw new SluiceError('USAGE', `A registry change to '${event.name}' needs an actor`, { hint: 'Pass actor: the user or automation making the change.' });
  }
  await trx
    .insertInto('registry_events')
    .values({ ...event, detail: JSON.stringify(event.detail), reason: event.reason ?? '' })
    .execute();
}

/** Rows of model_versions with their aliases and tags, two queries whatever the count. */
export async function withAliasesAndTags(db: Db, name: string, rows: ModelVersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const versions = rows.map((r) => r.version);
  const [aliases, tags] = await Promise.all([
    db.selectFrom('model_aliases').selectAll().where('name', '=', name).where('version', 'in', versions).orderBy('alias').execute(),
    db.selectFrom('model_version_tags').selectAll().where('name', '=', name).where('version', 'in', versions).orderBy('key').execute(),
  ]);
  return rows.map((row) => ({
    name: row.name,
    version: row.version,
    runId: row.run_id,
    source: row.source,
    status: row.status,
    description: row.description,
    creationTime: row.creation_time,
    lastUpdatedTime: row.last_updated_time,
    pipelineRunId: row.pipeline_run_id,
    codeHash: row.code_hash,
    datasets: JSON.parse(row.datasets),
    params: JSON.parse(row.params),
    metrics: JSON.parse(row.metrics),
    gates: JSON.parse(row.gates),
    aliases: aliases.filter((a) => a.version === row.version).map((a) => a.alias),
    tags: Object.fromEntries(tags.filter((t) => t.version === row.version).map((t) => [t.key, t.value])),
    currentStage: row.current_stage,
    userId: row.user_id,
    runLink: row.run_link,
    statusMessage: row.status_message,
  }));
}

export async function modelNotFound(db: Db, name: string): Promise<SluiceError> {
  const rows = await db.selectFrom('registered_models').select('name').orderBy('name').limit(21).execute();
  const names = rows.map((r) => r.name);
  const known = names.length === 0 ? 'The registry is empty.' : `Registered models: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`;
  return new SluiceError('NOT_FOUND', `Registered model '${name}' not found`, { hint: known, details: { models: names.slice(0, 20) } });
}

export async function versionNotFound(db: Db, name: string, selector: string): Promise<SluiceError> {
  const [versions, aliases] = await Promise.all([
    db.selectFrom('model_versions').select('version').where('name', '=', name).where('current_stage', '!=', DELETED_STAGE).orderBy('version').execute(),
    db.selectFrom('model_aliases').select(['alias', 'version']).where('name', '=', name).orderBy('alias').execute(),
  ]);
  if (versions.length === 0 && !(await db.selectFrom('registered_models').select('name').where('name', '=', name).executeTakeFirst())) {
    return modelNotFound(db, name);
  }
  const numbers = versions.map((v) => v.version);
  const aliasText = aliases.length === 0 ? 'no aliases' : `aliases ${aliases.map((a) => `${a.alias} -> ${a.version}`).join(', ')}`;
  return new SluiceError('NOT_FOUND', `Model '${name}' has no version or alias '${selector}'`, {
    hint: `It has ${numbers.length === 0 ? 'no versions' : `versions ${describeVersions(numbers)}`} and ${aliasText}.`,
    details: { versions: numbers, aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])) },
  });
}

/** [1,2,3,5] -> "1-3, 5": version lists are mostly gap-free, so ranges keep the hint short. */
function describeVersions(versions: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < versions.length; ) {
    let j = i;
    while (j + 1 < versions.length && versions[j + 1] === versions[j] + 1) j++;
    parts.push(i === j ? `${versions[i]}` : `${versions[i]}-${versions[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Registered model rows with their latest version, aliases and tags, three queries whatever the count. */
export async function describeModels(db: Db, models: Selectable<RegisteredModelsTable>[]): Promise<RegisteredModel[]> {
  if (models.length === 0) return [];
  const names = models.map((m) => m.name);
  const [latest, aliases, tags] = await Promise.all([
    db
      .selectFrom('model_versions')
      .select((eb) => ['name', eb.fn.max('version').as('max')])
      .where('name', 'in', names)
      .where('current_stage', '!=', DELETED_STAGE)
      .groupBy('name')
      .execute(),
    db.selectFrom('model_aliases').selectAll().where('name', 'in', names).orderBy('alias').execute(),
    db.selectFrom('registered_model_tags').selectAll().where('name', 'in', names).orderBy('key').execute(),
  ]);
  const latestByName = new Map(latest.map((l) => [l.name, l.max]));
  return models.map((m) => ({
    name: m.name,
    description: m.description,
    creationTime: m.creation_time,
    lastUpdatedTime: m.last_updated_time,
    latestVersion: latestByName.get(m.name) ?? null,
    aliases: Object.fromEntries(aliases.filter((a) => a.name === m.name).map((a) => [a.alias, a.version])),
    tags: Object.fromEntries(tags.filter((t) => t.name === m.name).map((t) => [t.key, t.value])),
  }));
}
