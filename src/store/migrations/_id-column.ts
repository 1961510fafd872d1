import type { CreateTableBuilder } from 'kysely';
import type { StoreDialect } from '../store.js';

/**
 * Adds an auto-numbered `id` primary key: SQLite's INTEGER PRIMARY KEY is the rowid; PostgreSQL
 * needs an identity column. Every migration that numbers its rows uses this one definition.
 */
export function idColumn(dialect: StoreDialect) {
  return <T extends string>(t: CreateTableBuilder<T, never>) =>
    dialect === 'postgres'
      ? t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn('id', 'integer', (c) => c.primaryKey());
}
