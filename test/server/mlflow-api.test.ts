import { afterAll, beforeAll, expect, it } from 'vitest';
import type { z } from 'zod';
import { registerModelVersion } from '../../src/registry/index.js';
import * as s from '../../src/server/mlflow/schemas.js';
import { createRun, getOrCreateExperiment } from '../../src/tracking/index.js';
import { describeStoreBackends } from '../helpers/backends.js';
import { call, mlflow, startTestServer, type TestServer } from './_server.js';

describeStoreBackends('MLflow REST API', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}-${Date.now() % 100000}`;
  /** A successful call whose body matches the route's response schema. */
  async function ok<T extends z.ZodType>(schema: T, method: string, path: string, body?: unknown): Promise<z.output<T>> {
    const r = await call(server, method, mlflow(path), body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return schema.parse(r.body);
  }
  async function newRun(experimentId = '0', extra: Record<string, unknown> = {}) {
    return (await ok(s.RunResponse, 'POST', 'runs/create', { experiment_id: experimentId, start_time: Date.now(), ...extra })).run;
  }

  it('serves the same calls under /api/2.0/mlflow and /ajax-api/2.0/mlflow, and 404s unknown ones in MLflow form', async () => {
    const a = await call(server, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0');
    const b = await call(server, 'GET', '/ajax-api/2.0/mlflow/experiments/get?experiment_id=0');
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(a.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });
    expect(await call(server, 'GET', mlflow('experiments/list'))).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
    expect(await call(server, 'GET', mlflow('runs/create'))).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
  });

  it('follows MLflow transport quirks: content type, empty and double-encoded bodies, numeric ids, run_uuid, DELETE bodies', async () => {
    const noType = await fetch(`${server.url}${mlflow('experiments/create')}`, { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'text/plain' } });
    expect(noType.status).toBe(400);
    expect(await noType.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Bad Request. Content-Type must be one of [application/json]' });
    const charset = await call(server, 'POST', mlflow('experiments/create'), { name: unique('charset') }, { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(200);

    // An empty body is {}: the required name is missing.
    const empty = await call(server, 'POST', mlflow('experiments/create'), '');
    expect(empty).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(empty.body.message).toContain("Missing value for required parameter 'name'");
    // A JSON string holding the JSON object is parsed again.
    const name = unique('double');
    const twice = await call(server, 'POST', mlflow('experiments/create'), JSON.stringify(JSON.stringify({ name, unknown_field: 1 })));
    expect(twice.status).toBe(200);
    const byNumber = await call(server, 'GET', mlflow(`experiments/get?experiment_id=${twice.body.experiment_id}`));
    expect(byNumber.body.experiment.name).toBe(name);

    const run = await newRun(Number(0) as unknown as string);
    const viaUuid = await call(server, 'GET', mlflow(`runs/get?run_uuid=${run.info.run_id}`));
    expect(viaUuid.body.run.info).toMatchObject({ run_id: run.info.run_id, run_uuid: run.info.run_id });

    // int64 as strings, and a GET list field given once or as x[]=.
    await ok(s.Empty, 'POST', 'runs/log-metric', { run_uuid: run.info.run_id, key: 'm', value: '0.5', timestamp: '1700000000000', step: '3' });
    const m = await ok(s.RunResponse, 'GET', `runs/get?run_id=${run.info.run_id}`);
    expect(m.run.data.metrics).toEqual([{ key: 'm', value: 0.5, timestamp: 1_700_000_000_000, step: 3 }]);

    const model = unique('delete-body');
    await ok(s.RegisteredModelResponse, 'POST', 'registered-models/create', { name: model });
    await ok(s.Empty, 'DELETE', 'registered-models/delete', { name: model });
    expect(await call(server, 'GET', mlflow(`registered-models/get?name=${model}`))).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('manages experiments: create, get by name, tags, rename, delete and restore with their runs, search', async () => {
    const name = unique('exp');
    const { experiment_id: id } = await ok(s.CreateExperimentResponse, 'POST', 'experiments/create', { name, tags: [{ key: 'team', value: 'ml' }] });
    expect(await call(server, 'POST', mlflow('experiments/create'), { name })).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    const byName = await ok(s.ExperimentResponse, 'GET', `experiments/get-by-name?experiment_name=${name}`);
    expect(byName.experiment).toMatchObject({ experiment_id: id, artifact_location: `mlflow-artifacts:/${id}`, tags: [{ key: 'team', value: 'ml' }] });
    expect(await call(server, 'GET', mlflow('experiments/get-by-name?experiment_name=nope-x'))).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(await call(server, 'GET', mlflow('experiments/get?experiment_id=12345'))).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });

    await ok(s.Empty, 'POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'owner', value: 'ada' });
    await ok(s.Empty, 'POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'team' });
    const renamed = `${name}-renamed`;
    await ok(s.Empty, 'POST', 'experiments/update', { experiment_id: id, new_name: renamed });
    expect((await ok(s.ExperimentResponse, 'GET', `experiments/get?experiment_id=${id}`)).experiment).toMatchObject({ name: renamed, tags: [{ key: 'owner', value: 'ada' }] });

    const run = await newRun(id);
    await ok(s.Empty, 'POST', 'experiments/delete', { experiment_id: id });
    expect((await ok(s.RunResponse, 'GET', `runs/get?run_id=${run.info.run_id}`)).run.info.lifecycle_stage).toBe('deleted');
    const logToDeleted = await call(server, 'POST', mlflow('runs/log-parameter'), { run_id: run.info.run_id, key: 'a', value: '1' });
    expect(logToDeleted).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    const active = await ok(s.SearchExperimentsResponse, 'POST', 'experiments/search', { filter: `name = '${renamed}'` });
    expect(active.experiments ?? []).toHaveLength(0);
    const deleted = await ok(s.SearchExperimentsResponse, 'GET', `experiments/search?view_type=DELETED_ONLY&filter=${encodeURIComponent(`name LIKE '${renamed}%'`)}`);
    expect(deleted.experiments?.map((e) => e.experiment_id)).toEqual([id]);
    await ok(s.Empty, 'POST', 'experiments/restore', { experiment_id: id });
    expect((await ok(s.RunResponse, 'GET', `runs/get?run_id=${run.info.run_id}`)).run.info.lifecycle_stage).toBe('active');

    const tagged = await ok(s.SearchExperimentsResponse, 'POST', 'experiments/search', { filter: "tags.owner = 'ada'", order_by: ['name ASC'], max_results: 1000 });
    expect(tagged.experiments?.map((e) => e.experiment_id)).toContain(id);
  });

  it('creates, updates, deletes and restores runs, with mlflow.runName kept in step with the name', async () => {
    const run = await newRun('0', { run_name: 'first', tags: [{ key: 'mlflow.user', value: 'ada' }] });
    expect(run.info).toMatchObject({ run_name: 'first', user_id: 'ada', status: 'RUNNING', lifecycle_stage: 'active', artifact_uri: `mlflow-artifacts:/0/${run.info.run_id}/artifacts` });
    expect(run.info.end_time).toBeUndefined();
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'first' });
    const nameless = await newRun();
    expect(nameless.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);

    const updated = await ok(s.UpdateRunResponse, 'POST', 'runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: 1_800_000_000_000, run_name: 'second' });
    expect(updated.run_info).toMatchObject({ status: 'FINISHED', end_time: 1_800_000_000_000, run_name: 'second' });
    await ok(s.Empty, 'POST', 'runs/set-tag', { run_id: run.info.run_id, key: 'mlflow.runName', value: 'third' });
    expect((await ok(s.RunResponse, 'GET', `runs/get?run_id=${run.info.run_id}`)).run.info.run_name).toBe('third');
    // Status by enum number (FAILED = 4).
    expect((await ok(s.UpdateRunResponse, 'POST', 'runs/update', { run_id: run.info.run_id, status: 4 })).run_info.status).toBe('FAILED');

    await ok(s.Empty, 'POST', 'runs/delete', { run_id: run.info.run_id });
    expect(await call(server, 'POST', mlflow('runs/set-tag'), { run_id: run.info.run_id, key: 'a', value: 'b' })).toMatchObject({ status: 400 });
    await ok(s.Empty, 'POST', 'runs/restore', { run_id: run.info.run_id });
    await ok(s.Empty, 'POST', 'runs/delete-tag', { run_id: run.info.run_id, key: 'mlflow.runName' });
    expect(await call(server, 'POST', mlflow('runs/delete-tag'), { run_id: run.info.run_id, key: 'absent' })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(await call(server, 'GET', mlflow('runs/get?run_id=ffffffffffffffffffffffffffffffff'))).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(await call(server, 'POST', mlflow('runs/create'), { experiment_id: '404404' })).toMatchObject({ status: 404 });
  });

  it('logs batches: params write-once, tags last-write-wins, NaN and infinities, identical points once', async () => {
    const run = await newRun();
    const id = run.info.run_id;
    await ok(s.Empty, 'POST', 'runs/log-batch', {
      run_id: id,
      metrics: [
        { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
        { key: 'loss', value: 0.5, timestamp: 20, step: 1 },
        { key: 'loss', value: 0.5, timestamp: 20, step: 1 },
        { key: 'nan', value: 'NaN', timestamp: 1 },
        { key: 'inf', value: 'Infinity', timestamp: 1 },
        { key: 'ninf', value: '-Infinity', timestamp: 1 },
      ],
      params: [{ key: 'lr', value: '0.1' }],
      tags: [
        { key: 't', value: 'one' },
        { key: 't', value: 'two' },
      ],
    });
    await ok(s.Empty, 'POST', 'runs/log-parameter', { run_id: id, key: 'lr', value: '0.1' });
    const conflict = await call(server, 'POST', mlflow('runs/log-parameter'), { run_id: id, key: 'lr', value: '0.2' });
    expect(conflict).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    const dupes = await call(server, 'POST', mlflow('runs/log-batch'), { run_id: id, params: [{ key: 'a', value: '1' }, { key: 'a', value: '1' }] });
    expect(dupes).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });

    const got = (await ok(s.RunResponse, 'GET', `runs/get?run_id=${id}`)).run;
    const metrics = Object.fromEntries((got.data.metrics ?? []).map((m) => [m.key, m.value]));
    expect(metrics).toEqual({ loss: 0.5, nan: 'NaN', inf: 'Infinity', ninf: '-Infinity' });
    expect(got.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(got.data.tags).toContainEqual({ key: 't', value: 'two' });
    const history = await ok(s.MetricHistoryResponse, 'GET', `metrics/get-history?run_id=${id}&metric_key=loss`);
    expect(history.metrics?.map((p) => [p.step, p.value])).toEqual([
      [0, 0.9],
      [1, 0.5],
    ]);
    const first = await ok(s.MetricHistoryResponse, 'GET', `metrics/get-history?run_id=${id}&metric_key=loss&max_results=1`);
    expect(first.metrics).toHaveLength(1);
    const second = await ok(s.MetricHistoryResponse, 'GET', `metrics/get-history?run_id=${id}&metric_key=loss&max_results=1&page_token=${first.next_page_token}`);
    expect(second.metrics?.[0].step).toBe(1);
    expect(second.next_page_token).toBeUndefined();
  });

  it('enforces MLflow limits with 400, and bodies over the limit with 413', async () => {
    const id = (await newRun()).info.run_id;
    const metrics = (count: number) => Array.from({ length: count }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
    expect((await call(server, 'POST', mlflow('runs/log-batch'), { run_id: id, metrics: metrics(1001) })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/log-batch'), { run_id: id, params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) })).status).toBe(400);
    const total = await call(server, 'POST', mlflow('runs/log-batch'), { run_id: id, metrics: metrics(950), tags: Array.from({ length: 60 }, (_, i) => ({ key: `t${i}`, value: '1' })) });
    expect(total).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect((await call(server, 'POST', mlflow('runs/log-parameter'), { run_id: id, key: 'k'.repeat(251), value: '1' })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/log-parameter'), { run_id: id, key: 'big', value: 'v'.repeat(6001) })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/set-tag'), { run_id: id, key: 'big', value: 'v'.repeat(5001) })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/log-parameter'), { run_id: id, key: '../up', value: '1' })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/log-metric'), { run_id: id, key: 'b', value: true, timestamp: 1 })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/log-metric'), { run_id: id, key: 'b', value: 1 })).body.message).toContain("'timestamp'");
    expect((await call(server, 'POST', mlflow('runs/set-tag'), { run_id: id, key: 'nul', value: 'a\u0000b' })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/search'), { experiment_ids: ['0'], max_results: 50_001 })).status).toBe(400);
    const huge = await call(server, 'POST', mlflow('runs/set-tag'), { run_id: id, key: 'x', value: 'v'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error_code).toBeTypeOf('string');
  });

  it('searches runs with the filter grammar, order_by (missing and NaN last) and page tokens', async () => {
    const { experiment_id: exp } = await ok(s.CreateExperimentResponse, 'POST', 'experiments/create', { name: unique('search') });
    const runs = [];
    for (let i = 0; i < 6; i++) {
      const run = await newRun(exp, { run_name: `r${i}`, start_time: 1000 + i });
      const metrics = i === 5 ? [] : [{ key: 'rmse', value: i === 4 ? 'NaN' : 10 - i, timestamp: 1, step: 0 }];
      await ok(s.Empty, 'POST', 'runs/log-batch', {
        run_id: run.info.run_id,
        metrics,
        params: [{ key: 'model', value: i % 2 ? 'Tree' : 'linear' }],
        tags: [{ key: 'team', value: `ml-${i}` }],
      });
      runs.push(run.info.run_id);
    }
    const search = async (body: Record<string, unknown>) => {
      const page = await ok(s.SearchRunsResponse, 'POST', 'runs/search', { experiment_ids: [exp], ...body });
      return { names: (page.runs ?? []).map((r) => r.info.run_name), next: page.next_page_token };
    };
    expect((await search({ filter: 'metrics.rmse <= 8' })).names).toEqual(['r3', 'r2']);
    expect((await search({ filter: "params.model = 'Tree' and metrics.rmse >= 7" })).names).toEqual(['r3', 'r1']);
    expect((await search({ filter: "params.model LIKE 't%'" })).names).toEqual([]);
    expect((await search({ filter: "params.model ILIKE 't%'" })).names).toEqual(['r5', 'r3', 'r1']);
    expect((await search({ filter: "tags.team LIKE 'ml-_'" })).names).toHaveLength(6);
    expect((await search({ filter: `attributes.run_id IN ('${runs[0]}', '${runs[2]}')` })).names).toEqual(['r2', 'r0']);
    expect((await search({ filter: "run_name != 'r0' and created >= 1004" })).names).toEqual(['r5', 'r4']);
    expect((await search({ filter: 'tags."team" IS NOT NULL and params.missing IS NULL' })).names).toHaveLength(6);
    expect((await search({ order_by: ['metrics.rmse ASC'] })).names).toEqual(['r3', 'r2', 'r1', 'r0', 'r4', 'r5']);
    expect((await search({ order_by: ['metrics.rmse DESC'] })).names).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect((await search({ order_by: ['params.model DESC', 'start_time ASC'] })).names).toEqual(['r0', 'r2', 'r4', 'r1', 'r3', 'r5']);

    const pages: string[] = [];
    let token: string | undefined;
    do {
      const page = await search({ max_results: 4, order_by: ['attributes.run_name ASC'], page_token: token });
      pages.push(...page.names);
      token = page.next;
    } while (token);
    expect(pages).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);

    for (const filter of ["metrics.rmse = 'x'", "params.model = 1", "metrics.rmse < 1 or metrics.rmse > 2", '(metrics.rmse < 1)', 'bogus.x = 1', "attributes.nope = 'a'", 'metrics.rmse LIKE 1', "params.a = 'unterminated"]) {
      const r = await call(server, 'POST', mlflow('runs/search'), { experiment_ids: [exp], filter });
      expect(r, filter).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    }
    expect((await call(server, 'POST', mlflow('runs/search'), { experiment_ids: [exp], order_by: ['metrics.rmse SIDEWAYS'] })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('runs/search'), { experiment_ids: [exp], page_token: 'garbage' })).status).toBe(400);

    await ok(s.Empty, 'POST', 'runs/delete', { run_id: runs[0] });
    expect((await search({ run_view_type: 'DELETED_ONLY' })).names).toEqual(['r0']);
    expect((await search({ run_view_type: 'ALL' })).names).toHaveLength(6);
  });

  it('records dataset inputs and finds runs by them', async () => {
    const run = await newRun();
    await ok(s.Empty, 'POST', 'runs/log-inputs', {
      run_id: run.info.run_id,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'adult', digest: 'abc123', source_type: 'local', source: '{"uri":"x"}' } }],
    });
    const got = (await ok(s.RunResponse, 'GET', `runs/get?run_id=${run.info.run_id}`)).run;
    expect(got.inputs?.dataset_inputs).toEqual([
      { tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'adult', digest: 'abc123', source_type: 'local', source: '{"uri":"x"}' } },
    ]);
    const found = await ok(s.SearchRunsResponse, 'POST', 'runs/search', { experiment_ids: ['0'], filter: "dataset.name = 'adult' and dataset.context IN ('training')" });
    expect(found.runs?.map((r) => r.info.run_id)).toEqual([run.info.run_id]);
  });

  it('uploads, lists, downloads and deletes artifacts through the server, content-addressed underneath', async () => {
    const run = await newRun();
    const root = `/api/2.0/mlflow-artifacts/artifacts/0/${run.info.run_id}/artifacts`;
    const put = (path: string, body: string) => fetch(`${server.url}${root}/${path}`, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });
    expect((await put('model/MLmodel', 'flavors: {}\n')).status).toBe(200);
    expect((await put('notes%20one.txt', 'hello')).status).toBe(200);
    expect((await put('copy.txt', 'hello')).status).toBe(200);
    expect((await put('a/../../escape', 'x')).status).toBe(400);

    const listed = await call(server, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`0/${run.info.run_id}/artifacts`)}`);
    expect(listed.body.files).toEqual([
      { path: 'copy.txt', is_dir: false, file_size: 5 },
      { path: 'model', is_dir: true },
      { path: 'notes one.txt', is_dir: false, file_size: 5 },
    ]);
    const list = await ok(s.ListArtifactsResponse, 'GET', `artifacts/list?run_id=${run.info.run_id}&path=model`);
    expect(list).toEqual({ root_uri: run.info.artifact_uri, files: [{ path: 'model/MLmodel', is_dir: false, file_size: 12 }] });

    const download = await fetch(`${server.url}${root}/notes%20one.txt`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello');
    const rows = await server.store.db.selectFrom('run_artifacts').select(['path', 'digest']).where('run_id', '=', run.info.run_id).execute();
    const digests = Object.fromEntries(rows.map((r) => [r.path, r.digest]));
    expect(digests['copy.txt']).toBe(digests['notes one.txt']);
    expect(await server.artifacts.has(digests['copy.txt'])).toBe(true);

    expect((await fetch(`${server.url}${root}/model`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${server.url}${root}/model/MLmodel`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/0/nope/artifacts/x`)).status).toBe(404);
  });

  it('shares one registry between the MLflow API and Sluice: versions, aliases, tags, stages, history', async () => {
    const experiment = await getOrCreateExperiment(server.store.db, unique('pipeline'));
    const pipelineRun = await createRun(server.store.db, { experimentId: experiment.experimentId, runName: 'train' });
    const name = unique('income');
    const digest = 'a'.repeat(64);
    await registerModelVersion(server.store, { name, runId: pipelineRun.runId, source: digest, datasets: {}, params: {}, metrics: {}, gates: [], actor: 'pipeline' });

    const got = await ok(s.RegisteredModelResponse, 'GET', `registered-models/get?name=${name}`);
    expect(got.registered_model.latest_versions?.[0]).toMatchObject({ version: '1', source: `mlflow-artifacts:/_sluice/${digest}`, run_id: pipelineRun.runId, current_stage: 'None' });
    expect(await call(server, 'POST', mlflow('registered-models/create'), { name })).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });

    const mlflowRun = await newRun();
    const created = await ok(s.ModelVersionResponse, 'POST', 'model-versions/create', {
      name,
      source: `${mlflowRun.info.artifact_uri}/model`,
      run_id: mlflowRun.info.run_id,
      tags: [{ key: 'framework', value: 'sklearn' }],
      description: 'from python',
    });
    expect(created.model_version).toMatchObject({ version: '2', description: 'from python', tags: [{ key: 'framework', value: 'sklearn' }] });
    for (const source of ['/tmp/model', 'file:///tmp/model', 'runs:/x/../../etc']) {
      expect((await call(server, 'POST', mlflow('model-versions/create'), { name, source })).status, source).toBe(400);
    }

    await ok(s.Empty, 'POST', 'registered-models/alias', { name, alias: 'champion', version: '2' });
    expect((await call(server, 'POST', mlflow('registered-models/alias'), { name, alias: 'latest', version: '1' })).status).toBe(400);
    expect((await call(server, 'POST', mlflow('registered-models/alias'), { name, alias: 'x', version: 'one' })).status).toBe(400);
    expect((await ok(s.ModelVersionResponse, 'GET', `registered-models/alias?name=${name}&alias=champion`)).model_version.version).toBe('2');
    await ok(s.Empty, 'POST', 'model-versions/set-tag', { name, version: '2', key: 'tested', value: 'true' });
    await ok(s.Empty, 'POST', 'registered-models/set-tag', { name, key: 'owner', value: 'ml' });
    await ok(s.ModelVersionResponse, 'PATCH', 'model-versions/update', { name, version: '1', description: 'baseline' });
    await ok(s.RegisteredModelResponse, 'PATCH', 'registered-models/update', { name, description: 'income model' });
    const staged = await ok(s.ModelVersionResponse, 'POST', 'model-versions/transition-stage', { name, version: '1', stage: 'production', archive_existing_versions: 'true' });
    expect(staged.model_version.current_stage).toBe('Production');
    const latest = await ok(s.ModelVersionsResponse, 'POST', 'registered-models/get-latest-versions', { name, stages: ['Production'] });
    expect(latest.model_versions?.map((v) => v.version)).toEqual(['1']);
    expect((await ok(s.DownloadUriResponse, 'GET', `model-versions/get-download-uri?name=${name}&version=2`)).artifact_uri).toBe(`${mlflowRun.info.artifact_uri}/model`);

    const byTag = await ok(s.SearchRegisteredModelsResponse, 'GET', `registered-models/search?filter=${encodeURIComponent(`tags.owner = 'ml' and tags.other != 'x'`)}`);
    expect(byTag.registered_models?.map((m) => m.name)).toEqual([name]);
    const versions = await ok(s.SearchModelVersionsResponse, 'GET', `model-versions/search?filter=${encodeURIComponent(`name = '${name}' and run_id = '${mlflowRun.info.run_id}'`)}`);
    expect(versions.model_versions?.map((v) => v.version)).toEqual(['2']);

    // Deleted versions keep their number; renames carry everything along, history included.
    await ok(s.Empty, 'DELETE', 'model-versions/delete', { name, version: '2' });
    expect((await call(server, 'GET', mlflow(`model-versions/get?name=${name}&version=2`))).status).toBe(404);
    expect((await ok(s.ModelVersionResponse, 'POST', 'model-versions/create', { name, source: 'runs:/abc/model' })).model_version.version).toBe('3');
    const renamed = `${name}-v2`;
    const after = await ok(s.RegisteredModelResponse, 'POST', 'registered-models/rename', { name, new_name: renamed });
    expect(after.registered_model).toMatchObject({ name: renamed, description: 'income model', tags: [{ key: 'owner', value: 'ml' }] });
    const events = await server.store.db.selectFrom('registry_events').select(['action', 'actor']).where('name', '=', renamed).orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['register', 'register', 'alias', 'tag', 'model-tag', 'describe', 'describe', 'stage', 'delete', 'register', 'rename']);
    expect(events[2].actor).toBe('mlflow-api');
  });
});
