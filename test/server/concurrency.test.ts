import { request, Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStoreBackends } from '../helpers/backends.js';
import { call, mlflow, startTestServer, type TestServer } from './_server.js';

const CLIENTS = 20;
const POINTS = 10_000;
const BATCH = 500;

/** A POST over the client's own keep-alive connection. */
function post(agent: Agent, url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describeStoreBackends('concurrent writers', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`lose nothing: ${CLIENTS} clients logging ${POINTS} metric points each to one run leave exactly ${CLIENTS * POINTS}`, async () => {
    const runId: string = (await call(server, 'POST', mlflow('runs/create'), { experiment_id: '0' })).body.run.info.run_id;
    const url = `${server.url}${mlflow('runs/log-batch')}`;
    const statuses = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const seen: number[] = [];
        try {
          for (let start = 0; start < POINTS; start += BATCH) {
            // Every client writes the same keys, so the latest-value upserts contend on the same rows.
            const metrics = Array.from({ length: BATCH }, (_, i) => ({ key: `m${i % 4}`, value: client + i / BATCH, timestamp: 1_700_000_000_000 + start + i, step: client * POINTS + start + i }));
            seen.push(await post(agent, url, { run_id: runId, metrics }));
          }
        } finally {
          agent.destroy();
        }
        return seen;
      }),
    );
    expect(new Set(statuses.flat())).toEqual(new Set([200]));
    const { n } = await server.store.db.selectFrom('metrics').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(CLIENTS * POINTS);
    const latest = await server.store.db.selectFrom('latest_metrics').select(['key', 'step']).where('run_id', '=', runId).orderBy('key').execute();
    // The highest step of each key was logged by the last client.
    const last = (k: number) => Math.max(...Array.from({ length: POINTS }, (_, j) => j).filter((j) => j % BATCH % 4 === k).map((j) => (CLIENTS - 1) * POINTS + j));
    expect(latest).toEqual([0, 1, 2, 3].map((k) => ({ key: `m${k}`, step: last(k) })));
  });
});
