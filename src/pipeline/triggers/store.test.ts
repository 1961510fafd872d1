/**
 * The scheduler's records on both stores: the run lease (one holder at a time, expiry, renewal,
 * takeover from a dead process), compare-and-set state (one winner among racers), and trigger
 * events. Two connections race where two servers would.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/index.js';
import { describeStoreBackends, type StoreTarget } from '../../../test/helpers/backends.js';
import { listTriggerEvents, recordTriggerEvent, triggerEventOfRun, updateTriggerEvent } from './events.js';
import { acquireLease, newHolder, readLease, releaseLease, renewLease } from './lease.js';
import { compareAndSetState, readState } from './state.js';

describeStoreBackends('trigger records', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  /** Two connections to one fresh store, as two servers would have. */
  async function twoStores(): Promise<[Store, Store]> {
    const target: StoreTarget = await backend.provision();
    const a = await openStore({ url: target.url, workspace: target.workspace });
    const b = await openStore({ url: target.url, workspace: target.workspace });
    cleanup.push(async () => {
      await a.close();
      await b.close();
      await target.dispose();
    });
    return [a, b];
  }

  it('a lease has one holder until it is released or expires, and renewing keeps it', async () => {
    const [a, b] = await twoStores();
    const one = newHolder();
    const two = newHolder();
    expect(await acquireLease(a.db, 'run:p', one, 60_000)).toBe(true);
    expect(await acquireLease(b.db, 'run:p', two, 60_000)).toBe(false);
    expect(await acquireLease(a.db, 'run:p', one, 60_000)).toBe(true); // ours already
    expect(await renewLease(b.db, 'run:p', two, 60_000)).toBe(false);
    expect(await renewLease(a.db, 'run:p', one, 60_000)).toBe(true);
    await releaseLease(b.db, 'run:p', two); // not theirs: no effect
    expect((await readLease(a.db, 'run:p'))?.holder).toBe(one.id);
    await releaseLease(a.db, 'run:p', one);
    expect(await acquireLease(b.db, 'run:p', two, 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await acquireLease(a.db, 'run:p', one, 60_000)).toBe(true); // the 1 ms lease expired
    expect(await renewLease(b.db, 'run:p', two, 60_000)).toBe(false); // and is lost
  });

  it('a lease of a process that is gone, on this host, is taken over at once', async () => {
    const [a, b] = await twoStores();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const ghost = { ...newHolder(), pid: Number(dead.stdout), id: `ghost:${dead.stdout}` };
    expect(await acquireLease(a.db, 'run:p', ghost, 3_600_000)).toBe(true);
    expect(await acquireLease(b.db, 'run:p', newHolder(), 60_000)).toBe(true);
  });

  it('of many racers for a lease, exactly one wins', async () => {
    const [a, b] = await twoStores();
    const holders = Array.from({ length: 12 }, newHolder);
    const won = await Promise.all(holders.map((h, i) => acquireLease((i % 2 ? a : b).db, 'run:race', h, 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await readLease(a.db, 'run:race'))?.holder).toBe(holders[won.indexOf(true)].id);
  });

  it('compare-and-set: one racer creates a key, one racer moves it on from a value', async () => {
    const [a, b] = await twoStores();
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => compareAndSetState((i % 2 ? a : b).db, 'p', 'cron:x', undefined, { last: i })));
    expect(created.filter(Boolean)).toHaveLength(1);
    const seen = (await readState<{ last: number }>(a.db, 'p', 'cron:x'))!;
    expect(seen.value.last).toBe(created.indexOf(true));
    const moved = await Promise.all(Array.from({ length: 8 }, (_, i) => compareAndSetState((i % 2 ? a : b).db, 'p', 'cron:x', seen.raw, { last: 100 + i })));
    expect(moved.filter(Boolean)).toHaveLength(1);
    expect(await compareAndSetState(a.db, 'p', 'cron:x', seen.raw, { last: 0 })).toBe(false); // stale
    expect(await readState(b.db, 'other', 'cron:x')).toBeUndefined(); // per project
  });

  it('trigger events record the chain and are found by run and by alert event', async () => {
    const [a] = await twoStores();
    const id = await recordTriggerEvent(a.db, { project: 'p', kind: 'alert', cause: { rule: 'drift', event_id: 7 }, status: 'started', at: 1000 });
    await recordTriggerEvent(a.db, { project: 'p', kind: 'schedule', cause: { schedule: 'n' }, status: 'skipped', reason: 'busy', at: 2000, ended: true });
    await recordTriggerEvent(a.db, { project: 'q', kind: 'manual', cause: {}, status: 'started', at: 3000 });
    await updateTriggerEvent(a.db, id, { pipelineRunId: 'run-1', status: 'promoted', model: 'm', version: 2, environment: 'production', revisionId: 5, detail: { gates: [] }, endedAt: 1500 });
    const events = await listTriggerEvents(a.db, 'p');
    expect(events.map((e) => [e.kind, e.status, e.at, e.endedAt])).toEqual([
      ['schedule', 'skipped', 2000, 2000],
      ['alert', 'promoted', 1000, 1500],
    ]);
    expect(await triggerEventOfRun(a.db, 'run-1')).toMatchObject({ id, model: 'm', version: 2, environment: 'production', revisionId: 5, cause: { rule: 'drift', event_id: 7 } });
    expect((await listTriggerEvents(a.db, 'p', { alertEventId: 7 })).map((e) => e.id)).toEqual([id]);
    expect(await listTriggerEvents(a.db, 'p', { kind: 'manual' })).toEqual([]);
  });
});
