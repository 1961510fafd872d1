import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { incomeProject, repoRoot, sluice, sluiceJson, tempDir } from '../helpers/cli.js';

/** GitHub's own parser and schema for workflow files: the errors it reports. */
function githubErrors(content: string): string[] {
  const result = parseWorkflow({ name: 'sluice.yml', content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

const gitlabSchema = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'ci', 'gitlab-ci.schema.json'), 'utf8')) as object;
const validateGitlab = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(gitlabSchema);
function gitlabErrors(content: string): string[] {
  return validateGitlab(parse(content)) ? [] : (validateGitlab.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('sluice init --ci', () => {
  it('writes a GitHub workflow for the income example that GitHub\'s parser accepts, with every stage', () => {
    const dir = incomeProject();
    const project = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    const r = sluiceJson<{ files: string[] }>(dir, ['init', '--ci', 'github']);
    expect(r.code).toBe(0);
    const file = join(dir, '.github', 'workflows', 'sluice.yml');
    expect(r.data.files).toEqual([file]);
    const text = readFileSync(file, 'utf8');
    expect(githubErrors(text)).toEqual([]);
    const steps = (parse(text) as { jobs: { sluice: { steps: { name?: string; run?: string; if?: string }[] } } }).jobs.sluice.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('sluice check\n');
    expect(runs).toContain('sluice ci --comment github');
    expect(runs).toContain('sluice ci package "${{ steps.ci.outputs.model }}"');
    expect(runs).toContain('sluice check --stage integration --ephemeral');
    expect(runs).toContain('sluice models tag "${{ steps.ci.outputs.model }}" tested');
    expect(steps.find((s) => s.name === 'Deploy to staging')?.if).toBe("steps.ci.outputs.model != '' && github.ref == 'refs/heads/main'");
    // The project file was left alone, and a second write is refused without --force.
    expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toBe(project);
    const again = sluice(dir, ['init', '--ci', 'github']);
    expect(again.code).toBe(9);
    expect(again.stderr).toMatch(/already exists/);
    expect(sluice(dir, ['init', '--ci', 'github', '--force']).code).toBe(0);
  });

  it('writes a .gitlab-ci.yml that validates against GitLab\'s published CI schema', () => {
    const dir = incomeProject();
    expect(sluice(dir, ['init', '--ci', 'gitlab']).code).toBe(0);
    const text = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8');
    expect(gitlabErrors(text)).toEqual([]);
    const doc = parse(text) as Record<string, { script?: string[]; rules?: { if: string }[]; stage?: string }>;
    expect(doc.sluice.script).toContain('sluice ci --comment gitlab --out "sluice-ci"');
    expect(doc.sluice.script).toContain('sluice models tag "$SLUICE_MODEL" tested --reason "CI pipeline $CI_PIPELINE_ID: gates and integration tests passed"');
    expect(doc['deploy-staging'].rules).toEqual([{ if: '$CI_COMMIT_BRANCH == "main"' }]);
  });

  it('scaffolds a new project and its workflow in one go; a project without register gets no package steps', () => {
    const parent = tempDir();
    const dir = join(parent, 'churn');
    const r = sluiceJson<{ files: string[] }>(parent, ['init', 'churn', '--ci', 'gitlab']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'sluice.yaml'))).toBe(true);
    expect(gitlabErrors(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'))).toEqual([]);
    const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8').replace(/\nregister:[\s\S]*$/, '\n');
    writeFileSync(join(dir, 'sluice.yaml'), yaml);
    expect(sluice(dir, ['init', '--ci', 'github']).code).toBe(0);
    const gh = readFileSync(join(dir, '.github', 'workflows', 'sluice.yml'), 'utf8');
    expect(githubErrors(gh)).toEqual([]);
    expect(gh).not.toContain('sluice ci package');
    expect(gh).toContain('registers no model');
  });

  it('the validators do reject broken files (so the checks above can fail)', () => {
    expect(githubErrors('name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n').length).toBeGreaterThan(0);
    expect(gitlabErrors('job:\n  scripts: ["echo hi"]\n').length).toBeGreaterThan(0);
    expect(gitlabErrors('job:\n  script: ["echo hi"]\n  when: sometimes\n').length).toBeGreaterThan(0);
  });

  it('refuses an unknown platform with a usage error', () => {
    const r = sluice(incomeProject(), ['init', '--ci', 'jenkins']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown CI platform 'jenkins'/);
  });
});
