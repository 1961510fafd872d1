/**
 * The metadata store backends every store contract test runs against: SQLite in a fresh temp
 * folder, and PostgreSQL in a fresh database (CREATE DATABASE sluice_t_<random>, dropped on
 * close) when SLUICE_TEST_POSTGRES_URL is set (scripts/ci/postgres.sh prints it).
 * Without that variable PostgreSQL tests are skipped with a note, except in CI (env CI set),
 * where they fail: CI must prove both backends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

/** A fresh, empty place for a store; dispose() deletes it. */
export interface StoreTarget {
  url: string;
  workspace: string;
  dispose(): Promise<void>;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** Why this backend's tests are skipped, when they are. */
  skip?: string;
  /** A fresh location, for tests that open it themselves (several times, or from another process). */
  provision(): Promise<StoreTarget>;
  /** A fresh store, opened; its close() also deletes it. */
  open(): Promise<Store>;
}

const PG_MISSING = 'SLUICE_TEST_POSTGRES_URL is not set; run `export "$(scripts/ci/postgres.sh)"` (as root) to start PostgreSQL';
let noted = false;

export function storeBackends(): StoreBackend[] {
  const pgUrl = process.env.SLUICE_TEST_POSTGRES_URL;
  let postgres: StoreBackend;
  if (pgUrl) {
    postgres = backend('postgres', () => provisionPostgres(pgUrl));
  } else if (process.env.CI) {
    postgres = backend('postgres', async () => {
      throw new Error(`PostgreSQL is required in CI: ${PG_MISSING}`);
    });
  } else {
    postgres = { ...backend('postgres', async () => Promise.reject(new Error(PG_MISSING))), skip: PG_MISSING };
    if (!noted) console.warn(`\n[store tests] PostgreSQL tests skipped: ${PG_MISSING}.\n`);
    noted = true;
  }
  return [backend('sqlite', provisionSqlite), postgres];
}

/** describe() once per backend, titled "<title> [sqlite]" etc.; skipped backends say why. */
export function describeStoreBackends(title: string, body: (backend: StoreBackend) => void): void {
  for (const b of storeBackends()) {
    describe.skipIf(b.skip !== undefined)(`${title} [${b.name}]${b.skip ? ` (skipped: ${b.skip})` : ''}`, () => body(b));
  }
}

function backend(name: StoreBackend['name'], provision: () => Promise<StoreTarget>): StoreBackend {
  return {
    name,
    provision,
    async open() {
      const target = await provision();
      try {
        const store = await openStore({ url: target.url, workspace: target.workspace });
        return {
          dialect: store.dialect,
          location: store.location,
          db: store.db,
          transaction: store.transaction,
          close: async () => {
            await store.close();
            await target.dispose();
          },
        };
      } catch (e) {
        await target.dispose();
        throw e;
      }
    },
  };
}

async function provisionSqlite(): Promise<StoreTarget> {
  const workspace = await mkdtemp(join(tmpdir(), 'sluice-store-'));
  return { url: join(workspace, 'sluice.db'), workspace, dispose: () => rm(workspace, { recursive: true, force: true }) };
}

async function provisionPostgres(adminUrl: string): Promise<StoreTarget> {
  const database = `sluice_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const workspace = await mkdtemp(join(tmpdir(), 'sluice-store-'));
  return {
    url: url.href,
    workspace,
    async dispose() {
      // FORCE: a test that failed midway may leave connections open.
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
