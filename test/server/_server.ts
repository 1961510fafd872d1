/** A Sluice server on a fresh store of one backend, listening on loopback, for the server tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LocalArtifactStore } from '../../src/artifacts/index.js';
import { buildServer } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import type { StoreBackend } from '../helpers/backends.js';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  artifacts: LocalArtifactStore;
  close(): Promise<void>;
}

export async function startTestServer(backend: StoreBackend): Promise<TestServer> {
  const store = await backend.open();
  const dir = await mkdtemp(join(tmpdir(), 'sluice-server-'));
  const artifacts = new LocalArtifactStore(join(dir, 'artifacts'));
  const app = await buildServer({ store, artifacts, project: 'test', logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    store,
    artifacts,
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON call: returns the status and the parsed body. */
export async function call(server: { url: string }, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json };
}

export const mlflow = (path: string) => `/api/2.0/mlflow/${path}`;
