import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSluiceError, SluiceError } from '../errors.js';
import { describeStoreBackends, storeBackends } from '../../test/helpers/backends.js';
import { runTsChild } from '../../test/helpers/child.js';
import { inTransaction, openStore, type Store } from './index.js';
import { migrations } from './migrations/index.js';

const MIGRATIONS = Object.keys(migrations('sqlite')).length;

const TABLES = [
  'dataset_versions', 'experiment_tags', 'experiments', 'gate_results', 'latest_metrics', 'metrics', 'model_aliases',
  'model_version_tags', 'model_versions', 'params', 'pipeline_runs', 'registered_models', 'registry_events',
  'run_artifacts', 'run_inputs', 'run_tags', 'step_cache', 'step_runs', 'tracking_runs',
];

const registerChild = fileURLToPath(new URL('../../test/helpers/register-child.ts', import.meta.url));

async function migrationCount(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from sluice_migration`.execute(store.db);
  return rows[0].n;
}

async function caught(promise: Promise<unknown>): Promise<SluiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSluiceError(error)) throw new Error(`expected a SluiceError, got ${String(error)}`);
  return error;
}

/** Everything a user could see of an error, to check a secret appears nowhere in it. */
function visible(e: SluiceError): string {
  return [e.message, e.hint, e.where, e.stack, JSON.stringify(e.toJSON()), String((e.cause as Error | undefined)?.message)].join('\n');
}

describeStoreBackends('metadata store', (backend) => {
  it('creates every table, and reopening runs no migration twice', async () => {
    const target = await backend.provision();
    try {
      const first = await openStore(target);
      const tables = (await first.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(TABLES));
      expect(await migrationCount(first)).toBe(MIGRATIONS);
      await first.close();

      const second = await openStore(target);
      expect(await migrationCount(second)).toBe(MIGRATIONS);
      expect(second.dialect).toBe(backend.name);
      await second.close();
    } finally {
      await target.dispose();
    }
  });

  it('lets five stores open one fresh location at the same moment', async () => {
    const target = await backend.provision();
    try {
      const stores = await Promise.all(Array.from({ length: 5 }, () => openStore(target)));
      expect(await migrationCount(stores[0])).toBe(MIGRATIONS);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await target.dispose();
    }
  });

  it('lets three processes open one fresh store and register versions at once: 1..30, no gaps', async () => {
    const target = await backend.provision();
    try {
      // Each child needs about a second to start; they register from the same moment.
      const startAt = String(Date.now() + 3000);
      const outputs = await Promise.all(
        [1, 2, 3].map(() => runTsChild(registerChild, [target.url, target.workspace, 'income', '10', startAt])),
      );
      const versions = outputs.flatMap((out) => JSON.parse(out) as number[]).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const store = await openStore(target);
      expect(await migrationCount(store)).toBe(MIGRATIONS);
      await store.close();
    } finally {
      await target.dispose();
    }
  });

  describe('with one store', () => {
    let store: Store;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('rolls a failed transaction back completely, including writes of nested inTransaction calls', async () => {
      const boom = new Error('boom');
      await expect(
        store.transaction(async (trx) => {
          await trx.insertInto('step_cache').values({ cache_key: 'k1', step_kind: 'train', outputs: '{}', tracking_run_id: null, created_at: 1 }).execute();
          await inTransaction(trx, (inner) =>
            inner.insertInto('step_cache').values({ cache_key: 'k2', step_kind: 'train', outputs: '{}', tracking_run_id: null, created_at: 1 }).execute(),
          );
          throw boom;
        }),
      ).rejects.toBe(boom);
      const rows = await store.db.selectFrom('step_cache').selectAll().execute();
      expect(rows).toEqual([]);
    });

    it('commits a transaction that succeeds', async () => {
      const value = await store.transaction(async (trx) => {
        await trx.insertInto('step_cache').values({ cache_key: 'ok', step_kind: 'train', outputs: '{}', tracking_run_id: null, created_at: 1 }).execute();
        return 42;
      });
      expect(value).toBe(42);
      expect(await store.db.selectFrom('step_cache').select('cache_key').where('cache_key', '=', 'ok').executeTakeFirst()).toEqual({ cache_key: 'ok' });
    });

    it('returns bigint columns and counts as numbers', async () => {
      const startedAt = 1_700_000_000_123;
      await store.db
        .insertInto('pipeline_runs')
        .values({ id: 'p1', project: 'demo', status: 'running', trigger: 'manual', started_at: startedAt, ended_at: null, host: 'h', pid: 1, error: null, config_hash: 'c' })
        .execute();
      const row = await store.db.selectFrom('pipeline_runs').select(['started_at', 'pid']).where('id', '=', 'p1').executeTakeFirstOrThrow();
      expect(row).toEqual({ started_at: startedAt, pid: 1 });
      const count = await store.db.selectFrom('pipeline_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    });

    it('names its location without a password', () => {
      expect(store.location).not.toMatch(/:[^/@]+@/);
    });
  });
});

describe('openStore: choosing and opening the store', () => {
  const saved = process.env.SLUICE_DATABASE_URL;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-open-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.SLUICE_DATABASE_URL;
    else process.env.SLUICE_DATABASE_URL = saved;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to <workspace>/sluice.db, creating the workspace', async () => {
    delete process.env.SLUICE_DATABASE_URL;
    const workspace = join(dir, 'new', 'workspace');
    const store = await openStore({ workspace });
    expect(store.dialect).toBe('sqlite');
    expect(store.location).toBe(join(workspace, 'sluice.db'));
    await store.close();
  });

  it('uses SLUICE_DATABASE_URL when no url is given, and an explicit url over it', async () => {
    process.env.SLUICE_DATABASE_URL = `sqlite:${join(dir, 'from-env.db')}`;
    const fromEnv = await openStore({ workspace: dir });
    expect(fromEnv.location).toBe(join(dir, 'from-env.db'));
    await fromEnv.close();
    const explicit = await openStore({ workspace: dir, url: join(dir, 'explicit.db') });
    expect(explicit.location).toBe(join(dir, 'explicit.db'));
    await explicit.close();
  });

  it('accepts sqlite:///absolute, sqlite:relative, file: URLs and :memory:', async () => {
    const urls = [`sqlite://${join(dir, 'a.db')}`, `file://${join(dir, 'b.db')}`, 'sqlite::memory:'];
    const locations = [];
    for (const url of urls) {
      const store = await openStore({ workspace: dir, url });
      locations.push(store.location);
      await store.close();
    }
    expect(locations).toEqual([join(dir, 'a.db'), join(dir, 'b.db'), ':memory:']);
    const relative = await openStore({ workspace: dir, url: 'sqlite:test-artifacts/store-relative.db' });
    expect(relative.location).toBe(join(process.cwd(), 'test-artifacts', 'store-relative.db'));
    await relative.close();
    for (const suffix of ['', '-wal', '-shm']) await rm(join(process.cwd(), 'test-artifacts', `store-relative.db${suffix}`), { force: true });
  });

  it('sets WAL, synchronous=NORMAL, a 10 s busy timeout and foreign keys on SQLite', async () => {
    const store = await openStore({ workspace: dir, url: join(dir, 'pragmas.db') });
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1); // NORMAL
    expect(await pragma('busy_timeout')).toBe(10_000);
    expect(await pragma('foreign_keys')).toBe(1);
    await store.close();
  });

  it('makes a second SQLite writer in the same process wait for the first, not fail', async () => {
    const url = join(dir, 'writers.db');
    const [a, b] = await Promise.all([openStore({ workspace: dir, url }), openStore({ workspace: dir, url })]);
    const order: string[] = [];
    const insert = (s: Store, key: string) =>
      s.transaction(async (trx) => {
        order.push(`${key} begin`);
        await trx.insertInto('step_cache').values({ cache_key: key, step_kind: 'x', outputs: '{}', tracking_run_id: null, created_at: 1 }).execute();
        await new Promise((resolve) => setTimeout(resolve, 200)); // hold the write lock across an await
        order.push(`${key} commit`);
      });
    await Promise.all([insert(a, 'a'), insert(b, 'b')]);
    expect(order).toEqual(['a begin', 'a commit', 'b begin', 'b commit']);
    expect(await a.db.selectFrom('step_cache').select('cache_key').orderBy('cache_key').execute()).toEqual([{ cache_key: 'a' }, { cache_key: 'b' }]);
    await Promise.all([a.close(), b.close()]);
  });

  it('reports an unsupported URL scheme without the password', async () => {
    const e = await caught(openStore({ workspace: dir, url: 'mysql://admin:hunter2@db.example.com/sluice' }));
    expect(e.code).toBe('STORE_ERROR');
    expect(e.message).toContain("'mysql:'");
    expect(e.hint).toContain('postgres://');
    expect(visible(e)).not.toContain('hunter2');
  });

  it('reports a file: URL on another host', async () => {
    const e = await caught(openStore({ workspace: dir, url: 'file://elsewhere/sluice.db' }));
    expect(e).toMatchObject({ code: 'STORE_ERROR', where: 'file://elsewhere/sluice.db' });
  });

  it('reports a malformed PostgreSQL URL without the password', async () => {
    const e = await caught(openStore({ workspace: dir, url: 'postgres://admin:hunter2@db.example.com:notaport/sluice' }));
    expect(e.code).toBe('STORE_ERROR');
    expect(e.message).toContain('not a valid URL');
    expect(visible(e)).not.toContain('hunter2');
  });

  it('reports an unreachable PostgreSQL server without the password', async () => {
    const e = await caught(openStore({ workspace: dir, url: 'postgresql://admin:hunter2@127.0.0.1:1/sluice' }));
    expect(e.code).toBe('STORE_ERROR');
    expect(e.message).toContain('Cannot connect to PostgreSQL');
    expect(e.where).toBe('postgresql://admin@127.0.0.1:1/sluice');
    expect(e.hint).toContain('server is running');
    expect(visible(e)).not.toContain('hunter2');
  });

  it('reports a SQLite location that cannot be created', async () => {
    const file = join(dir, 'plain-file');
    await writeFile(file, 'not a folder');
    const e = await caught(openStore({ workspace: dir, url: join(file, 'sub', 'sluice.db') }));
    expect(e.code).toBe('STORE_ERROR');
    expect(e.message).toContain('Cannot open the SQLite store');
    expect(e.where).toBe(join(file, 'sub', 'sluice.db'));
    expect(e.hint).toContain('writable');
  });

  it('reports a file that is not a SQLite database', async () => {
    const file = join(dir, 'not-a-db.db');
    await writeFile(file, 'x'.repeat(4096));
    const e = await caught(openStore({ workspace: dir, url: file }));
    expect(e.code).toBe('STORE_ERROR');
    expect(e.where).toBe(file);
  });
});

const postgres = storeBackends().find((b) => b.name === 'postgres')!;
describe.skipIf(postgres.skip !== undefined)('openStore on PostgreSQL: login errors', () => {
  it('reports a wrong password without either password', async () => {
    const target = await postgres.provision();
    const url = new URL(target.url);
    const real = url.password;
    url.password = 'wrong-hunter2';
    const e = await caught(openStore({ workspace: target.workspace, url: url.href })).finally(() => target.dispose());
    expect(e.code).toBe('STORE_ERROR');
    expect(e.message).toContain('refused the login');
    const text = visible(e);
    expect(text).not.toContain('wrong-hunter2');
    expect(text).not.toContain(real);
  });
});
