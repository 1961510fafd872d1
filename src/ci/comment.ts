/**
 * Posts the report as one pull-request (GitHub) or merge-request (GitLab) comment, and updates
 * that same comment on later runs: it is found by the hidden marker at its top. Only the
 * platforms' documented REST endpoints are used:
 * - GitHub: GET/POST /repos/{owner}/{repo}/issues/{number}/comments and
 *   PATCH /repos/{owner}/{repo}/issues/comments/{id} (a pull request is an issue), with
 *   `Authorization: Bearer`, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version: 2022-11-28`;
 * - GitLab: GET/POST /projects/:id/merge_requests/:iid/notes and
 *   PUT /projects/:id/merge_requests/:iid/notes/:note_id, with `PRIVATE-TOKEN` or `JOB-TOKEN`.
 * Listing follows the `Link: rel="next"` header (and GitLab's `x-next-page`). Nothing here
 * throws: a missing token or an unreachable API comes back as a problem the report states.
 */
import { errorMessage } from '../errors.js';
import { githubPullRequest } from './vcs.js';
import { REPORT_MARKER } from './report.js';

export type CommentTarget = 'github' | 'gitlab';

export interface CommentOutcome {
  action: 'created' | 'updated' | null;
  id: string | null;
  url: string | null;
  /** Why nothing was posted, in words a user can act on. */
  problem: string | null;
}

type Env = Record<string, string | undefined>;

/** GitHub refuses comments over 65,536 characters. */
const MAX_BODY = 65_000;
const TIMEOUT_MS = 20_000;
const MAX_PAGES = 50;

export async function postComment(target: CommentTarget, body: string, options: { env?: Env } = {}): Promise<CommentOutcome> {
  const env = options.env ?? process.env;
  const text = body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n… (cut: the full report is report.md in the job's artifacts)\n` : body;
  try {
    return target === 'github' ? await github(text, env) : await gitlab(text, env);
  } catch (e) {
    return failed(`the ${target === 'github' ? 'GitHub' : 'GitLab'} API could not be reached: ${errorMessage(e)}${e instanceof Error && e.cause ? ` (${errorMessage(e.cause)})` : ''}`);
  }
}

function failed(problem: string): CommentOutcome {
  return { action: null, id: null, url: null, problem };
}

async function github(body: string, env: Env): Promise<CommentOutcome> {
  const token = env.GITHUB_TOKEN;
  if (!token) return failed('no comment posted: GITHUB_TOKEN is not set (pass `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` to the step, with `pull-requests: write` permission)');
  if (!env.GITHUB_REPOSITORY) return failed('no comment posted: GITHUB_REPOSITORY is not set (is this a GitHub Actions job?)');
  const number = githubPullRequest(env);
  if (!number) return failed('no comment posted: this run is not for a pull request (no pull_request in GITHUB_EVENT_PATH, GITHUB_REF is not refs/pull/<n>/merge)');
  const base = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  const headers = {
    Authorization: `Bearer ${token}`,
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'sluice-ci',
  };
  const repo = env.GITHUB_REPOSITORY.split('/').map(encodeURIComponent).join('/');
  const list = `${base}/repos/${repo}/issues/${number}/comments?per_page=100`;
  const existing = await findMarked(list, headers, 'GitHub');
  if (typeof existing === 'string') return failed(existing);
  const send = existing
    ? await call('PATCH', `${base}/repos/${repo}/issues/comments/${existing.id}`, headers, { body }, 'GitHub')
    : await call('POST', `${base}/repos/${repo}/issues/${number}/comments`, headers, { body }, 'GitHub');
  if (typeof send === 'string') return failed(send);
  const out = send as { id?: unknown; html_url?: unknown };
  return { action: existing ? 'updated' : 'created', id: String(out.id ?? existing?.id ?? ''), url: typeof out.html_url === 'string' ? out.html_url : null, problem: null };
}

async function gitlab(body: string, env: Env): Promise<CommentOutcome> {
  const privateToken = env.SLUICE_GITLAB_TOKEN ?? env.GITLAB_TOKEN;
  const jobToken = env.CI_JOB_TOKEN;
  if (!privateToken && !jobToken) return failed('no comment posted: no GitLab token (set GITLAB_TOKEN to a project access token with the api scope, as a masked CI/CD variable)');
  if (!env.CI_API_V4_URL || !env.CI_PROJECT_ID) return failed('no comment posted: CI_API_V4_URL or CI_PROJECT_ID is not set (is this a GitLab CI job?)');
  const iid = env.CI_MERGE_REQUEST_IID;
  if (!iid) return failed('no comment posted: this pipeline is not for a merge request (CI_MERGE_REQUEST_IID is not set; run the job in merge request pipelines)');
  const base = env.CI_API_V4_URL.replace(/\/+$/, '');
  const headers: Record<string, string> = privateToken ? { 'PRIVATE-TOKEN': privateToken } : { 'JOB-TOKEN': jobToken as string };
  const notes = `${base}/projects/${encodeURIComponent(env.CI_PROJECT_ID)}/merge_requests/${encodeURIComponent(iid)}/notes`;
  const existing = await findMarked(`${notes}?per_page=100&sort=asc&order_by=created_at`, headers, 'GitLab');
  if (typeof existing === 'string') return failed(existing);
  const send = existing ? await call('PUT', `${notes}/${existing.id}`, headers, { body }, 'GitLab') : await call('POST', notes, headers, { body }, 'GitLab');
  if (typeof send === 'string') return failed(send);
  const out = send as { id?: unknown };
  const url = env.CI_MERGE_REQUEST_PROJECT_URL && out.id !== undefined ? `${env.CI_MERGE_REQUEST_PROJECT_URL}/-/merge_requests/${iid}#note_${String(out.id)}` : null;
  return { action: existing ? 'updated' : 'created', id: String(out.id ?? existing?.id ?? ''), url, problem: null };
}

/** Pages through the comments; the first one holding the marker, null if none, or a problem. */
async function findMarked(first: string, headers: Record<string, string>, platform: string): Promise<{ id: string } | null | string> {
  let url: string | null = first;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res: Response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) return await httpProblem(res, 'GET', platform);
    const items = (await res.json()) as { id?: unknown; body?: unknown }[];
    if (!Array.isArray(items)) return `${platform} answered the comment listing with something other than a list`;
    const found = items.find((c) => typeof c.body === 'string' && c.body.includes(REPORT_MARKER));
    if (found && found.id !== undefined) return { id: String(found.id) };
    url = nextPage(res, url);
  }
  return null;
}

function nextPage(res: Response, current: string): string | null {
  const link = res.headers.get('link');
  const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  if (m) return m[1];
  const next = res.headers.get('x-next-page');
  if (next && /^[0-9]+$/.test(next)) {
    const u = new URL(current);
    u.searchParams.set('page', next);
    return u.toString();
  }
  return null;
}

async function call(method: string, url: string, headers: Record<string, string>, body: unknown, platform: string): Promise<unknown> {
  const res = await fetch(url, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) return httpProblem(res, method, platform);
  return res.json();
}

async function httpProblem(res: Response, method: string, platform: string): Promise<string> {
  const text = (await res.text().catch(() => '')).slice(0, 300);
  const hint = res.status === 401 ? ' (the token is not valid)' : res.status === 403 ? ' (the token may not write comments: check its permissions)' : res.status === 404 ? ' (no such repository, project or pull request, or the token cannot see it)' : '';
  return `no comment posted: ${platform} answered ${method} with HTTP ${res.status}${hint}${text ? `: ${text}` : ''}`;
}
