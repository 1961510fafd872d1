/**
 * MLflow's proxied artifact store, /api/2.0/mlflow-artifacts/artifacts/<path>: PUT uploads a
 * file, GET downloads it, DELETE forgets it, and GET …/artifacts?path=<dir> lists a folder (by
 * base name, as MLflow's server does). The bytes live in the content-addressed artifact store;
 * run_artifacts maps each run path to its digest.
 */
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkArtifactPath, deleteArtifacts, getArtifact, getRunInfo, listArtifacts, logArtifact, requireActiveRun } from '../../tracking/index.js';
import type { Manifest } from '../../artifacts/index.js';
import type { ServerContext } from '../context.js';
import { parseArtifactPath } from './artifact-uris.js';
import { MlflowError, toMlflowError } from './errors.js';
import type { z } from 'zod';
import type { FileInfo } from './schemas.js';

export const ARTIFACT_PREFIXES = ['/api/2.0/mlflow-artifacts/artifacts', '/ajax-api/2.0/mlflow-artifacts/artifacts'] as const;

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.yaml': 'text/yaml',
  '.yml': 'text/yaml',
  '.html': 'text/html',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

export async function artifactsApi(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  const db = ctx.store.db;
  // Uploads stream straight into the artifact store, whatever their type and size.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.setErrorHandler((error, request, reply) => {
    const e = toMlflowError(error);
    if (e.status >= 500) request.log.error({ err: error }, 'artifact request failed');
    void reply.code(e.status).type('application/json').send(JSON.stringify(e.toJSON()));
  });

  for (const prefix of ARTIFACT_PREFIXES) {
    app.get(prefix, async (request, reply) => {
      const query = request.query as { path?: unknown };
      const path = typeof query.path === 'string' ? query.path : Array.isArray(query.path) ? String(query.path[0]) : '';
      return json(reply, { files: await list(noNul(path)) });
    });

    app.put(`${prefix}/*`, async (request, reply) => {
      const target = runPath(noNul((request.params as { '*': string })['*']));
      checkArtifactPath(target.path);
      await requireActiveRun(db, target.runId);
      const body = request.body as Readable | undefined;
      const ref = body ? await ctx.artifacts.putStream(body) : await ctx.artifacts.putBytes(new Uint8Array());
      await logArtifact(db, target.runId, { path: target.path, digest: ref.digest, size: ref.size });
      return json(reply, {});
    });

    app.get(`${prefix}/*`, async (request, reply) => {
      const where = parseArtifactPath(noNul((request.params as { '*': string })['*']));
      let blob: { digest: string; size: number };
      if (where.kind === 'run') blob = await getArtifact(db, where.runId, where.path);
      else if (where.kind === 'package') blob = await packageFile(where.digest, where.path);
      else throw notFound(where);
      const stream = await ctx.artifacts.createReadStream(blob.digest);
      const type = MIME[extname(where.path).toLowerCase()] ?? 'application/octet-stream';
      return reply.type(type).header('content-length', blob.size).send(stream);
    });

    app.delete(`${prefix}/*`, async (request, reply) => {
      const target = runPath(noNul((request.params as { '*': string })['*']));
      await deleteArtifacts(db, target.runId, target.path);
      return json(reply, {});
    });
  }

  async function list(path: string): Promise<z.input<typeof FileInfo>[]> {
    const where = parseArtifactPath(path);
    if (where.kind === 'run') {
      await getRunInfo(db, where.runId);
      const entries = await listArtifacts(db, where.runId, where.path);
      return entries.map((e) => ({ path: e.path.split('/').pop()!, is_dir: e.isDir, file_size: e.fileSize }));
    }
    if (where.kind === 'package') {
      const manifest = await readManifest(where.digest);
      const prefix = where.path ? `${where.path.replace(/\/+$/, '')}/` : '';
      const seen = new Map<string, z.input<typeof FileInfo>>();
      for (const f of manifest.files) {
        if (!f.path.startsWith(prefix)) continue;
        const rest = f.path.slice(prefix.length);
        const name = rest.split('/')[0];
        if (!seen.has(name)) seen.set(name, rest.includes('/') ? { path: name, is_dir: true } : { path: name, is_dir: false, file_size: f.size });
      }
      return [...seen.values()];
    }
    return [];
  }

  async function readManifest(digest: string): Promise<Manifest> {
    try {
      return await ctx.artifacts.readManifest(digest);
    } catch {
      throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No model package ${digest} in the artifact store`);
    }
  }

  async function packageFile(digest: string, path: string): Promise<{ digest: string; size: number }> {
    const manifest = await readManifest(digest);
    const file = manifest.files.find((f) => f.path === path);
    if (!file) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Model package ${digest} has no file '${path}'`);
    return file;
  }
}

/** PostgreSQL cannot even compare a string holding NUL: refuse it before any lookup. */
function noNul(path: string): string {
  if (path.includes('\0')) throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid artifact path: it must not contain NUL characters');
  return path;
}

/** A path that names a file of a run: <experiment_id>/<run_id>/artifacts/<path>. */
function runPath(path: string): { runId: string; path: string } {
  const where = parseArtifactPath(path);
  if (where.kind !== 'run' || where.path === '') {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid artifact path '${path.slice(0, 300)}': expected <experiment_id>/<run_id>/artifacts/<path>`);
  }
  return where;
}

function notFound(where: { kind: string }): MlflowError {
  return new MlflowError('RESOURCE_DOES_NOT_EXIST', `No artifact at this path (${where.kind})`);
}

function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json').send(JSON.stringify(body));
}
