/**
 * PostgreSQL behind Kysely: a `pg` pool whose numbers come back as numbers, and connection
 * errors turned into SluiceErrors that name the server but never the password.
 */
import pg from 'pg';
import { PostgresDialect } from 'kysely';
import { SluiceError } from '../errors.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * `pg` returns int8 (bigint columns, count(*)) and numeric as strings, since they may exceed
 * 2^53. Ours are epoch milliseconds, steps, sizes and counts, far below that, and schema.ts
 * types them as number: parse them as numbers. Per pool, not pg.types, so that other users of
 * `pg` in the process keep their parsers.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function postgresDialect(url: string): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: 10,
    // An unreachable host otherwise hangs for the OS TCP timeout (minutes).
    connectionTimeoutMillis: 10_000,
    application_name: 'sluice',
  });
  // An idle pooled connection that the server drops emits 'error' on the pool, and an
  // unhandled 'error' event would kill the process. The pool discards that connection and the
  // next query opens a new one (or fails with its own error), so nothing is lost by ignoring it.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}

/** A SluiceError for a failure to reach or use the server at `location` (password-free). */
export function postgresError(e: unknown, location: string): SluiceError {
  const err = e as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  const code = err?.code ?? err?.errors?.[0]?.code;
  const where = location;
  const hint = 'Check SLUICE_DATABASE_URL (postgres://user:password@host:port/database) and that the server is running.';
  switch (code) {
    case 'ECONNREFUSED':
      return new SluiceError('STORE_ERROR', 'Cannot connect to PostgreSQL: connection refused', { where, hint, details: { code } });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SluiceError('STORE_ERROR', 'Cannot connect to PostgreSQL: unknown host', { where, hint, details: { code } });
    case '28P01':
    case '28000':
      return new SluiceError('STORE_ERROR', 'PostgreSQL refused the login (wrong user or password, or no pg_hba.conf entry)', {
        where,
        hint: 'Check the user and password in SLUICE_DATABASE_URL.',
        details: { code },
      });
    case '3D000':
      return new SluiceError('STORE_ERROR', 'The PostgreSQL database does not exist', {
        where,
        hint: 'Create it first (createdb <name>), or point SLUICE_DATABASE_URL at an existing database.',
        details: { code },
      });
    case '42501':
      return new SluiceError('STORE_ERROR', 'The PostgreSQL user may not create the tables Sluice needs', {
        where,
        hint: 'Grant the user CREATE on the database (or its schema), or let its owner run Sluice once.',
        details: { code },
      });
  }
  if (/timeout/i.test(err?.message ?? '')) {
    return new SluiceError('STORE_ERROR', 'Cannot connect to PostgreSQL: timed out after 10 s', { where, hint, details: { code: 'TIMEOUT' } });
  }
  // Server-side errors carry no credentials; a client-side one might quote the URL, so it is
  // reported by code only.
  const serverError = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  return new SluiceError('STORE_ERROR', `PostgreSQL error${serverError ? `: ${err.message}` : ''}`, {
    where,
    hint,
    details: { code: code ?? 'unknown' },
  });
}
