/**
 * What each environment serves: its revisions from the store, and — when the server knows the
 * environment from sluice.yaml — whether its router answers and the split it routes right now.
 */
import { z } from 'zod';
import type { EnvironmentConfig } from '../../config/environments.js';
import { ADMIN_PREFIX, listRevisions, type Revision as RevisionRecord } from '../../deploy/index.js';
import type { ServerContext } from '../context.js';

const json = z.unknown().describe('JSON value');
const Traffic = z.object({ model: z.string(), version: z.number(), route: z.string().optional(), weight: z.number() });

export const Revision = z.object({
  id: z.number(),
  environment: z.string(),
  model: z.string(),
  version: z.number(),
  strategy: z.string(),
  traffic: z.array(Traffic),
  status: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  detail: z.record(z.string(), json),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const DeploymentSummary = z.object({
  environment: z.string(),
  /** Declared in the served project's sluice.yaml: the server can reach its router. */
  configured: z.boolean(),
  router_url: z.string().nullable(),
  health: z.enum(['up', 'down', 'unknown']).describe('up: the router answered; down: it did not; unknown: the server does not know where it runs'),
  current: Revision.nullable(),
  /** The split the router applies now (when up), else the current revision's. */
  split: z.array(Traffic),
  busy: z.boolean(),
});

export function routerBase(config: Pick<EnvironmentConfig, 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

interface RouterState {
  split?: { model: string; version: number; weight: number }[];
  busy?: boolean;
}

async function probe(config: EnvironmentConfig): Promise<RouterState | null> {
  try {
    const r = await fetch(`${routerBase(config)}${ADMIN_PREFIX}/state`, { signal: AbortSignal.timeout(1500) });
    return r.ok ? ((await r.json()) as RouterState) : null;
  } catch {
    return null;
  }
}

export async function environmentNames(ctx: ServerContext): Promise<string[]> {
  const stored = (await ctx.store.db.selectFrom('deployment_revisions').select('environment').distinct().execute()).map((r) => r.environment);
  return [...new Set([...Object.keys(ctx.local?.config.environments ?? {}), ...stored])].sort();
}

export async function deploymentSummary(ctx: ServerContext, environment: string, revisions?: RevisionRecord[]): Promise<z.input<typeof DeploymentSummary>> {
  const config = ctx.local?.config.environments[environment];
  const revs = revisions ?? (await listRevisions(ctx.store.db, environment, 20));
  const current = revs.find((r) => r.status === 'applied') ?? null;
  const state = config ? await probe(config) : null;
  return {
    environment,
    configured: config !== undefined,
    router_url: config ? routerBase(config) : null,
    health: !config ? 'unknown' : state ? 'up' : 'down',
    current,
    split: state?.split?.map((s) => ({ model: s.model, version: s.version, weight: s.weight })) ?? current?.traffic ?? [],
    busy: state?.busy ?? false,
  };
}

export async function deploymentSummaries(ctx: ServerContext): Promise<z.input<typeof DeploymentSummary>[]> {
  return Promise.all((await environmentNames(ctx)).map((e) => deploymentSummary(ctx, e)));
}
