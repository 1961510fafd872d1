/**
 * What Sluice last fetched from each URL source: its ETag, Last-Modified and the digest of the
 * content, so an unchanged remote is asked with a conditional request and not fetched again.
 */
import type { Kysely, Migration } from 'kysely';

export const sourceStates: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('source_states')
      .addColumn('uri', 'text', (c) => c.primaryKey())
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('fetched_at', 'bigint', (c) => c.notNull())
      .addColumn('checked_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('source_states').execute();
  },
};
