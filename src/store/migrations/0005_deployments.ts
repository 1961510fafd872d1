/**
 * Deployment revisions: every change of what an environment serves (model versions, strategy,
 * traffic split), who made it, when, why, and how it ended (applied, failed, rolled back).
 */
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../store.js';

export function deployments(dialect: StoreDialect): Migration {
  const withId = <T extends string>(t: CreateTableBuilder<T, never>) =>
    dialect === 'postgres'
      ? t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn('id', 'integer', (c) => c.primaryKey());
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
