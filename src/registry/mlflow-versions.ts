/**
 * Model versions as MLflow clients make and change them: created from a source URI (not a
 * Sluice model package), described, moved between the deprecated stages, deleted.
 */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { appendEvent, DELETED_STAGE, lockModel, requireModel, resolveVersion, withAliasesAndTags } from './_model.js';
import { checkTagKey } from './models.js';
import { getModelVersion, registerModelVersion } from './versions.js';
import type { Attribution, ModelVersion } from './types.js';

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

export interface CreateModelVersionInput extends Attribution {
  name: string;
  /** Where the model's files are: mlflow-artifacts:/…, runs:/…, models:/…, s3://…; never a local path. */
  source: string;
  runId?: string | null;
  tags?: Record<string, string>;
  runLink?: string;
  description?: string;
  userId?: string;
}

/** Adds the next version of an existing model (MLflow's create-model-version). */
export async function createModelVersion(db: Db, input: CreateModelVersionInput): Promise<ModelVersion> {
  checkSource(input.source);
  for (const key of Object.keys(input.tags ?? {})) checkTagKey(key);
  return inTransaction(db, async (trx) => {
    await requireModel(trx, input.name);
    const { version } = await registerModelVersion(trx, {
      name: input.name,
      runId: input.runId || null,
      source: input.source,
      datasets: {},
      params: {},
      metrics: {},
      gates: [],
      actor: input.actor,
      reason: input.reason,
    });
    await trx
      .updateTable('model_versions')
      .set({ description: input.description ?? '', run_link: input.runLink ?? '', user_id: input.userId ?? '' })
      .where('name', '=', input.name)
      .where('version', '=', version)
      .execute();
    for (const [key, value] of Object.entries(input.tags ?? {})) {
      await trx.insertInto('model_version_tags').values({ name: input.name, version, key, value }).execute();
    }
    return getModelVersion(trx, input.name, version);
  });
}

export async function updateModelVersion(db: Db, change: { name: string; version: number; description: string } & Attribution): Promise<ModelVersion> {
  return inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, change.name, now);
    const current = await getModelVersion(trx, change.name, change.version);
    await trx
      .updateTable('model_versions')
      .set({ description: change.description, last_updated_time: now })
      .where('name', '=', change.name)
      .where('version', '=', current.version)
      .execute();
    await appendEvent(trx, {
      name: change.name,
      version: current.version,
      action: 'describe',
      detail: { description: change.description, previous: current.description },
      actor: change.actor,
      reason: change.reason,
      at: now,
    });
    return getModelVersion(trx, change.name, current.version);
  });
}

/** Moves a version to a stage (deprecated in MLflow: aliases say what serves); optionally archives the others there. */
export async function transitionModelVersionStage(
  db: Db,
  change: { name: string; version: number; stage: string; archiveExisting?: boolean } & Attribution,
): Promise<ModelVersion> {
  const stage = STAGES.find((s) => s.toLowerCase() === change.stage.toLowerCase());
  if (!stage) {
    throw new SluiceError('USAGE', `Invalid Model Version stage: ${change.stage}. Value must be one of ${STAGES.join(', ')}.`);
  }
  return inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, change.name, now);
    const current = await getModelVersion(trx, change.name, change.version);
    const moves: { version: number; from: string; to: string }[] = [{ version: current.version, from: current.currentStage, to: stage }];
    if (change.archiveExisting && (stage === 'Staging' || stage === 'Production')) {
      const others = await trx
        .selectFrom('model_versions')
        .select(['version', 'current_stage'])
        .where('name', '=', change.name)
        .where('current_stage', '=', stage)
        .where('version', '!=', current.version)
        .execute();
      for (const o of others) moves.push({ version: o.version, from: o.current_stage, to: 'Archived' });
    }
    for (const m of moves) {
      await trx.updateTable('model_versions').set({ current_stage: m.to, last_updated_time: now }).where('name', '=', change.name).where('version', '=', m.version).execute();
      await appendEvent(trx, { name: change.name, version: m.version, action: 'stage', detail: { stage: m.to, previous: m.from }, actor: change.actor, reason: change.reason, at: now });
    }
    return getModelVersion(trx, change.name, current.version);
  });
}

/** Deletes a version: its aliases and tags go; its row stays, hidden, so its number is never reused. */
export async function deleteModelVersion(db: Db, change: { name: string; version: number } & Attribution): Promise<void> {
  await inTransaction(db, async (trx) => {
    const now = Date.now();
    await lockModel(trx, change.name, now);
    const version = await resolveVersion(trx, change.name, change.version);
    await trx.deleteFrom('model_aliases').where('name', '=', change.name).where('version', '=', version).execute();
    await trx.deleteFrom('model_version_tags').where('name', '=', change.name).where('version', '=', version).execute();
    await trx
      .updateTable('model_versions')
      .set({ current_stage: DELETED_STAGE, last_updated_time: now })
      .where('name', '=', change.name)
      .where('version', '=', version)
      .execute();
    await appendEvent(trx, { name: change.name, version, action: 'delete', detail: {}, actor: change.actor, reason: change.reason, at: now });
  });
}

/** The newest version in each of the given stages (all stages when none are given). */
export async function getLatestVersions(db: Db, name: string, stages: readonly string[] = []): Promise<ModelVersion[]> {
  await requireModel(db, name);
  const wanted = stages.length === 0 ? [...STAGES] : stages.map((s) => STAGES.find((x) => x.toLowerCase() === s.toLowerCase()));
  if (wanted.some((s) => s === undefined)) {
    throw new SluiceError('USAGE', `Invalid Model Version stage in [${stages.join(', ')}]. Value must be one of ${STAGES.join(', ')}.`);
  }
  const rows = await db.selectFrom('model_versions').selectAll().where('name', '=', name).where('current_stage', 'in', wanted as string[]).orderBy('version', 'desc').execute();
  const seen = new Set<string>();
  const latest = rows.filter((r) => !seen.has(r.current_stage) && seen.add(r.current_stage));
  return withAliasesAndTags(db, name, latest.sort((a, b) => a.version - b.version));
}

/** MLflow's rules on a version's source: no "..", no NUL, no local paths (nothing without a URI scheme, no file:). */
function checkSource(source: string): void {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
  const bad = source.includes('\0') || source.split(/[/\\]/).includes('..') || !scheme || scheme === 'file' || scheme.length === 1;
  if (bad) {
    throw new SluiceError('USAGE', `Invalid model version source: '${source.slice(0, 200)}'`, {
      hint: 'Give a URI such as runs:/<run_id>/model or mlflow-artifacts:/…; local paths, file: URIs and ".." are refused.',
    });
  }
}
