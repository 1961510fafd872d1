/**
 * Triggers: why each pipeline run started (its cause, next to `pipeline_runs.trigger`), what the
 * scheduler has seen (last cron fire, source fingerprints, monitor runs), the lease that lets one
 * server at a time start a project's run, and every trigger event with what it led to (pipeline
 * run → model version → deployment revision).
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { idColumn } from './_id-column.js';

export function triggers(dialect: StoreDialect): Migration {
  const withId = idColumn(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('pipeline_runs').addColumn('trigger_cause', 'text').execute();
      await db.schema
        .createTable('scheduler_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('acquired_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('trigger_state')
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('trigger_state_pk', ['project', 'key'])
        .execute();
      await withId(db.schema.createTable('trigger_events'))
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('pipeline_run_id', 'text')
        .addColumn('model', 'text')
        .addColumn('version', 'integer')
        .addColumn('environment', 'text')
        .addColumn('revision_id', 'integer')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .execute();
      await db.schema.createIndex('trigger_events_project').on('trigger_events').columns(['project', 'id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('trigger_events').execute();
      await db.schema.dropTable('trigger_state').execute();
      await db.schema.dropTable('scheduler_leases').execute();
      await db.schema.alterTable('pipeline_runs').dropColumn('trigger_cause').execute();
    },
  };
}
