/**
 * Brings a store's schema up to date, once, however many processes open it at the same time:
 * Kysely's Migrator runs the pending migrations in one transaction under a lock (PostgreSQL:
 * an advisory lock; SQLite: the IMMEDIATE transaction of sqlite.ts) and re-reads what is done
 * inside it, and it tolerates racing creators of its own bookkeeping tables.
 */
import { Migrator, type Kysely } from 'kysely';
import type { StoreDialect } from './store.js';
import { migrations } from './migrations/index.js';

export async function migrateToLatest(db: Kysely<any>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    migrationTableName: 'sluice_migration',
    migrationLockTableName: 'sluice_migration_lock',
    // Parts add migrations side by side; a store that ran a later-numbered one first must still
    // take one that sorts before it. Each migration only adds, so order between them is free.
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
