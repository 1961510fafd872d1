/**
 * What the MLflow-compatible tracking server needs beyond 0001: MLflow dataset inputs and their
 * tags, registered-model tags, the MLflow fields of a model version (stage, user, run link),
 * indexes for runs/search filters and ordering, and MLflow's default experiment "0".
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';

export function trackingServer(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;

      // Datasets logged through MLflow's log-inputs; Sluice's own dataset versions stay in
      // dataset_versions. run_inputs.dataset_id names a row of either table.
      await s
        .createTable('tracking_datasets')
        .addColumn('dataset_id', 'text', (c) => c.primaryKey())
        .addColumn('experiment_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('schema', 'text')
        .addColumn('profile', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('tracking_datasets_name').on('tracking_datasets').columns(['experiment_id', 'name', 'digest']).unique().execute();

      await s
        .createTable('run_input_tags')
        .addColumn('run_id', 'text', (c) => c.notNull().references('tracking_runs.run_id').onDelete('cascade'))
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('context', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_input_tags_pk', ['run_id', 'dataset_id', 'context', 'key'])
        .execute();

      await s
        .createTable('registered_model_tags')
        .addColumn('name', 'text', (c) => c.notNull().references('registered_models.name'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('registered_model_tags_pk', ['name', 'key'])
        .execute();

      // MLflow's model version fields. A deleted version keeps its row (stage
      // 'Deleted_Internal', as MLflow does) so that its number is never given out again.
      await s.alterTable('model_versions').addColumn('current_stage', 'text', (c) => c.notNull().defaultTo('None')).execute();
      await s.alterTable('model_versions').addColumn('user_id', 'text', (c) => c.notNull().defaultTo('')).execute();
      await s.alterTable('model_versions').addColumn('run_link', 'text', (c) => c.notNull().defaultTo('')).execute();
      await s.alterTable('model_versions').addColumn('status_message', 'text', (c) => c.notNull().defaultTo('')).execute();

      // runs/search: a metric, param or tag clause finds its runs through (key, value); an
      // order_by on one joins (run_id, key), which the primary keys already serve.
      await s.createIndex('latest_metrics_key_value').on('latest_metrics').columns(['key', 'value', 'run_id']).execute();
      await s.createIndex('params_key_value').on('params').columns(['key', 'value', 'run_id']).execute();
      await s.createIndex('run_tags_key_value').on('run_tags').columns(['key', 'value', 'run_id']).execute();
      await s.createIndex('tracking_runs_start').on('tracking_runs').columns(['start_time', 'run_id']).execute();
      await s.createIndex('experiments_creation').on('experiments').columns(['creation_time']).execute();

      // MLflow clients log to experiment "0" when none is set.
      await db
        .insertInto('experiments')
        .values({
          experiment_id: '0',
          name: 'Default',
          artifact_location: 'mlflow-artifacts:/0',
          lifecycle_stage: 'active',
          creation_time: Date.now(),
          last_update_time: Date.now(),
        })
        .onConflict((oc: any) => oc.doNothing())
        .execute();
    },
  };
}
