import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectContext, githubPullRequest } from './vcs.js';

describe('detectContext()', () => {
  it('reads GitHub Actions: the PR source branch, the commit, the PR number from the event payload', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-vcs-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 41 } }));
    const ctx = detectContext(dir, { GITHUB_ACTIONS: 'true', GITHUB_HEAD_REF: 'feature', GITHUB_REF_NAME: '41/merge', GITHUB_SHA: 'abc', GITHUB_EVENT_PATH: join(dir, 'event.json') });
    expect(ctx).toEqual({ platform: 'github', branch: 'feature', commit: 'abc', pullRequest: '41' });
    expect(githubPullRequest({ GITHUB_REF: 'refs/pull/7/merge' })).toBe('7');
    expect(githubPullRequest({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: join(dir, 'missing.json') })).toBeNull();
  });

  it('reads GitLab CI: the merge request source branch and iid', () => {
    const ctx = detectContext(tmpdir(), { GITLAB_CI: 'true', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'fix', CI_COMMIT_REF_NAME: 'fix', CI_COMMIT_SHA: 'def', CI_MERGE_REQUEST_IID: '5' });
    expect(ctx).toEqual({ platform: 'gitlab', branch: 'fix', commit: 'def', pullRequest: '5' });
    expect(detectContext(tmpdir(), { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'main', CI_COMMIT_SHA: 'x' })).toMatchObject({ branch: 'main', pullRequest: null });
  });
});
