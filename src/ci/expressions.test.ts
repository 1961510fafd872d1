import { describe, expect, it } from 'vitest';
import { evalGithub, evalGitlab, interpolate, UnsupportedExpression } from './expressions.js';

const ctx = (values: Record<string, string | null>, status: 'success' | 'failure' = 'success') => ({
  lookup: (path: string) => (path in values ? values[path] : null),
  status,
});

describe('GitHub expressions, locally', () => {
  it('evaluates the conditions the generated workflow uses', () => {
    const c = ctx({ 'steps.ci.outputs.model': 'income@2', 'github.ref': 'refs/heads/main' });
    expect(evalGithub("steps.ci.outputs.model != '' && github.ref == 'refs/heads/main'", c)).toBe(true);
    expect(evalGithub("steps.ci.outputs.model != '' && github.ref == 'refs/heads/feature'", c)).toBe(false);
    expect(evalGithub("steps.other.outputs.model != ''", c)).toBe(false);
    expect(evalGithub('always()', ctx({}, 'failure'))).toBe(true);
    expect(evalGithub('success()', ctx({}, 'failure'))).toBe(false);
    expect(evalGithub("!(github.ref == 'x') || false", c)).toBe(true);
  });

  it('interpolates ${{ }} and refuses what it cannot evaluate', () => {
    const c = ctx({ 'steps.ci.outputs.model': 'income@2', 'github.head_ref': '', 'github.ref_name': 'main' });
    expect(interpolate('tag "${{ steps.ci.outputs.model }}" tested', c)).toBe('tag "income@2" tested');
    expect(interpolate('k-${{ github.head_ref || github.ref_name }}-', c)).toBe('k-main-');
    expect(() => evalGithub("contains(github.ref, 'x')", c)).toThrow(UnsupportedExpression);
  });
});

describe('GitLab rules, locally', () => {
  it('compares variables with strings', () => {
    const vars = { CI_COMMIT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'push' };
    expect(evalGitlab('$CI_COMMIT_BRANCH == "main"', vars)).toBe(true);
    expect(evalGitlab('$CI_PIPELINE_SOURCE == "merge_request_event"', vars)).toBe(false);
    expect(evalGitlab('$CI_MERGE_REQUEST_IID', vars)).toBe(false);
    expect(evalGitlab('$CI_MERGE_REQUEST_IID || $CI_COMMIT_BRANCH == "main"', vars)).toBe(true);
    expect(() => evalGitlab('$CI_COMMIT_BRANCH =~ /^feat/', vars)).toThrow(UnsupportedExpression);
    // GitLab compares case-sensitively; GitHub does not.
    expect(evalGitlab('$CI_COMMIT_BRANCH == "Main"', vars)).toBe(false);
    expect(evalGithub("github.ref_name == 'Main'", ctx({ 'github.ref_name': 'main' }))).toBe(true);
  });
});
