/**
 * SQLite behind Kysely, set up for several processes sharing one file (a pipeline run and the
 * CLI, or two pipeline runs): WAL, a busy timeout, and write transactions that take the
 * write lock when they begin. Open one store per process: a single write outside a
 * transaction waits synchronously (busy timeout), so two stores on one file in one process
 * could stall each other; transactions wait asynchronously and are safe either way.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { SluiceError } from '../errors.js';

const BUSY_TIMEOUT_MS = 10_000;
/** How long a transaction waits for another process's write transaction before giving up. */
const BEGIN_DEADLINE_MS = 60_000;

/** Opens the file (creating it and its folder) with the pragmas every connection needs. */
export function openSqliteFile(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // First, so that the pragmas below wait for another process opening the file.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    database: Database.Database,
    private readonly location: string,
  ) {
    super({ database });
  }

  /**
   * BEGIN IMMEDIATE instead of Kysely's deferred BEGIN: a deferred transaction takes the write
   * lock at its first write, and if another process committed since its first read SQLite
   * fails at once with SQLITE_BUSY, which no busy timeout can cure. While waiting for the
   * lock the busy timeout is off and we retry asynchronously, because better-sqlite3 waits
   * synchronously: a 10 s wait would freeze this process's event loop, including a
   * connection in it that holds the lock and needs the loop to commit.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const run = (text: string) => connection.executeQuery(CompiledQuery.raw(text));
    await run('pragma busy_timeout = 0');
    try {
      const deadline = Date.now() + BEGIN_DEADLINE_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          await run('begin immediate');
          return;
        } catch (e) {
          if (!isSqliteBusy(e)) throw e;
          if (Date.now() > deadline) {
            throw new SluiceError('STORE_ERROR', `The SQLite database stayed locked by another writer for ${BEGIN_DEADLINE_MS / 1000} s`, {
              where: this.location,
              hint: 'Another Sluice process holds a long write transaction; retry when it ends, or use PostgreSQL (SLUICE_DATABASE_URL) for many concurrent writers.',
              cause: e,
            });
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 100) * (0.5 + Math.random())));
        }
      }
    } finally {
      await run(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }
}

/**
 * SQLite's DDL is transactional. Saying so makes Kysely's Migrator run migrations inside a
 * transaction (an IMMEDIATE one, above), which is what serialises two processes migrating one
 * file: SqliteAdapter's migration lock is a no-op that assumes a single connection.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class SluiceSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: Database.Database,
    private readonly location: string,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.database, this.location);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
