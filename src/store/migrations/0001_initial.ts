/**
 * The first schema: every table of schema.ts. Portable column types only (text, integer, bigint,
 * double precision); times are epoch milliseconds in bigint columns. Foreign keys tie the
 * tracking and registry child tables to their parents; the pipeline and dataset tables carry
 * none, so their writers may record in any order.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { idColumn } from './_id-column.js';

export function initial(dialect: StoreDialect): Migration {
  const withId = idColumn(dialect);

  return {
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;

      await s
        .createTable('pipeline_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('config_hash', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex('pipeline_runs_project_started').on('pipeline_runs').columns(['project', 'started_at']).execute();

      await s
        .createTable('step_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pipeline_run_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('cache_key', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('exit_code', 'integer')
        .addColumn('failure', 'text')
        .addColumn('error', 'text')
        .addColumn('log_digest', 'text')
        .addColumn('outputs', 'text')
        .addColumn('tracking_run_id', 'text')
        .addColumn('resources', 'text')
        .execute();
      await s.createIndex('step_runs_pipeline_run').on('step_runs').column('pipeline_run_id').execute();

      await s
        .createTable('step_cache')
        .addColumn('cache_key', 'text', (c) => c.primaryKey())
        .addColumn('step_kind', 'text', (c) => c.notNull())
        .addColumn('outputs', 'text', (c) => c.notNull())
        .addColumn('tracking_run_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await s
        .createTable('dataset_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('schema', 'text', (c) => c.notNull())
        .addColumn('row_count', 'bigint', (c) => c.notNull())
        .addColumn('lineage', 'text', (c) => c.notNull())
        .addColumn('profile', 'text')
        .addColumn('validation', 'text')
        .addColumn('pipeline_run_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('dataset_versions_name_created').on('dataset_versions').columns(['project', 'name', 'created_at']).execute();

      await s
        .createTable('experiments')
        .addColumn('experiment_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('artifact_location', 'text', (c) => c.notNull())
        .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'bigint', (c) => c.notNull())
        .addColumn('last_update_time', 'bigint', (c) => c.notNull())
        .execute();

      await s
        .createTable('experiment_tags')
        .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
        .execute();

      await s
        .createTable('tracking_runs')
        .addColumn('run_id', 'text', (c) => c.primaryKey())
        .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.experiment_id'))
        .addColumn('run_name', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('start_time', 'bigint', (c) => c.notNull())
        .addColumn('end_time', 'bigint')
        .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
        .addColumn('artifact_uri', 'text', (c) => c.notNull())
        .addColumn('pipeline_run_id', 'text')
        .addColumn('step_name', 'text')
        .execute();
      await s.createIndex('tracking_runs_experiment_start').on('tracking_runs').columns(['experiment_id', 'start_time']).execute();
      await s.createIndex('tracking_runs_pipeline_run').on('tracking_runs').column('pipeline_run_id').execute();

      // Key-value children of a run: one value per (run, key).
      for (const table of ['params', 'run_tags'] as const) {
        await s
          .createTable(table)
          .addColumn('run_id', 'text', (c) => c.notNull().references('tracking_runs.run_id').onDelete('cascade'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['run_id', 'key'])
          .execute();
      }

      await s
        .createTable('metrics')
        .$call(withId)
        .addColumn('run_id', 'text', (c) => c.notNull().references('tracking_runs.run_id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('step', 'bigint', (c) => c.notNull())
        .addColumn('is_nan', 'integer', (c) => c.notNull())
        .execute();
      // Unique so that an identical point logged twice collapses (MLflow), and its
      // (run_id, key, step, timestamp) prefix serves the history query in order.
      await s
        .createIndex('metrics_point')
        .on('metrics')
        .columns(['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan'])
        .unique()
        .execute();

      await s
        .createTable('latest_metrics')
        .addColumn('run_id', 'text', (c) => c.notNull().references('tracking_runs.run_id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('timestamp', 'bigint', (c) => c.notNull())
        .addColumn('step', 'bigint', (c) => c.notNull())
        .addColumn('is_nan', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('latest_metrics_pk', ['run_id', 'key'])
        .execute();

      await s
        .createTable('run_inputs')
        .addColumn('run_id', 'text', (c) => c.notNull().references('tracking_runs.run_id').onDelete('cascade'))
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('context', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_inputs_pk', ['run_id', 'dataset_id', 'context'])
        .execute();
      await s.createIndex('run_inputs_dataset').on('run_inputs').column('dataset_id').execute();

      await s
        .createTable('run_artifacts')
        .addColumn('run_id', 'text', (c) => c.notNull().references('tracking_runs.run_id').onDelete('cascade'))
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_artifacts_pk', ['run_id', 'path'])
        .execute();

      await s
        .createTable('registered_models')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'bigint', (c) => c.notNull())
        .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
        .execute();

      await s
        .createTable('model_versions')
        .addColumn('name', 'text', (c) => c.notNull().references('registered_models.name'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('creation_time', 'bigint', (c) => c.notNull())
        .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
        .addColumn('pipeline_run_id', 'text')
        .addColumn('code_hash', 'text')
        .addColumn('datasets', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .addColumn('gates', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
        .execute();
      await s.createIndex('model_versions_run').on('model_versions').column('run_id').execute();

      await s
        .createTable('model_aliases')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_aliases_pk', ['name', 'alias'])
        .addForeignKeyConstraint('model_aliases_version_fk', ['name', 'version'], 'model_versions', ['name', 'version'])
        .execute();

      await s
        .createTable('model_version_tags')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_version_tags_pk', ['name', 'version', 'key'])
        .addForeignKeyConstraint('model_version_tags_version_fk', ['name', 'version'], 'model_versions', ['name', 'version'])
        .execute();

      // Append-only history; no foreign key, so it outlives what it describes.
      await s
        .createTable('registry_events')
        .$call(withId)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('registry_events_name').on('registry_events').columns(['name', 'id']).execute();

      await s
        .createTable('gate_results')
        .$call(withId)
        .addColumn('pipeline_run_id', 'text', (c) => c.notNull())
        .addColumn('gate', 'text', (c) => c.notNull())
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await s.createIndex('gate_results_subject').on('gate_results').columns(['subject_kind', 'subject_id']).execute();
      await s.createIndex('gate_results_pipeline_run').on('gate_results').column('pipeline_run_id').execute();
    },
  };
}
