/**
 * A stand-in for the GitHub and GitLab REST APIs on loopback, for the comment tests. It checks
 * each request against the documented shape (method, path, headers, JSON body), keeps the
 * comments of each pull/merge request, and pages listings (Link rel="next"; GitLab also sets
 * x-next-page), so create-then-update and pagination are proven against real HTTP.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Logged {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
}

export interface FakePlatform {
  url: string;
  /** Comments per thread key: `github:<owner>/<repo>#<n>` or `gitlab:<project>!<iid>`. */
  threads: Map<string, { id: number; body: string }[]>;
  requests: Logged[];
  /** Requests that broke the documented shape, with why. */
  violations: string[];
  close(): Promise<void>;
}

export const GITHUB_TOKEN = 'ghs_test_token';
export const GITLAB_TOKEN = 'glpat-test-token';

export async function startFakePlatform(): Promise<FakePlatform> {
  const threads = new Map<string, { id: number; body: string }[]>();
  const requests: Logged[] = [];
  const violations: string[] = [];
  let nextId = 1000;
  let base = '';

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', base);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const violation = (why: string) => {
      violations.push(`${req.method} ${url.pathname}: ${why}`);
      send(400, { message: why });
    };
    const list = (key: string, perPage: number, page: number, gitlab: boolean) => {
      const all = threads.get(key) ?? [];
      const items = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        const next = new URL(url.toString());
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next.toString()}>; rel="next"`;
        if (gitlab) headers['x-next-page'] = String(page + 1);
      } else if (gitlab) headers['x-next-page'] = '';
      send(200, items, headers);
    };
    const bodyText = () => {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return violation('the body must be JSON (Content-Type: application/json)');
      const b = body as { body?: unknown } | null;
      if (!b || typeof b.body !== 'string' || !b.body) return violation('the JSON body must have a non-empty "body" string');
      return b.body;
    };

    // GitHub: https://docs.github.com/en/rest/issues/comments
    let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/([0-9]+)\/comments$/.exec(url.pathname);
    const ghComment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/([0-9]+)$/.exec(url.pathname);
    if (m || ghComment) {
      if (req.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) return send(401, { message: 'Bad credentials' });
      if (req.headers.accept !== 'application/vnd.github+json') return violation('Accept must be application/vnd.github+json');
      if (req.headers['x-github-api-version'] !== '2022-11-28') return violation('X-GitHub-Api-Version must be 2022-11-28');
      if (m) {
        const key = `github:${m[1]}/${m[2]}#${m[3]}`;
        if (req.method === 'GET') return list(key, Number(url.searchParams.get('per_page') ?? 30), Number(url.searchParams.get('page') ?? 1), false);
        if (req.method === 'POST') {
          const text = bodyText();
          if (typeof text !== 'string') return;
          const c = { id: nextId++, body: text };
          threads.set(key, [...(threads.get(key) ?? []), c]);
          return send(201, { ...c, html_url: `https://github.example/${m[1]}/${m[2]}/pull/${m[3]}#issuecomment-${c.id}` });
        }
        return violation('only GET and POST are documented on issue comments');
      }
      if (req.method !== 'PATCH') return violation('a comment is updated with PATCH');
      const text = bodyText();
      if (typeof text !== 'string') return;
      const id = Number(ghComment![3]);
      for (const [key, comments] of threads) {
        if (!key.startsWith(`github:${ghComment![1]}/${ghComment![2]}#`)) continue;
        const c = comments.find((x) => x.id === id);
        if (c) {
          c.body = text;
          return send(200, { ...c, html_url: `https://github.example/comment/${id}` });
        }
      }
      return send(404, { message: 'Not Found' });
    }

    // GitLab: https://docs.gitlab.com/api/notes/#merge-requests
    m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/([0-9]+)\/notes(?:\/([0-9]+))?$/.exec(url.pathname);
    if (m) {
      if (req.headers['private-token'] !== GITLAB_TOKEN && req.headers['job-token'] !== GITLAB_TOKEN) return send(401, { message: '401 Unauthorized' });
      const key = `gitlab:${decodeURIComponent(m[1])}!${m[2]}`;
      if (!m[3]) {
        if (req.method === 'GET') return list(key, Number(url.searchParams.get('per_page') ?? 20), Number(url.searchParams.get('page') ?? 1), true);
        if (req.method === 'POST') {
          const text = bodyText();
          if (typeof text !== 'string') return;
          const c = { id: nextId++, body: text };
          threads.set(key, [...(threads.get(key) ?? []), c]);
          return send(201, c);
        }
        return violation('only GET and POST are documented on merge request notes');
      }
      if (req.method !== 'PUT') return violation('a note is modified with PUT');
      const text = bodyText();
      if (typeof text !== 'string') return;
      const c = (threads.get(key) ?? []).find((x) => x.id === Number(m![3]));
      if (!c) return send(404, { message: '404 Not found' });
      c.body = text;
      return send(200, c);
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    threads,
    requests,
    violations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      if (!text) return resolve(null);
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(text);
      }
    });
  });
}
