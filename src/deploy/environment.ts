/**
 * A local environment: its router, the model servers it routes to (the current revision and the
 * previous one, kept for instant rollback), and the deploy and rollback operations. Every change
 * is a revision in the store; the environment's registry alias moves with each promotion.
 */
import type { EnvironmentConfig } from '../config/environments.js';
import { SluiceError, errorMessage } from '../errors.js';
import type { Project } from '../project.js';
import { getModelVersion, parseModelRef, setAlias } from '../registry/index.js';
import { startModelServer, type ModelServer } from '../serving/index.js';
import { analyze, scrapeMetrics, type AnalysisResult, type Window } from './analysis.js';
import { createRevision, currentRevision, listRevisions, updateRevision, type Revision, type Strategy, type TrafficTarget } from './revisions.js';
import { startRouter, type Router, type Upstream } from './router.js';
import { healthCheck, runSmokeTests } from './smoke.js';

export interface DeployRequest {
  model: string;
  strategy: Exclude<Strategy, 'rollback'>;
  actor: string;
  reason?: string;
}

export interface Environment {
  name: string;
  url: string;
  router: Router;
  deploy(request: DeployRequest): Promise<Revision>;
  rollback(request: { actor: string; reason?: string }): Promise<Revision>;
  state(): Record<string, unknown>;
  close(): Promise<void>;
}

type Live = { key: string; server: ModelServer; upstream: Upstream };

