/**
 * CI records: the git branch, commit and pull request a pipeline run was made for (so "the last
 * run on the main branch" is a query) with the figures its report compared, and the results of
 * the project's own checks (`sluice check`), attached to the pipeline run whose report shows them.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { idColumn } from './_id-column.js';

export function ciRecords(dialect: StoreDialect): Migration {
  const withId = idColumn(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ci_runs')
        .addColumn('pipeline_run_id', 'text', (c) => c.primaryKey())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('branch', 'text')
        .addColumn('commit_sha', 'text')
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('pull_request', 'text')
        .addColumn('sampled', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('figures', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ci_runs_branch').on('ci_runs').columns(['project', 'branch', 'created_at']).execute();
      await withId(db.schema.createTable('check_results'))
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('pipeline_run_id', 'text')
        .addColumn('branch', 'text')
        .addColumn('commit_sha', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('exit_code', 'integer')
        .addColumn('duration_ms', 'bigint', (c) => c.notNull())
        .addColumn('output_tail', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_results_run').on('check_results').columns(['pipeline_run_id']).execute();
      await db.schema.createIndex('check_results_commit').on('check_results').columns(['project', 'commit_sha']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('check_results').execute();
      await db.schema.dropTable('ci_runs').execute();
    },
  };
}
