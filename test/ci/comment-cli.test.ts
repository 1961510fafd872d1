import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/ci/report.js';
import { sluiceAsync } from '../helpers/cli.js';
import { GITLAB_TOKEN, startFakePlatform, type FakePlatform } from './_platform.js';
import { git, tinyProject } from './_tiny.js';

let platform: FakePlatform;
beforeAll(async () => {
  platform = await startFakePlatform();
});
afterAll(async () => {
  await platform.close();
});

describe('sluice ci --comment gitlab', () => {
  it('posts one merge-request note and updates it on the next pipeline; an unreachable API changes nothing else', async () => {
    const dir = tinyProject();
    git(dir, ['checkout', '-q', '-b', 'fix-features']);
    const env = (api: string) => ({
      GITLAB_CI: 'true',
      CI_API_V4_URL: `${api}/api/v4`,
      CI_PROJECT_ID: 'acme/tiny',
      CI_MERGE_REQUEST_IID: '9',
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'fix-features',
      CI_COMMIT_SHA: git(dir, ['rev-parse', 'HEAD']),
      GITLAB_TOKEN,
    });
    const first = await sluiceAsync(dir, ['ci', '--sample', '--comment', 'gitlab', '--json'], env(platform.url));
    expect(first.code, first.stderr).toBe(0);
    const out1 = JSON.parse(first.stdout) as { comment: { action: string; id: string }; context: { platform: string; pullRequest: string } };
    expect(out1.context).toMatchObject({ platform: 'gitlab', pullRequest: '9' });
    expect(out1.comment.action).toBe('created');
    // The project id is a path here: it is sent URL-encoded, as GitLab documents.
    expect(platform.requests.some((r) => r.path.startsWith('/api/v4/projects/acme%2Ftiny/merge_requests/9/notes'))).toBe(true);
    const second = await sluiceAsync(dir, ['ci', '--sample', '--comment', 'gitlab', '--json'], env(platform.url));
    expect(second.code, second.stderr).toBe(0);
    expect((JSON.parse(second.stdout) as { comment: { action: string; id: string } }).comment).toMatchObject({ action: 'updated', id: out1.comment.id });
    const notes = platform.threads.get('gitlab:acme/tiny!9')!;
    expect(notes).toHaveLength(1);
    expect(notes[0].body.startsWith(REPORT_MARKER)).toBe(true);
    expect(notes[0].body).toContain('merge request !9');
    expect(platform.violations).toEqual([]);

    const down = await startFakePlatform();
    await down.close();
    const third = await sluiceAsync(dir, ['ci', '--sample', '--comment', 'gitlab', '--json'], env(down.url));
    expect(third.code).toBe(0);
    const out3 = JSON.parse(third.stdout) as { comment: { action: null; problem: string }; outcome: string };
    expect(out3.comment.problem).toMatch(/could not be reached/);
    expect(out3.outcome).not.toBe('fail');
  });
});
