/** What `sluice deploy` and `sluice rollback` use: the admin API of an environment's running router. */
import type { EnvironmentConfig } from '../config/environments.js';
import { SluiceError } from '../errors.js';
import { ADMIN_PREFIX } from './router.js';
import type { Revision } from './revisions.js';

export function deployClient(name: string, config: Pick<EnvironmentConfig, 'host' | 'port'>) {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = `http://${host}:${config.port}${ADMIN_PREFIX}`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(base + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    } catch (e) {
      throw new SluiceError('USAGE', `No router is running for environment '${name}' at ${base}`, { hint: `Start it with \`sluice env serve --env ${name}\`.`, cause: e });
    }
    const data = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string; hint?: string } };
    if (!response.ok) {
      const err = data.error;
      throw new SluiceError((err?.code as any) ?? 'INTERNAL', err?.message ?? `The router answered ${response.status}`, { hint: err?.hint });
    }
    return data as T;
  }
  return {
    deploy: (request: { model: string; strategy: string; actor: string; reason?: string }) => call<Revision>('POST', '/deploy', request),
    rollback: (request: { actor: string; reason?: string }) => call<Revision>('POST', '/rollback', request),
    state: () => call<Record<string, unknown>>('GET', '/state'),
  };
}
