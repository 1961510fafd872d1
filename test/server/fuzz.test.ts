import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStoreBackends } from '../helpers/backends.js';
import { Fuzzer, prng } from './_fuzz.js';
import { call, mlflow, startTestServer, type TestServer } from './_server.js';

const SEED = Number(process.env.SLUICE_FUZZ_SEED ?? 20_240_501);
const PER_OPERATION = Number(process.env.SLUICE_FUZZ_REQUESTS ?? 60);

describeStoreBackends('fuzzing the OpenAPI document', (backend) => {
  let server: TestServer;
  let known: string[];
  beforeAll(async () => {
    server = await startTestServer(backend);
    const run = await call(server, 'POST', mlflow('runs/create'), { experiment_id: '0' });
    await call(server, 'POST', mlflow('registered-models/create'), { name: 'fuzz-model' });
    await call(server, 'POST', mlflow('model-versions/create'), { name: 'fuzz-model', source: 'runs:/x/model' });
    known = ['0', run.body.run.info.run_id, 'fuzz-model', '1', 'Default', 'champion', 'mlflow.runName', 'latest'];
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`answers no malformed request with a 5xx (seed ${SEED}, ${PER_OPERATION} requests per operation)`, async () => {
    const doc = (await call(server, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, any>> };
    const fuzz = new Fuzzer(prng(SEED), known);
    const failures: string[] = [];
    let sent = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (let i = 0; i < PER_OPERATION; i++) {
          const path = template.replace(/\{(\w+)\}/g, () => encodeURIComponent(fuzz.string().replace(/[\ud800-\udfff]/g, '') || 'x'));
          const query = fuzz.query(op.parameters ?? []);
          const init: RequestInit = { method: method.toUpperCase(), headers: {} };
          if (op.requestBody) {
            const body = fuzz.body(op.requestBody.content['application/json'].schema);
            if (body.text !== undefined) init.body = body.text;
            if (body.type) (init.headers as Record<string, string>)['content-type'] = body.type;
          }
          const url = `${server.url}${path}${query ? `?${query}` : ''}`;
          const response = await fetch(url, init);
          const text = await response.text();
          sent++;
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const mlflowRoute = path.startsWith('/api/2.0/');
          const wellFormed = response.status === 200 || (mlflowRoute ? typeof json?.error_code === 'string' && typeof json?.message === 'string' : typeof json?.error?.code === 'string');
          if (response.status >= 500 || !wellFormed) {
            failures.push(`${method.toUpperCase()} ${url} ${String(init.body).slice(0, 200)} -> ${response.status} ${text.slice(0, 300)}`);
          }
        }
      }
    }
    // The artifact routes take any path.
    for (let i = 0; i < PER_OPERATION * 4; i++) {
      const path = `/api/2.0/mlflow-artifacts/artifacts/${fuzz.pick(['0', '1', '_sluice'])}/${fuzz.pick([...known, 'a'.repeat(64)])}/${fuzz.pick(['artifacts', 'x', ''])}/${encodeURIComponent(fuzz.string().replace(/[\ud800-\udfff]/g, ''))}`;
      const method = fuzz.pick(['GET', 'PUT', 'DELETE']);
      const response = await fetch(`${server.url}${path}`, { method, body: method === 'PUT' ? fuzz.string() : undefined });
      const text = await response.text();
      sent++;
      if (response.status >= 500) failures.push(`${method} ${path} -> ${response.status} ${text.slice(0, 300)}`);
    }
    expect(sent).toBeGreaterThan(1000);
    if (failures.length) console.error(failures.slice(0, 30).join("\n"));
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
