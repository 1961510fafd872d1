/**
 * The metadata store seam. Parts (pipeline, tracking, registry, ...) own their queries and run
 * them through `store.db`, a Kysely instance; the dialect underneath is SQLite (embedded default)
 * or PostgreSQL (teams). Nothing above this file knows which.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: StoreDialect;
  /** Where the store lives, with any password removed (for messages). */
  readonly location: string;
  readonly db: Kysely<Database>;
  /** Runs fn in one transaction; everything it writes lands together or not at all. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Either the store or an open transaction: query functions accept both. */
export type Db = Kysely<Database> | Transaction<Database>;
