/**
 * CI workflow files for a user's project (`sluice init --ci github|gitlab`): the project's
 * declared checks, `sluice ci` with the pull-request comment, the model package as an artifact,
 * integration tests against an ephemeral model server, the `tested` tag and, on the main branch,
 * a deployment to staging. Built from the project's config, so a step that cannot apply (no
 * registered model, no staging environment) is left out with a comment saying how to add it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../../config/index.js';
import { githubWorkflow } from './github.js';
import { gitlabWorkflow } from './gitlab.js';

export type WorkflowPlatform = 'github' | 'gitlab';

export interface WorkflowOptions {
  project: string;
  mainBranch: string;
  reportDir: string;
  checks: { name: string; stage: string }[];
  /** The project registers a model: package, integration tests, tag and deploy apply. */
  registers: boolean;
  /** The environment deployed to on the main branch, when declared. */
  staging: string | null;
  /** How Sluice gets onto the runner. */
  install: 'npm-ci' | 'npm-install';
  /** requirements.txt exists: set up Python and install it for the checks and command steps. */
  python: boolean;
}

export function workflowPath(platform: WorkflowPlatform): string {
  return platform === 'github' ? join('.github', 'workflows', 'sluice.yml') : '.gitlab-ci.yml';
}

export function workflowOptions(config: ProjectConfig, dir: string): WorkflowOptions {
  return {
    project: config.project,
    mainBranch: config.ci.main_branch,
    reportDir: config.ci.report_dir,
    checks: config.checks.map((c) => ({ name: c.name, stage: c.stage })),
    registers: config.register !== undefined,
    staging: config.environments.staging ? 'staging' : null,
    install: existsSync(join(dir, 'package-lock.json')) ? 'npm-ci' : 'npm-install',
    python: existsSync(join(dir, 'requirements.txt')),
  };
}

export function workflowFor(platform: WorkflowPlatform, options: WorkflowOptions): string {
  return platform === 'github' ? githubWorkflow(options) : gitlabWorkflow(options);
}

/** A YAML double-quoted scalar. */
export function q(text: string): string {
  return JSON.stringify(text);
}
