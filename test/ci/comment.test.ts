import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postComment } from '../../src/ci/comment.js';
import { REPORT_MARKER } from '../../src/ci/report.js';
import { GITHUB_TOKEN, GITLAB_TOKEN, startFakePlatform, type FakePlatform } from './_platform.js';

let platform: FakePlatform;
beforeAll(async () => {
  platform = await startFakePlatform();
});
afterAll(async () => {
  await platform.close();
});

function githubEnv(pr: number, extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-gh-event-'));
  const event = join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'synchronize', number: pr, pull_request: { number: pr, head: { ref: 'feature' } } }));
  return { GITHUB_ACTIONS: 'true', GITHUB_TOKEN, GITHUB_API_URL: platform.url, GITHUB_REPOSITORY: 'acme/income', GITHUB_EVENT_PATH: event, GITHUB_REF: `refs/pull/${pr}/merge`, ...extra };
}

const report = (n: number) => `${REPORT_MARKER}\n## Sluice CI: run ${n}\n`;

describe('GitHub pull-request comment', () => {
  it('creates one comment, then updates that same comment, past other comments on later pages', async () => {
    // 150 comments by people first: the listing needs two pages of 100.
    platform.threads.set('github:acme/income#7', Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `review comment ${i + 1}` })));
    const first = await postComment('github', report(1), { env: githubEnv(7) });
    expect(first).toMatchObject({ action: 'created', problem: null });
    const thread = () => platform.threads.get('github:acme/income#7')!;
    expect(thread()).toHaveLength(151);
    const before = platform.requests.length;
    const second = await postComment('github', report(2), { env: githubEnv(7) });
    expect(second).toMatchObject({ action: 'updated', id: first.id, problem: null });
    expect(thread()).toHaveLength(151);
    expect(thread().filter((c) => c.body.includes(REPORT_MARKER)).map((c) => c.body)).toEqual([report(2)]);
    // Two listing pages, then the PATCH of the marked comment.
    const calls = platform.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'GET /repos/acme/income/issues/7/comments?per_page=100',
      'GET /repos/acme/income/issues/7/comments?per_page=100&page=2',
      `PATCH /repos/acme/income/issues/comments/${first.id}`,
    ]);
    expect(platform.violations).toEqual([]);
  });

  it('finds the pull request from GITHUB_REF when there is no event payload', async () => {
    const env = githubEnv(8);
    delete env.GITHUB_EVENT_PATH;
    expect(await postComment('github', report(1), { env })).toMatchObject({ action: 'created' });
    expect(platform.threads.get('github:acme/income#8')).toHaveLength(1);
  });

  it('says why nothing was posted: no token, a bad token, no pull request, an unreachable API', async () => {
    const noToken = githubEnv(9);
    delete noToken.GITHUB_TOKEN;
    expect((await postComment('github', report(1), { env: noToken })).problem).toMatch(/GITHUB_TOKEN is not set/);
    expect((await postComment('github', report(1), { env: githubEnv(9, { GITHUB_TOKEN: 'wrong' }) })).problem).toMatch(/HTTP 401 \(the token is not valid\)/);
    const push = githubEnv(9, { GITHUB_REF: 'refs/heads/main' });
    delete push.GITHUB_EVENT_PATH;
    expect((await postComment('github', report(1), { env: push })).problem).toMatch(/not for a pull request/);
    // A port nothing listens on.
    const closed = await startFakePlatform();
    await closed.close();
    const down = await postComment('github', report(1), { env: githubEnv(9, { GITHUB_API_URL: closed.url }) });
    expect(down).toMatchObject({ action: null });
    expect(down.problem).toMatch(/could not be reached/);
    expect(platform.threads.get('github:acme/income#9')).toBeUndefined();
  });
});

describe('GitLab merge-request note', () => {
  const env = (extra: Record<string, string> = {}) => ({ GITLAB_CI: 'true', CI_API_V4_URL: `${platform.url}/api/v4`, CI_PROJECT_ID: '42', CI_MERGE_REQUEST_IID: '3', GITLAB_TOKEN, ...extra });

  it('creates one note, then updates it with PUT, paging with x-next-page/Link', async () => {
    platform.threads.set('gitlab:42!3', Array.from({ length: 120 }, (_, i) => ({ id: 5000 + i, body: `note ${i}` })));
    const first = await postComment('gitlab', report(1), { env: env() });
    expect(first).toMatchObject({ action: 'created', problem: null });
    const before = platform.requests.length;
    const second = await postComment('gitlab', report(2), { env: env() });
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const calls = platform.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v4/projects/42/merge_requests/3/notes?per_page=100&sort=asc&order_by=created_at',
      'GET /api/v4/projects/42/merge_requests/3/notes?per_page=100&sort=asc&order_by=created_at&page=2',
      `PUT /api/v4/projects/42/merge_requests/3/notes/${first.id}`,
    ]);
    expect(calls.every((r) => r.headers['private-token'] === GITLAB_TOKEN)).toBe(true);
    expect(platform.threads.get('gitlab:42!3')!.filter((c) => c.body.includes(REPORT_MARKER)).map((c) => c.body)).toEqual([report(2)]);
    expect(platform.violations).toEqual([]);
  });

  it('uses JOB-TOKEN when only CI_JOB_TOKEN is set, and explains a missing merge request', async () => {
    const jobOnly = env({ CI_JOB_TOKEN: GITLAB_TOKEN, CI_MERGE_REQUEST_IID: '4' }) as Record<string, string>;
    delete jobOnly.GITLAB_TOKEN;
    expect(await postComment('gitlab', report(1), { env: jobOnly })).toMatchObject({ action: 'created' });
    expect(platform.requests.at(-1)!.headers['job-token']).toBe(GITLAB_TOKEN);
    const noMr = env() as Record<string, string>;
    delete noMr.CI_MERGE_REQUEST_IID;
    expect((await postComment('gitlab', report(1), { env: noMr })).problem).toMatch(/not for a merge request/);
    const noToken = env() as Record<string, string>;
    delete noToken.GITLAB_TOKEN;
    expect((await postComment('gitlab', report(1), { env: noToken })).problem).toMatch(/no GitLab token/);
  });
});
