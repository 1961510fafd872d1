/**
 * Opens the metadata store named by a URL: PostgreSQL for postgres:// URLs, else a SQLite
 * file (by default `<workspace>/sluice.db`), migrated to the latest schema.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, type Dialect } from 'kysely';
import { SluiceError, isSluiceError } from '../errors.js';
import { migrateToLatest } from './migrate.js';
import { postgresDialect, postgresError } from './postgres.js';
import type { Database } from './schema.js';
import { SluiceSqliteDialect, openSqliteFile } from './sqlite.js';
import type { Store, StoreDialect } from './store.js';

export interface OpenStoreOptions {
  /** postgres://…, postgresql://…, sqlite:<path>, file:<url> or a path; default env SLUICE_DATABASE_URL. */
  url?: string;
  /** The project's workspace folder; the SQLite default lives here. */
  workspace: string;
}

type Target = { dialect: 'postgres'; url: string; location: string } | { dialect: 'sqlite'; file: string; location: string };

const URL_HINT = 'Use postgres://user:password@host:port/database, sqlite:<path>, or a file path.';

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const target = resolveTarget(options);
  const db = new Kysely<Database>({ dialect: createDialect(target) });
  try {
    await migrateToLatest(db, target.dialect);
  } catch (e) {
    await db.destroy().catch(() => {});
    throw openError(e, target);
  }
  return makeStore(target.dialect, target.location, db);
}

function makeStore(dialect: StoreDialect, location: string, db: Kysely<Database>): Store {
  let closing: Promise<void> | undefined;
  return {
    dialect,
    location,
    db,
    transaction: (fn) => db.transaction().execute(fn),
    close: () => (closing ??= db.destroy()),
  };
}

function resolveTarget(options: OpenStoreOptions): Target {
  const url = options.url || process.env.SLUICE_DATABASE_URL || undefined;
  if (url === undefined) {
    const file = resolve(options.workspace, 'sluice.db');
    return { dialect: 'sqlite', file, location: file };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // Not the URL itself nor the parser's error (whose `input` holds it): either may hold a password.
      throw new SluiceError('STORE_ERROR', 'The PostgreSQL URL is not a valid URL', { where: redactUrl(url), hint: URL_HINT });
    }
    return { dialect: 'postgres', url, location: withoutPassword(parsed) };
  }
  if (url === ':memory:' || url === 'sqlite::memory:') return { dialect: 'sqlite', file: ':memory:', location: ':memory:' };
  let file: string;
  if (/^sqlite:/i.test(url)) {
    // sqlite:path, sqlite://relative/path, sqlite:///absolute/path
    file = url.slice('sqlite:'.length).replace(/^\/\//, '');
  } else if (/^file:/i.test(url)) {
    try {
      file = fileURLToPath(url);
    } catch {
      throw new SluiceError('STORE_ERROR', 'The file: URL does not name a local file', { where: url, hint: URL_HINT });
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new SluiceError('STORE_ERROR', `Unsupported database URL scheme '${url.split(':')[0]}:'`, { where: redactUrl(url), hint: URL_HINT });
  } else {
    file = url;
  }
  if (file === '') throw new SluiceError('STORE_ERROR', 'The SQLite URL names no file', { where: url, hint: URL_HINT });
  file = resolve(file);
  return { dialect: 'sqlite', file, location: file };
}

function createDialect(target: Target): Dialect {
  if (target.dialect === 'postgres') return postgresDialect(target.url);
  try {
    return new SluiceSqliteDialect(openSqliteFile(target.file), target.location);
  } catch (e) {
    throw openError(e, target);
  }
}

function openError(e: unknown, target: Target): SluiceError {
  if (isSluiceError(e)) return e;
  if (target.dialect === 'postgres') return postgresError(e, target.location);
  const reason = e instanceof Error ? e.message : String(e);
  return new SluiceError('STORE_ERROR', `Cannot open the SQLite store: ${reason}`, {
    where: target.location,
    hint: 'Check that the folder exists or can be created and that the file is writable, or set SLUICE_DATABASE_URL to another location.',
    cause: e,
  });
}

function withoutPassword(url: URL): string {
  const copy = new URL(url.href);
  copy.password = '';
  copy.searchParams.delete('password');
  return copy.href;
}

/** For a string that did not parse as a URL: drop everything from "//user:" to the last "@". */
function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/i, '$1@');
}
