import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreBackends } from '../../test/helpers/backends.js';
import type { SluiceError } from '../errors.js';
import { openStore, type Store } from '../store/index.js';
import { createRun, getOrCreateExperiment } from '../tracking/index.js';
import {
  deleteAlias,
  deleteModelVersionTag,
  findModelVersionByRun,
  getModelVersion,
  getModelVersionTags,
  listModelVersions,
  listRegisteredModels,
  parseModelRef,
  registerModelVersion,
  registryHistory,
  setAlias,
  setModelVersionTag,
  type RegisterModelVersionInput,
} from './index.js';

describe('parseModelRef', () => {
  it('reads name, name@version and name@alias; a bare name means latest', () => {
    expect(parseModelRef('income')).toEqual({ name: 'income', versionOrAlias: 'latest' });
    expect(parseModelRef('income@3')).toEqual({ name: 'income', versionOrAlias: 3 });
    expect(parseModelRef('income@champion')).toEqual({ name: 'income', versionOrAlias: 'champion' });
    expect(parseModelRef('models:/income/7')).toEqual({ name: 'income', versionOrAlias: 7 });
    expect(parseModelRef('models:/income@staging')).toEqual({ name: 'income', versionOrAlias: 'staging' });
  });

  it('refuses malformed references with a hint showing the forms', () => {
    for (const ref of ['', '@3', 'income@', 'income@a@b', 'in come', 'income@x y']) {
      expect(() => parseModelRef(ref), ref).toThrow(expect.objectContaining({ code: 'USAGE', hint: expect.stringContaining('income@champion') }));
    }
  });
});

