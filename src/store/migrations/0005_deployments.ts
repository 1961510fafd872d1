/**
 * Deployment revisions: every change of what an environment serves (model versions, strategy,
 * traffic split), who made it, when, why, and how it ended (applied, failed, rolled back).
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';
import { idColumn } from './_id-column.js';

export function deployments(dialect: StoreDialect): Migration {
  const withId = idColumn(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable('deployment_revisions'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('strategy', 'text', (c) => c.notNull())
        .addColumn('traffic', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('deployment_revisions_env').on('deployment_revisions').columns(['environment', 'id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('deployment_revisions').execute();
    },
  };
}
