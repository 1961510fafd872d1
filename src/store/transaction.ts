import type { Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { Db } from './store.js';

/**
 * Runs fn in a transaction: `db`'s own when it already is one, else a new one. Lets query
 * functions that write several rows take either the store's Kysely or a caller's transaction.
 * Inside fn use only `trx`: on SQLite the store has one connection, and a query through the
 * outer Kysely would wait for the transaction that is waiting for it.
 */
export function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
