/**
 * Dataset versions are content-addressed, so one version can carry several names (a source
 * whose validation changed nothing has the same content as its raw copy; two projects can read
 * the same file). Each name given to a version is a row here.
 */
import type { Kysely, Migration } from 'kysely';

export const datasetNames: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('dataset_names')
      .addColumn('project', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('pipeline_run_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      // What the step that gave this name checked and where it came from (the version's own
      // columns hold the first name's).
      .addColumn('validation', 'text')
      .addColumn('lineage', 'text')
      .addPrimaryKeyConstraint('dataset_names_pk', ['project', 'name', 'dataset_id'])
      .execute();
    await db.schema.createIndex('dataset_names_by_id').on('dataset_names').column('dataset_id').execute();
    // Every version so far had exactly one name.
    await db
      .insertInto('dataset_names')
      .columns(['project', 'name', 'dataset_id', 'pipeline_run_id', 'created_at', 'validation', 'lineage'])
      .expression(db.selectFrom('dataset_versions').select(['project', 'name', 'id', 'pipeline_run_id', 'created_at', 'validation', 'lineage']))
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('dataset_names').execute();
  },
};
