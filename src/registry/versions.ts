/** Registered models and their numbered versions. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db, type Store } from '../store/index.js';
import { getRunInfo } from '../tracking/index.js';
import { appendEvent, DELETED_STAGE, describeModels, lockModel, requireModel, resolveVersion, withAliasesAndTags } from './_model.js';
import { checkModelName } from './ref.js';
import type { Attribution, ModelVersion, RegisteredModel } from './types.js';

export interface RegisterModelVersionInput extends Attribution {
  name: string;
  /** The tracking run that produced the model; checked to exist. */
  runId: string | null;
  /** Artifact digest of the model package manifest. */
  source: string;
  pipelineRunId?: string | null;
  codeHash?: string | null;
  /** Dataset version ids by role: {train, validation, test}. */
  datasets: Record<string, string>;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  gates: unknown[];
}

/**
 * Adds the next version of a model (creating the model if it is new), and records it in the
 * history. Versions count 1, 2, 3, … without gaps or duplicates, even when processes register
 * at the same time. Given a transaction (e.g. a pipeline's final commit), the version lands
 * with the rest of that transaction or not at all.
 */
export async function registerModelVersion(target: Store | Db, input: RegisterModelVersionInput): Promise<{ name: string; version: number }> {
  const { name } = input;
  checkModelName(name);
  if (!input.source) throw new SluiceError('USAGE', `Model version of '${name}' needs a source`, { hint: 'Pass the artifact digest of the model package.' });
  const db = 'dialect' in target ? target.db : target;
  return inTransaction(db, async (trx) => {
    if (input.runId !== null) await getRunInfo(trx, input.runId);
    const now = Date.now();
    await trx
      .insertInto('registered_models')
      .values({ name, description: '', creation_time: now, last_updated_time: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    // Held until commit, so no other registration reads the same max(version).
    await lockModel(trx, name, now);
    const { max } = await trx
      .selectFrom('model_versions')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    const version = (max ?? 0) + 1;
    await trx
      .insertInto('model_versions')
      .values({
        name,
        version,
        run_id: input.runId,
        source: input.source,
        status: 'READY',
        description: '',
        creation_time: now,
        last_updated_time: now,
        pipeline_run_id: input.pipelineRunId ?? null,
        code_hash: input.codeHash ?? null,
        datasets: JSON.stringify(input.datasets),
        params: JSON.stringify(input.params),
        metrics: JSON.stringify(input.metrics),
        gates: JSON.stringify(input.gates),
      })
      .execute();
    await appendEvent(trx, {
      name,
      version,
      action: 'register',
      detail: { runId: input.runId, source: input.source, pipelineRunId: input.pipelineRunId ?? null },
      actor: input.actor,
      reason: input.reason,
      at: now,
    });
    return { name, version };
  });
}

/**
 * One version, named by number (3 or "3"), alias ("champion") or "latest" (the highest).
 * NOT_FOUND, listing the versions and aliases there are, otherwise.
 */
export async function getModelVersion(db: Db, name: string, versionOrAlias: number | string): Promise<ModelVersion> {
  const version = await resolveVersion(db, name, versionOrAlias);
  const row = await db.selectFrom('model_versions').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirstOrThrow();
  const [mv] = await withAliasesAndTags(db, name, [row]);
  return mv;
}

/** Every version of a model, newest first. */
export async function listModelVersions(db: Db, name: string): Promise<ModelVersion[]> {
  await requireModel(db, name);
  const rows = await db.selectFrom('model_versions').selectAll().where('name', '=', name).where('current_stage', '!=', DELETED_STAGE).orderBy('version', 'desc').execute();
  return withAliasesAndTags(db, name, rows);
}

/** The newest version of `name` registered from this tracking run, if any. */
export async function findModelVersionByRun(db: Db, name: string, runId: string): Promise<ModelVersion | undefined> {
  const row = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('name', '=', name)
    .where('run_id', '=', runId)
    .where('current_stage', '!=', DELETED_STAGE)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!row) return undefined;
  const [mv] = await withAliasesAndTags(db, name, [row]);
  return mv;
}

/** All registered models by name, with their latest version, aliases and tags. */
export async function listRegisteredModels(db: Db): Promise<RegisteredModel[]> {
  const models = await db.selectFrom('registered_models').selectAll().orderBy('name').execute();
  return describeModels(db, models);
}
