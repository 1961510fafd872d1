/**
 * An environment's router: one fastify server on the environment's port that forwards every
 * request (predict, invocations, OIP, metrics) to the model servers of the current traffic
 * split, adds X-Served-By-Version, mirrors a share to a shadow and keeps the figures the
 * canary analysis and the shadow report need. The split is swapped atomically.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export interface Upstream {
  url: string;
  model: string;
  version: number;
}

export interface TrafficSplit {
  routes: { upstream: Upstream; weight: number }[];
  mirror?: { upstream: Upstream; percent: number };
}

/** What the router saw from one upstream: answers, and the mean predicted probability. */
export interface UpstreamStats {
  requests: number;
  errors: number;
  probabilitySum: number;
  probabilityCount: number;
}

export interface ShadowStats {
  mirrored: number;
  errors: number;
  compared: number;
  disagreements: number;
  /** Sum over compared predictions of |p_shadow - p_primary|. */
  absDiffSum: number;
}

export interface Router {
  app: FastifyInstance;
  url: string;
  port: number;
  setSplit(split: TrafficSplit): void;
  split(): TrafficSplit;
  stats(url: string): UpstreamStats;
  shadow(): ShadowStats;
  close(): Promise<void>;
}

// Hop-by-hop headers, and the encoding ones: fetch decodes answers, so they pass through plain.
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer', 'accept-encoding', 'content-encoding']);
export const ADMIN_PREFIX = '/-/sluice';

export async function startRouter(options: { host: string; port: number; admin?: (app: FastifyInstance) => void }): Promise<Router> {
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  let current: TrafficSplit = { routes: [] };
  const stats = new Map<string, UpstreamStats>();
  const shadow: ShadowStats = { mirrored: 0, errors: 0, compared: 0, disagreements: 0, absDiffSum: 0 };
  const statsOf = (url: string) => {
    let s = stats.get(url);
    if (!s) stats.set(url, (s = { requests: 0, errors: 0, probabilitySum: 0, probabilityCount: 0 }));
    return s;
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  options.admin?.(app);

  app.all('/*', async (request, reply) => {
    const split = current;
    const upstream = pick(split);
    if (!upstream) return reply.code(503).send({ error: { code: 'NOT_FOUND', message: 'No model is deployed in this environment yet', hint: 'Run `sluice deploy <model>@<version> --env <name>`.' } });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) if (!HOP.has(k) && typeof v === 'string') headers[k] = v;
    const body = Buffer.isBuffer(request.body) && request.method !== 'GET' && request.method !== 'HEAD' ? (request.body as Buffer) : undefined;
    const s = statsOf(upstream.url);
    s.requests++;
    let response: Response;
    try {
      response = await fetch(upstream.url + request.url, { method: request.method, headers, body: body as Uint8Array<ArrayBuffer> | undefined });
    } catch (e) {
      s.errors++;
      return reply.code(502).header('x-served-by-version', `${upstream.model}@${upstream.version}`).send({ error: { code: 'INTERNAL', message: `The model server ${upstream.model}@${upstream.version} did not answer: ${(e as Error).message}` } });
    }
    const answer = Buffer.from(await response.arrayBuffer());
    const primary = response.ok ? firstProbabilities(answer) : undefined;
    if (primary) for (const p of primary) (s.probabilitySum += p), s.probabilityCount++;
    if (split.mirror && body && Math.random() * 100 < split.mirror.percent) void mirror(split.mirror.upstream, request.url, request.method, headers, body, primary);
    reply.code(response.status);
    response.headers.forEach((v, k) => {
      if (!HOP.has(k)) reply.header(k, v);
    });
    reply.header('x-served-by-version', `${upstream.model}@${upstream.version}`);
    return reply.send(answer);
  });

  async function mirror(upstream: Upstream, path: string, method: string, headers: Record<string, string>, body: Buffer, primary: number[] | undefined): Promise<void> {
    shadow.mirrored++;
    try {
      const response = await fetch(upstream.url + path, { method, headers, body: body as Uint8Array<ArrayBuffer> });
      const answer = Buffer.from(await response.arrayBuffer());
      if (!response.ok) return void shadow.errors++;
      const theirs = firstProbabilities(answer);
      if (!primary || !theirs || theirs.length !== primary.length) return;
      for (let i = 0; i < primary.length; i++) {
        shadow.compared++;
        shadow.absDiffSum += Math.abs(theirs[i] - primary[i]);
        if (theirs[i] >= 0.5 !== primary[i] >= 0.5) shadow.disagreements++;
      }
    } catch {
      shadow.errors++;
    }
  }

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    setSplit: (split) => {
      // A new shadow starts its report from zero.
      if (split.mirror && split.mirror.upstream.url !== current.mirror?.upstream.url) Object.assign(shadow, { mirrored: 0, errors: 0, compared: 0, disagreements: 0, absDiffSum: 0 });
      current = split;
    },
    split: () => current,
    stats: (url) => ({ ...statsOf(url) }),
    shadow: () => ({ ...shadow }),
    close: () => app.close(),
  };
}

function pick(split: TrafficSplit): Upstream | undefined {
  const total = split.routes.reduce((t, r) => t + r.weight, 0);
  if (total <= 0) return undefined;
  let x = Math.random() * total;
  for (const r of split.routes) {
    if ((x -= r.weight) < 0) return r.upstream;
  }
  return split.routes[split.routes.length - 1].upstream;
}

/** The probability of the last class of each prediction in a /predict or /invocations answer. */
export function firstProbabilities(answer: Buffer): number[] | undefined {
  if (answer.length === 0 || answer[0] !== 0x7b) return undefined;
  try {
    const parsed = JSON.parse(answer.toString('utf8')) as { predictions?: { probabilities?: Record<string, number> }[] };
    if (!Array.isArray(parsed.predictions)) return undefined;
    const out: number[] = [];
    for (const p of parsed.predictions) {
      const values = p?.probabilities ? Object.values(p.probabilities) : [];
      if (values.length) out.push(values[values.length - 1]);
    }
    return out.length ? out : undefined;
  } catch {
    return undefined;
  }
}
