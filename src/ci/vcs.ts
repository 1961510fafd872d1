/**
 * Where a CI run happens: the platform, the git branch and commit, and the pull or merge request,
 * from the variables GitHub Actions and GitLab CI set, else from `git` itself.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type Platform = 'github' | 'gitlab' | 'local';

export interface CiContext {
  platform: Platform;
  branch: string | null;
  commit: string | null;
  /** The pull request number (GitHub) or merge request iid (GitLab), when the run is for one. */
  pullRequest: string | null;
}

type Env = Record<string, string | undefined>;

export function detectContext(dir: string, env: Env = process.env): CiContext {
  if (env.GITHUB_ACTIONS === 'true') {
    // On a pull_request event GITHUB_REF_NAME is `<n>/merge`; the source branch is GITHUB_HEAD_REF.
    const branch = nonEmpty(env.GITHUB_HEAD_REF) ?? nonEmpty(env.GITHUB_REF_NAME) ?? git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']);
    return { platform: 'github', branch, commit: nonEmpty(env.GITHUB_SHA) ?? git(dir, ['rev-parse', 'HEAD']), pullRequest: githubPullRequest(env) };
  }
  if (env.GITLAB_CI === 'true') {
    const branch = nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME) ?? nonEmpty(env.CI_COMMIT_BRANCH) ?? nonEmpty(env.CI_COMMIT_REF_NAME) ?? git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']);
    return { platform: 'gitlab', branch, commit: nonEmpty(env.CI_COMMIT_SHA) ?? git(dir, ['rev-parse', 'HEAD']), pullRequest: nonEmpty(env.CI_MERGE_REQUEST_IID) };
  }
  const branch = git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return { platform: 'local', branch: branch === 'HEAD' ? null : branch, commit: git(dir, ['rev-parse', 'HEAD']), pullRequest: null };
}

/** The pull request number: from the event payload (GITHUB_EVENT_PATH), else from `refs/pull/<n>/merge`. */
export function githubPullRequest(env: Env): string | null {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
      const n = event.pull_request?.number ?? (event.pull_request ? event.number : undefined);
      if (typeof n === 'number' || (typeof n === 'string' && /^[0-9]+$/.test(n))) return String(n);
    } catch {
      // An unreadable payload: fall back on the ref.
    }
  }
  const m = /^refs\/pull\/([0-9]+)\//.exec(env.GITHUB_REF ?? '');
  return m ? m[1] : null;
}

function nonEmpty(v: string | undefined): string | null {
  return v && v.trim() ? v.trim() : null;
}

function git(dir: string, args: string[]): string | null {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}