export async function startEnvironment(project: Project, name: string, options: { port?: number } = {}): Promise<Environment> {
  const config = project.config.environments[name];
  if (!config) throw unknownEnvironment(project, name);
  const db = project.store.db;
  const alias = config.alias ?? name;
  const live = new Map<string, Live>();
  let stable: Live | undefined;
  let previous: Live | undefined;
  let busy = false;
  let shadowing: { live: Live; revision: number } | undefined;

  const router = await startRouter({ host: config.host, port: options.port ?? config.port, admin: (app) => adminRoutes(app) });

  async function serve(model: string, version: number, route: string): Promise<Live> {
    const key = `${model}@${version}`;
    const have = live.get(key);
    if (have) return have;
    const server = await startModelServer({ model: key, project, port: 0, route });
    const entry = { key, server, upstream: { url: server.url, model, version } };
    live.set(key, entry);
    return entry;
  }
  async function retire(entry: Live | undefined): Promise<void> {
    if (!entry || entry === stable || entry === previous || entry === shadowing?.live) return;
    live.delete(entry.key);
    await entry.server.close();
  }
  const traffic = (...t: [Live, number][]): TrafficTarget[] => t.map(([l, weight]) => ({ model: l.upstream.model, version: l.upstream.version, route: l === stable ? 'stable' : 'canary', weight }));
  function promote(next: Live): void {
    router.setSplit({ routes: [{ upstream: next.upstream, weight: 100 }] });
    const old = stable;
    if (old !== next) {
      const dropped = previous;
      previous = old;
      stable = next;
      void retire(dropped !== next ? dropped : undefined);
    }
  }

  async function deploy(request: DeployRequest): Promise<Revision> {
    const ref = parseModelRef(request.model);
    const mv = await getModelVersion(db, ref.name, ref.versionOrAlias);
    await endShadow();
    const id = await createRevision(db, { environment: name, model: mv.name, version: mv.version, strategy: request.strategy, actor: request.actor, reason: request.reason });
    const detail: Record<string, unknown> = {};
    let candidate: Live | undefined;
    try {
      try {
        candidate = await serve(mv.name, mv.version, request.strategy === 'canary' || request.strategy === 'shadow' ? request.strategy : 'stable');
      } catch (e) {
        throw new SluiceError('GATE_FAILED', `${mv.name}@${mv.version} could not be served: ${errorMessage(e)}`);
      }
      const checks = [await healthCheck(candidate.upstream.url)];
      if (checks[0].passed) checks.push(...(await runSmokeTests(candidate.upstream.url, config.smoke)));
      detail.checks = checks;
      const failed = checks.filter((c) => !c.passed);
      if (failed.length) throw new SluiceError('GATE_FAILED', `Smoke tests failed for ${mv.name}@${mv.version}: ${failed.map((c) => `${c.name}: ${c.message}`).join('; ')}`);

      if (request.strategy === 'shadow') {
        if (!stable || stable === candidate) throw new SluiceError('USAGE', `A shadow needs another version serving ${name}`, { hint: 'Deploy a stable version first (direct or bluegreen).' });
        const percent = config.shadow.percent;
        router.setSplit({ routes: [{ upstream: stable.upstream, weight: 100 }], mirror: { upstream: candidate.upstream, percent } });
        shadowing = { live: candidate, revision: id };
        await updateRevision(db, id, { status: 'shadowing', traffic: [...traffic([stable, 100]), { model: mv.name, version: mv.version, route: 'shadow', weight: percent }], detail });
        return (await listRevisions(db, name)).find((r) => r.id === id)!;
      }
      if (request.strategy === 'canary' && stable && stable !== candidate) {
        const analyses = await runCanary(candidate, stable, id, config.canary);
        detail.analyses = analyses;
        const bad = analyses.find((a) => a.status !== 'successful');
        if (bad) throw new SluiceError('GATE_FAILED', `Canary analysis ${bad.status} for ${mv.name}@${mv.version}: ${bad.failures.join('; ')}`);
      }
      promote(candidate);
      const current = await currentRevision(db, name);
      if (current) await updateRevision(db, current.id, { status: 'superseded' });
      await updateRevision(db, id, { status: 'applied', traffic: traffic([candidate, 100]), detail });
      await setAlias(db, { name: mv.name, alias, version: mv.version, actor: request.actor, reason: `deployed to ${name} (${request.strategy}, revision ${id})${request.reason ? `: ${request.reason}` : ''}` });
    } catch (e) {
      // Traffic back where it was; the candidate is stopped unless it is serving already.
      if (stable) router.setSplit({ routes: [{ upstream: stable.upstream, weight: 100 }] });
      if (candidate) await retire(candidate).catch(() => {});
      detail.error = errorMessage(e);
      await updateRevision(db, id, { status: 'failed', traffic: stable ? traffic([stable, 100]) : [], detail });
    }
    return (await listRevisions(db, name)).find((r) => r.id === id)!;
  }

  async function runCanary(canary: Live, base: Live, id: number, canaryConfig: EnvironmentConfig['canary']): Promise<AnalysisResult[]> {
    const analyses: AnalysisResult[] = [];
    const snapshot = async (l: Live): Promise<Window> => ({ metrics: await scrapeMetrics(l.upstream.url), seen: router.stats(l.upstream.url) });
    let weight = 0;
    let before = { canary: await snapshot(canary), stable: await snapshot(base) };
    const judge = async () => {
      // Too little traffic to judge is not a verdict yet: the window grows (up to max_wait)
      // until min_requests have reached the canary. A threshold crossed ends it at once.
      const deadline = Date.now() + (canaryConfig.analysis.max_wait ?? 0);
      for (;;) {
        const after = { canary: await snapshot(canary), stable: await snapshot(base) };
        const result = analyze(canaryConfig.analysis, { before: before.canary, after: after.canary }, { before: before.stable, after: after.stable });
        const left = deadline - Date.now();
        if (result.status === 'inconclusive' && left > 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(250, left)));
          continue;
        }
        analyses.push(result);
        before = after;
        return result.status === 'successful';
      }
    };
    let unjudged = false;
    for (const step of canaryConfig.steps) {
      unjudged = 'weight' in step;
      if ('weight' in step) {
        weight = step.weight;
        router.setSplit({ routes: [{ upstream: base.upstream, weight: 100 - weight }, { upstream: canary.upstream, weight }] });
        await updateRevision(db, id, { traffic: traffic([base, 100 - weight], [canary, weight]) });
      } else {
        await new Promise((resolve) => setTimeout(resolve, step.pause));
        if (!(await judge())) return analyses;
      }
    }
    // Steps after the last pause: one more window, long enough to see traffic.
    if (unjudged || analyses.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await judge();
    }
    return analyses;
  }

  /** Stops mirroring: the shadow's report goes on its revision, its server stops. */
  async function endShadow(): Promise<void> {
    if (!shadowing) return;
    const { live: shadowLive, revision } = shadowing;
    shadowing = undefined;
    if (stable) router.setSplit({ routes: [{ upstream: stable.upstream, weight: 100 }] });
    const rev = (await listRevisions(db, name)).find((r) => r.id === revision);
    await updateRevision(db, revision, { status: 'ended', detail: { ...rev?.detail, shadow: shadowReport() } });
    await retire(shadowLive);
  }

  function shadowReport() {
    const s = router.shadow();
    return { ...s, disagreementRate: s.compared ? s.disagreements / s.compared : null, meanAbsDifference: s.compared ? s.absDiffSum / s.compared : null };
  }

  async function rollback(request: { actor: string; reason?: string }): Promise<Revision> {
    await endShadow();
    const revisions = await listRevisions(db, name);
    const current = revisions.find((r) => r.status === 'applied');
    if (!current) throw new SluiceError('NOT_FOUND', `Nothing is deployed in environment '${name}'`, { hint: 'Deploy a model first: sluice deploy <model>@<version> --env ' + name });
    const target = revisions.find((r) => r.id < current.id && (r.status === 'superseded' || r.status === 'rolled_back') && `${r.model}@${r.version}` !== `${current.model}@${current.version}`);
    if (!target) throw new SluiceError('NOT_FOUND', `Environment '${name}' has no previous revision to return to`, { hint: 'See the revisions with `sluice env history --env ' + name + '`.' });
    const id = await createRevision(db, { environment: name, model: target.model, version: target.version, strategy: 'rollback', actor: request.actor, reason: request.reason ?? `rollback of revision ${current.id}` });
    try {
      const back = await serve(target.model, target.version, 'stable');
      const health = await healthCheck(back.upstream.url);
      if (!health.passed) throw new SluiceError('GATE_FAILED', `${target.model}@${target.version} is not healthy: ${health.message}`);
      promote(back);
      await updateRevision(db, current.id, { status: 'rolled_back' });
      await updateRevision(db, id, { status: 'applied', traffic: traffic([back, 100]), detail: { from: current.id, to: target.id } });
      await setAlias(db, { name: target.model, alias, version: target.version, actor: request.actor, reason: `rolled back ${name} from revision ${current.id} to ${target.id}` });
    } catch (e) {
      await updateRevision(db, id, { status: 'failed', detail: { error: errorMessage(e) } });
      throw e;
    }
    return (await listRevisions(db, name)).find((r) => r.id === id)!;
  }

  function adminRoutes(app: import('fastify').FastifyInstance): void {
    const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (busy) throw new SluiceError('CONFLICT', `A deployment to '${name}' is in progress`, { hint: 'Wait for it to finish.' });
      busy = true;
      try {
        return await fn();
      } finally {
        busy = false;
      }
    };
    const body = (raw: unknown): Record<string, any> => {
      try {
        return Buffer.isBuffer(raw) && raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, any>) : {};
      } catch {
        throw new SluiceError('USAGE', 'The request body is not JSON');
      }
    };
    app.setErrorHandler((e, _req, reply) => {
      const status = (e as { statusCode?: number }).statusCode;
      if (!(e instanceof SluiceError) && status && status < 500) return reply.code(status).send({ error: { code: 'USAGE', message: errorMessage(e) } });
      const err = e instanceof SluiceError ? e : new SluiceError('INTERNAL', errorMessage(e));
      return reply.code(err.status).send({ error: err.toJSON() });
    });
    app.get('/-/sluice/state', async () => state());
    app.post('/-/sluice/deploy', async (req) => {
      const b = body(req.body);
      if (!['direct', 'bluegreen', 'canary', 'shadow'].includes(b.strategy)) throw new SluiceError('USAGE', `Unknown strategy '${b.strategy}'`, { hint: 'Use direct, bluegreen, canary or shadow.' });
      return exclusive(() => deploy({ model: String(b.model), strategy: b.strategy, actor: String(b.actor ?? 'sluice'), reason: b.reason }));
    });
    app.post('/-/sluice/rollback', async (req) => {
      const b = body(req.body);
      return exclusive(() => rollback({ actor: String(b.actor ?? 'sluice'), reason: b.reason }));
    });
  }

  function state(): Record<string, unknown> {
    return {
      environment: name,
      url: router.url,
      split: router.split().routes.map((r) => ({ model: r.upstream.model, version: r.upstream.version, weight: r.weight, url: r.upstream.url })),
      stable: stable?.key ?? null,
      previous: previous?.key ?? null,
      busy,
      shadow: shadowing ? { model: shadowing.live.key, revision: shadowing.revision, ...shadowReport() } : null,
    };
  }

  // After a restart: serve what the store says is deployed.
  const now = await currentRevision(db, name);
  if (now) {
    try {
      promote(await serve(now.model, now.version, 'stable'));
    } catch (e) {
      process.stderr.write(`warning: could not restore ${now.model}@${now.version} in ${name}: ${errorMessage(e)}\n`);
    }
  }

  return {
    name,
    url: router.url,
    router,
    deploy: (r) => (busy ? Promise.reject(new SluiceError('CONFLICT', `A deployment to '${name}' is in progress`)) : ((busy = true), deploy(r).finally(() => (busy = false)))),
    rollback: (r) => (busy ? Promise.reject(new SluiceError('CONFLICT', `A deployment to '${name}' is in progress`)) : ((busy = true), rollback(r).finally(() => (busy = false)))),
    state,
    async close() {
      await router.close();
      await Promise.allSettled([...live.values()].map((l) => l.server.close()));
      live.clear();
    },
  };
}

export function unknownEnvironment(project: Pick<Project, 'config' | 'file'>, name: string): SluiceError {
  const known = Object.keys(project.config.environments);
  return new SluiceError('NOT_FOUND', `No environment '${name}' in ${project.file}`, {
    hint: known.length ? `Known environments: ${known.join(', ')}.` : 'Declare one under `environments:`, e.g. production: { port: 8080 }.',
  });
}
