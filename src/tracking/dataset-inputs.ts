/**
 * MLflow's log-inputs: datasets described by name, digest and source, with input tags
 * (mlflow.data.context says training, validation, ...). They are shown beside the Sluice
 * dataset versions a pipeline run records, which appear as source type "sluice".
 */
import { createHash } from 'node:crypto';
import { inTransaction, type Db } from '../store/index.js';
import { chunks } from './_chunks.js';
import { requireActiveRun } from './runs.js';
import type { DatasetInput } from './types.js';

export const CONTEXT_TAG = 'mlflow.data.context';

export async function logDatasetInputs(db: Db, runId: string, inputs: readonly DatasetInput[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    const run = await requireActiveRun(trx, runId);
    for (const input of inputs) {
      const d = input.dataset;
      const datasetId = `mlds-${createHash('sha256').update(JSON.stringify([run.experimentId, d.name, d.digest])).digest('hex').slice(0, 32)}`;
      await trx
        .insertInto('tracking_datasets')
        .values({
          dataset_id: datasetId,
          experiment_id: run.experimentId,
          name: d.name,
          digest: d.digest,
          source_type: d.sourceType,
          source: d.source,
          schema: d.schema ?? null,
          profile: d.profile ?? null,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.column('dataset_id').doNothing())
        .execute();
      const context = input.tags[CONTEXT_TAG] ?? '';
      await trx.insertInto('run_inputs').values({ run_id: runId, dataset_id: datasetId, context }).onConflict((oc) => oc.doNothing()).execute();
      for (const [key, value] of Object.entries(input.tags)) {
        await trx
          .insertInto('run_input_tags')
          .values({ run_id: runId, dataset_id: datasetId, context, key, value })
          .onConflict((oc) => oc.columns(['run_id', 'dataset_id', 'context', 'key']).doUpdateSet({ value }))
          .execute();
      }
    }
  });
}

/** The dataset inputs of each run, MLflow's and Sluice's alike. */
export async function listDatasetInputs(db: Db, runIds: readonly string[]): Promise<Map<string, DatasetInput[]>> {
  const out = new Map<string, DatasetInput[]>(runIds.map((id) => [id, []]));
  for (const ids of chunks([...runIds])) {
    const [inputs, tags] = await Promise.all([
      db
        .selectFrom('run_inputs as i')
        .leftJoin('tracking_datasets as d', 'd.dataset_id', 'i.dataset_id')
        .leftJoin('dataset_versions as v', 'v.id', 'i.dataset_id')
        .select([
          'i.run_id',
          'i.dataset_id',
          'i.context',
          'd.name as d_name',
          'd.digest as d_digest',
          'd.source_type',
          'd.source',
          'd.schema as d_schema',
          'd.profile as d_profile',
          'v.name as v_name',
          'v.digest as v_digest',
          'v.schema as v_schema',
        ])
        .where('i.run_id', 'in', ids)
        .orderBy('i.run_id')
        .orderBy('i.dataset_id')
        .orderBy('i.context')
        .execute(),
      db.selectFrom('run_input_tags').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
    ]);
    for (const i of inputs) {
      const inputTags = Object.fromEntries(tags.filter((t) => t.run_id === i.run_id && t.dataset_id === i.dataset_id && t.context === i.context).map((t) => [t.key, t.value]));
      const dataset: DatasetInput['dataset'] =
        i.d_name !== null
          ? { name: i.d_name, digest: i.d_digest!, sourceType: i.source_type!, source: i.source!, schema: i.d_schema ?? undefined, profile: i.d_profile ?? undefined }
          : {
              name: i.v_name ?? i.dataset_id,
              digest: (i.v_digest ?? '').slice(0, 16),
              sourceType: 'sluice',
              source: JSON.stringify({ dataset_version: i.dataset_id }),
              schema: i.v_schema ?? undefined,
            };
      if (i.context && !(CONTEXT_TAG in inputTags)) inputTags[CONTEXT_TAG] = i.context;
      out.get(i.run_id)!.push({ dataset, tags: inputTags });
    }
  }
  return out;
}
