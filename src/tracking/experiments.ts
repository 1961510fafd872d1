/** Experiments: named groups of runs, with tags; deleting one deletes (softly) its runs too. */
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { SluiceError } from '../errors.js';
import { inTransaction, type Db, type ExperimentsTable } from '../store/index.js';
import { chunks } from './_chunks.js';
import type { Experiment } from './types.js';

export async function getExperimentByName(db: Db, name: string): Promise<Experiment | undefined> {
  const row = await db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
  return row && (await withTags(db, [row]))[0];
}

/** NOT_FOUND if there is no experiment with this id. */
export async function getExperiment(db: Db, experimentId: string): Promise<Experiment> {
  const row = await db.selectFrom('experiments').selectAll().where('experiment_id', '=', experimentId).executeTakeFirst();
  if (!row) throw experimentNotFound(experimentId);
  return (await withTags(db, [row]))[0];
}

/** The experiment with this name, created if missing (safe when two callers race). */
export async function getOrCreateExperiment(db: Db, name: string): Promise<Experiment> {
  checkName(name);
  let experiment = await getExperimentByName(db, name);
  if (!experiment) {
    await insertExperiment(db, name);
    experiment = (await getExperimentByName(db, name))!;
  }
  if (experiment.lifecycleStage !== 'active') {
    throw new SluiceError('CONFLICT', `Experiment '${name}' is deleted`, { hint: 'Restore it, or log to an experiment with another name.' });
  }
  return experiment;
}

export interface CreateExperimentOptions {
  /** Where clients put the artifacts of its runs; default `mlflow-artifacts:/<id>` (this server). */
  artifactLocation?: string;
  tags?: Record<string, string>;
}

/** Creates an experiment; CONFLICT (MLflow's RESOURCE_ALREADY_EXISTS) if the name is taken. */
export async function createExperiment(db: Db, name: string, options: CreateExperimentOptions = {}): Promise<string> {
  checkName(name);
  return inTransaction(db, async (trx) => {
    const id = await insertExperiment(trx, name, options.artifactLocation);
    if (id === undefined) {
      const existing = await getExperimentByName(trx, name);
      const state = existing?.lifecycleStage === 'deleted' ? ' in deleted state; restore it or choose another name' : '';
      throw new SluiceError('CONFLICT', `Experiment(name=${name}) already exists${state}`, {
        hint: 'Experiment names are unique, deleted experiments included.',
        details: { mlflowErrorCode: 'RESOURCE_ALREADY_EXISTS' },
      });
    }
    for (const [key, value] of Object.entries(options.tags ?? {})) await upsertTag(trx, id, key, value);
    return id;
  });
}

export async function renameExperiment(db: Db, experimentId: string, newName: string): Promise<void> {
  checkName(newName);
  await inTransaction(db, async (trx) => {
    await requireActiveExperiment(trx, experimentId);
    const taken = await trx.selectFrom('experiments').select('experiment_id').where('name', '=', newName).executeTakeFirst();
    if (taken && taken.experiment_id !== experimentId) {
      throw new SluiceError('CONFLICT', `Experiment(name=${newName}) already exists`, { details: { mlflowErrorCode: 'RESOURCE_ALREADY_EXISTS' } });
    }
    await trx.updateTable('experiments').set({ name: newName, last_update_time: Date.now() }).where('experiment_id', '=', experimentId).execute();
  });
}

/** Soft-deletes the experiment and its runs. */
export async function deleteExperiment(db: Db, experimentId: string): Promise<void> {
  await setLifecycle(db, experimentId, 'deleted');
}

/** Restores the experiment and its runs. */
export async function restoreExperiment(db: Db, experimentId: string): Promise<void> {
  await setLifecycle(db, experimentId, 'active');
}

export async function setExperimentTag(db: Db, experimentId: string, key: string, value: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireActiveExperiment(trx, experimentId);
    await upsertTag(trx, experimentId, key, value);
  });
}

export async function deleteExperimentTag(db: Db, experimentId: string, key: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireActiveExperiment(trx, experimentId);
    const result = await trx.deleteFrom('experiment_tags').where('experiment_id', '=', experimentId).where('key', '=', key).executeTakeFirst();
    if (result.numDeletedRows === 0n) {
      throw new SluiceError('NOT_FOUND', `No tag with name: ${key} in experiment with id ${experimentId}`);
    }
  });
}

export async function withTags(db: Db, rows: Selectable<ExperimentsTable>[]): Promise<Experiment[]> {
  const tags = new Map<string, Record<string, string>>(rows.map((r) => [r.experiment_id, {}]));
  for (const ids of chunks([...tags.keys()])) {
    const found = await db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute();
    for (const t of found) tags.get(t.experiment_id)![t.key] = t.value;
  }
  return rows.map((row) => ({
    experimentId: row.experiment_id,
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags: tags.get(row.experiment_id)!,
  }));
}

export function experimentNotFound(experimentId: string): SluiceError {
  return new SluiceError('NOT_FOUND', `No Experiment with id=${experimentId} exists`, { hint: '`sluice exp list` shows the experiments there are.' });
}

async function requireActiveExperiment(db: Db, experimentId: string): Promise<void> {
  const experiment = await getExperiment(db, experimentId);
  if (experiment.lifecycleStage !== 'active') {
    throw new SluiceError('CONFLICT', `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`, {
      hint: 'Restore the experiment first.',
    });
  }
}

async function setLifecycle(db: Db, experimentId: string, stage: 'active' | 'deleted'): Promise<void> {
  await inTransaction(db, async (trx) => {
    await getExperiment(trx, experimentId);
    await trx.updateTable('experiments').set({ lifecycle_stage: stage, last_update_time: Date.now() }).where('experiment_id', '=', experimentId).execute();
    await trx.updateTable('tracking_runs').set({ lifecycle_stage: stage }).where('experiment_id', '=', experimentId).execute();
  });
}

/** Inserts a new experiment; undefined if the name is taken. */
async function insertExperiment(db: Db, name: string, artifactLocation?: string): Promise<string | undefined> {
  const id = newExperimentId();
  const now = Date.now();
  const result = await db
    .insertInto('experiments')
    .values({
      experiment_id: id,
      name,
      artifact_location: artifactLocation || `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n ? id : undefined;
}

async function upsertTag(db: Db, experimentId: string, key: string, value: string): Promise<void> {
  await db
    .insertInto('experiment_tags')
    .values({ experiment_id: experimentId, key, value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
    .execute();
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 500) {
    throw new SluiceError('USAGE', `Invalid experiment name '${String(name).slice(0, 100)}'`, { hint: 'Use 1-500 characters, not only spaces.' });
  }
}

/**
 * MLflow experiment ids are integer strings. Random 18-digit ones (as MLflow's file store
 * makes) need no counter, so concurrent creators on any backend never collide.
 */
function newExperimentId(): string {
  const n = randomBytes(8).readBigUInt64BE() % 900_000_000_000_000_000n;
  return String(n + 100_000_000_000_000_000n);
}