describeStoreBackends('registry', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
  const input = (name: string, over: Partial<RegisterModelVersionInput> = {}): RegisterModelVersionInput => ({
    name,
    runId: null,
    source: 'sha256:model',
    pipelineRunId: 'pr-1',
    codeHash: 'code-1',
    datasets: { train: 'ds-a', test: 'ds-b' },
    params: { depth: 6 },
    metrics: { auc: 0.91 },
    gates: [{ gate: 'accuracy', status: 'pass' }],
    actor: 'ci',
    reason: 'nightly',
    ...over,
  });
  const error = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as SluiceError);

  it('registers versions 1, 2, … with their lineage, and finds them by number, alias or latest', async () => {
    const name = unique('income');
    const experiment = await getOrCreateExperiment(store.db, unique('exp'));
    const run = await createRun(store.db, { experimentId: experiment.experimentId, runName: 'train' });
    expect(await registerModelVersion(store, input(name, { runId: run.runId }))).toEqual({ name, version: 1 });
    expect(await registerModelVersion(store, input(name, { source: 'sha256:second' }))).toEqual({ name, version: 2 });

    const v1 = await getModelVersion(store.db, name, 1);
    expect(v1).toMatchObject({
      name,
      version: 1,
      runId: run.runId,
      source: 'sha256:model',
      status: 'READY',
      pipelineRunId: 'pr-1',
      codeHash: 'code-1',
      datasets: { train: 'ds-a', test: 'ds-b' },
      params: { depth: 6 },
      metrics: { auc: 0.91 },
      gates: [{ gate: 'accuracy', status: 'pass' }],
      aliases: [],
      tags: {},
    });
    expect((await getModelVersion(store.db, name, '2')).source).toBe('sha256:second');
    expect((await getModelVersion(store.db, name, 'latest')).version).toBe(2);
    expect((await getModelVersion(store.db, name, 'LATEST')).version).toBe(2);
    await setAlias(store.db, { name, alias: 'champion', version: 1, actor: 'ada', reason: 'best auc' });
    expect((await getModelVersion(store.db, name, 'champion')).version).toBe(1);
    expect((await findModelVersionByRun(store.db, name, run.runId))?.version).toBe(1);
    expect(await findModelVersionByRun(store.db, name, 'f'.repeat(32))).toBeUndefined();
  });

  it('numbers 20 concurrent registrations 1..20 without gaps or duplicates', async () => {
    const name = unique('concurrent');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => registerModelVersion(store, input(name, { source: `sha256:${i}` }))));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const history = await registryHistory(store.db, name);
    expect(history.filter((e) => e.action === 'register')).toHaveLength(20);
  });

  // On SQLite one store is one connection; these are four, as four processes would have.
  // (On PostgreSQL the test above already runs on several pooled connections.)
  it.runIf(backend.name === 'sqlite')('numbers concurrent registrations through four SQLite connections without gaps', async () => {
    const name = unique('multi');
    const others = await Promise.all([1, 2, 3].map(() => openStore({ url: store.location, workspace: '.' })));
    try {
      const results = await Promise.all(
        [store, ...others].flatMap((s) => Array.from({ length: 5 }, () => registerModelVersion(s, input(name)))),
      );
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });

  it('refuses a version from an unknown run, and leaves no trace of it', async () => {
    const name = unique('orphan');
    const e = await error(registerModelVersion(store, input(name, { runId: 'f'.repeat(32) })));
    expect(e).toMatchObject({ code: 'NOT_FOUND' });
    expect((await listRegisteredModels(store.db)).map((m) => m.name)).not.toContain(name);
  });

  it('says which models, versions and aliases exist when a lookup fails', async () => {
    const name = unique('lookup');
    await registerModelVersion(store, input(name));
    await registerModelVersion(store, input(name));
    await registerModelVersion(store, input(name));
    await setAlias(store.db, { name, alias: 'champion', version: 2, actor: 'ada' });

    const missingVersion = await error(getModelVersion(store.db, name, 9));
    expect(missingVersion).toMatchObject({ code: 'NOT_FOUND', details: { versions: [1, 2, 3], aliases: { champion: 2 } } });
    expect(missingVersion!.message).toContain(`'${name}'`);
    expect(missingVersion!.hint).toContain('versions 1-3');
    expect(missingVersion!.hint).toContain('champion -> 2');

    const missingAlias = await error(getModelVersion(store.db, name, 'production'));
    expect(missingAlias).toMatchObject({ code: 'NOT_FOUND' });
    expect(missingAlias!.message).toContain("'production'");

    const missingModel = await error(getModelVersion(store.db, 'no-such-model', 'latest'));
    expect(missingModel).toMatchObject({ code: 'NOT_FOUND' });
    expect(missingModel!.hint).toContain(name);
  });

  it('moves, deletes and validates aliases, recording who, when and why', async () => {
    const name = unique('alias');
    await registerModelVersion(store, input(name));
    await registerModelVersion(store, input(name));
    await setAlias(store.db, { name, alias: 'champion', version: 1, actor: 'ada', reason: 'first good model' });
    await setAlias(store.db, { name, alias: 'champion', version: 1, actor: 'ada', reason: 'again: no change' });
    await setAlias(store.db, { name, alias: 'champion', version: 2, actor: 'bob', reason: 'beats v1 on auc' });
    await setAlias(store.db, { name, alias: 'staging', version: 2, actor: 'bob' });
    await deleteAlias(store.db, { name, alias: 'staging', actor: 'bob', reason: 'cleanup' });

    expect((await getModelVersion(store.db, name, 2)).aliases).toEqual(['champion']);
    const events = (await registryHistory(store.db, name)).filter((e) => e.action === 'alias');
    expect(events.map((e) => [e.actor, e.reason, e.detail])).toEqual([
      ['ada', 'first good model', { alias: 'champion', from: null, to: 1 }],
      ['bob', 'beats v1 on auc', { alias: 'champion', from: 1, to: 2 }],
      ['bob', '', { alias: 'staging', from: null, to: 2 }],
      ['bob', 'cleanup', { alias: 'staging', from: 2, to: null }],
    ]);
    expect(events.every((e) => e.at > 0)).toBe(true);

    await expect(deleteAlias(store.db, { name, alias: 'staging', actor: 'bob' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(setAlias(store.db, { name, alias: 'canary', version: 7, actor: 'bob' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const alias of ['latest', 'v2', '3', 'has space', '']) {
      await expect(setAlias(store.db, { name, alias, version: 1, actor: 'bob' }), alias).rejects.toMatchObject({ code: 'USAGE' });
    }
    await expect(setAlias(store.db, { name: 'no-such-model', alias: 'champion', version: 1, actor: 'bob' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(setAlias(store.db, { name, alias: 'prod', version: 1, actor: '' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('sets, changes and deletes version tags, with history', async () => {
    const name = unique('tags');
    await registerModelVersion(store, input(name));
    await setModelVersionTag(store.db, { name, version: 1, key: 'tested', value: 'true', actor: 'ci', reason: 'suite green' });
    await setModelVersionTag(store.db, { name, version: 1, key: 'blessed', value: 'no', actor: 'ada' });
    await setModelVersionTag(store.db, { name, version: 1, key: 'blessed', value: 'yes', actor: 'ada', reason: 'reviewed' });
    await deleteModelVersionTag(store.db, { name, version: 1, key: 'tested', actor: 'ci', reason: 'flaky' });

    expect(await getModelVersionTags(store.db, name, 1)).toEqual({ blessed: 'yes' });
    expect((await getModelVersion(store.db, name, 1)).tags).toEqual({ blessed: 'yes' });
    const events = (await registryHistory(store.db, name)).filter((e) => e.action !== 'register');
    expect(events.map((e) => [e.action, e.actor, e.reason, e.detail])).toEqual([
      ['tag', 'ci', 'suite green', { key: 'tested', value: 'true', previous: null }],
      ['tag', 'ada', '', { key: 'blessed', value: 'no', previous: null }],
      ['tag', 'ada', 'reviewed', { key: 'blessed', value: 'yes', previous: 'no' }],
      ['untag', 'ci', 'flaky', { key: 'tested', previous: 'true' }],
    ]);
    await expect(deleteModelVersionTag(store.db, { name, version: 1, key: 'tested', actor: 'ci' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getModelVersionTags(store.db, name, 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists models with latest version and aliases, and versions newest first', async () => {
    const name = unique('list');
    await registerModelVersion(store, input(name));
    await registerModelVersion(store, input(name));
    await setAlias(store.db, { name, alias: 'champion', version: 1, actor: 'ada' });
    await setModelVersionTag(store.db, { name, version: 2, key: 'tested', value: 'true', actor: 'ci' });

    const model = (await listRegisteredModels(store.db)).find((m) => m.name === name);
    expect(model).toMatchObject({ name, latestVersion: 2, aliases: { champion: 1 } });
    const versions = await listModelVersions(store.db, name);
    expect(versions.map((v) => [v.version, v.aliases, v.tags])).toEqual([
      [2, [], { tested: 'true' }],
      [1, ['champion'], {}],
    ]);
    await expect(listModelVersions(store.db, 'no-such-model')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the history in order: registrations, alias moves and tags of one model', async () => {
    const name = unique('history');
    await registerModelVersion(store, input(name, { actor: 'ci', reason: 'train' }));
    await setAlias(store.db, { name, alias: 'champion', version: 1, actor: 'ada', reason: 'ship it' });
    await setModelVersionTag(store.db, { name, version: 1, key: 'tested', value: 'true', actor: 'ci' });
    const history = await registryHistory(store.db, name);
    expect(history.map((e) => [e.action, e.version, e.actor])).toEqual([
      ['register', 1, 'ci'],
      ['alias', 1, 'ada'],
      ['tag', 1, 'ci'],
    ]);
    expect(history[0].detail).toEqual({ runId: null, source: 'sha256:model', pipelineRunId: 'pr-1' });
    expect(history.map((e) => e.id)).toEqual([...history.map((e) => e.id)].sort((a, b) => a - b));
  });

  it('registers inside a caller transaction: committed with it, or rolled back with it', async () => {
    const name = unique('in-trx');
    await expect(
      store.transaction(async (trx) => {
        await registerModelVersion(trx, input(name));
        throw new Error('finalize failed');
      }),
    ).rejects.toThrow('finalize failed');
    expect((await listRegisteredModels(store.db)).map((m) => m.name)).not.toContain(name);
    const registered = await store.transaction((trx) => registerModelVersion(trx, input(name)));
    expect(registered).toEqual({ name, version: 1 });
    expect((await registerModelVersion(store.db, input(name))).version).toBe(2);
  });

  it('undoes an alias move and its history line together when the caller transaction fails', async () => {
    const name = unique('atomic');
    await registerModelVersion(store, input(name));
    await expect(
      store.transaction(async (trx) => {
        await setAlias(trx, { name, alias: 'production', version: 1, actor: 'deploy' });
        throw new Error('smoke test failed');
      }),
    ).rejects.toThrow('smoke test failed');
    expect((await getModelVersion(store.db, name, 1)).aliases).toEqual([]);
    expect((await registryHistory(store.db, name)).map((e) => e.action)).toEqual(['register']);
  });
});
