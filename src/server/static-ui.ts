/**
 * The web UI's static files (built by Vite into dist/ui). Hashed assets under /assets/ never
 * change under their name, so they are cached for a year; index.html is revalidated every time,
 * so a new build shows at the next load. Any other page path gets index.html (the UI routes deep
 * links itself), but never a path of the APIs: those keep their JSON 404s.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyReply } from 'fastify';
import { distPath } from '../dist-path.js';

const API_PATHS = ['/api', '/ajax-api', '/openapi.json', '/docs', '/health', '/version'];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};
/** Vite writes this beside a build; it tells a built UI from the sources in src/ui. */
const MARKER = join('.vite', 'manifest.json');

export function isUiPath(path: string): boolean {
  return !API_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Where the built UI is: dist/ui beside the compiled server, or the repository's dist/ui when running from sources. */
export function findUiDir(): string | null {
  for (const dir of [distPath('ui'), distPath('../dist/ui')]) if (existsSync(join(dir, MARKER))) return dir;
  return null;
}

export function uiFiles(configured?: string | null) {
  const dir = configured === undefined ? findUiDir() : configured;
  return {
    dir,
    async serve(path: string, reply: FastifyReply): Promise<FastifyReply> {
      if (!dir) {
        return reply
          .code(404)
          .type('application/json')
          .send(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'The web UI is not built into this installation', hint: 'Run `npm run build` (it builds dist/ui), then restart `sluice server`.' } }));
      }
      let rel: string;
      try {
        rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
      } catch {
        rel = '';
      }
      const isAsset = rel.startsWith(`assets${sep}`) || rel.startsWith('assets/');
      const file = join(dir, rel);
      if (rel && !rel.startsWith('..') && !rel.startsWith('.vite') && file.startsWith(dir + sep) && extname(rel)) {
        const body = await readFile(file).catch(() => null);
        if (body) {
          return reply
            .header('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
            .type(TYPES[extname(rel)] ?? 'application/octet-stream')
            .send(body);
        }
        // A missing script or stylesheet is a 404, not the page: a stale page must not run HTML as code.
        if (isAsset) return reply.code(404).type('text/plain').send(`No file ${path.slice(0, 300)}`);
      }
      const index = await readFile(join(dir, 'index.html'));
      return reply.header('cache-control', 'no-cache').type(TYPES['.html']).send(index);
    },
  };
}
