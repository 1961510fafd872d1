/** Experiments: named groups of runs. */
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { SluiceError } from '../errors.js';
import type { Db, ExperimentsTable } from '../store/index.js';
import type { Experiment } from './types.js';

export async function getExperimentByName(db: Db, name: string): Promise<Experiment | undefined> {
  const row = await db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
  return row && toExperiment(row);
}

/** The experiment with this name, created if missing (safe when two callers race). */
export async function getOrCreateExperiment(db: Db, name: string): Promise<Experiment> {
  if (name.trim() === '' || name.length > 500) {
    throw new SluiceError('USAGE', `Invalid experiment name '${name}'`, { hint: 'Use 1-500 characters, not only spaces.' });
  }
  let experiment = await getExperimentByName(db, name);
  if (!experiment) {
    const id = newExperimentId();
    const now = Date.now();
    await db
      .insertInto('experiments')
      .values({
        experiment_id: id,
        name,
        artifact_location: `sluice-artifacts:/experiments/${id}`,
        lifecycle_stage: 'active',
        creation_time: now,
        last_update_time: now,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    experiment = (await getExperimentByName(db, name))!;
  }
  if (experiment.lifecycleStage !== 'active') {
    throw new SluiceError('CONFLICT', `Experiment '${name}' is deleted`, { hint: 'Restore it, or log to an experiment with another name.' });
  }
  return experiment;
}

/**
 * MLflow experiment ids are integer strings. Random 18-digit ones (as MLflow's file store
 * makes) need no counter, so concurrent creators on any backend never collide.
 */
function newExperimentId(): string {
  const n = randomBytes(8).readBigUInt64BE() % 900_000_000_000_000_000n;
  return String(n + 100_000_000_000_000_000n);
}

function toExperiment(row: Selectable<ExperimentsTable>): Experiment {
  return {
    experimentId: row.experiment_id,
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
  };
}
