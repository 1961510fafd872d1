/** `.gitlab-ci.yml`: merge request and main-branch pipelines; the deploy job only on the main branch. */
import { q, type WorkflowOptions } from './index.js';

export function gitlabWorkflow(o: WorkflowOptions): string {
  const checks = o.checks.filter((c) => c.stage === 'check').map((c) => c.name);
  const main = q(o.mainBranch);
  const lines = [
    `# Sluice CI for ${o.project}, written by \`sluice init --ci gitlab\` (see docs/ci.md). Edit freely.`,
    '# Try it before pushing: `npx sluice ci --local`.',
    '# The merge request comment needs GITLAB_TOKEN: a project access token (api scope) as a masked variable.',
    '# The team set-up: SLUICE_DATABASE_URL (postgres://...) as a masked variable, so every job sees one store.',
    'stages: [test, deploy]',
    '',
    'workflow:',
    '  rules:',
    '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
    `    - if: $CI_COMMIT_BRANCH == ${main}`,
    '',
    'variables:',
    '  SLUICE_ACTOR: $GITLAB_USER_LOGIN',
    '',
    'default:',
    '  image: node:20-bookworm',
    '  cache:',
    '    key: sluice-$CI_COMMIT_REF_SLUG',
    '    paths: [.sluice/]',
    '  before_script:',
    ...(o.install === 'npm-ci' ? ['    - npm ci'] : ['    # No package-lock.json: Sluice is installed on its own.', '    - npm install --no-save --no-package-lock sluice']),
    ...(o.python ? ['    - apt-get update -qq && apt-get install -y -qq python3-pip', '    - pip install --break-system-packages -r requirements.txt'] : []),
    '    - export PATH="$PWD/node_modules/.bin:$PATH"',
    '',
    'sluice:',
    '  stage: test',
    '  script:',
    checks.length ? `    # The checks declared in sluice.yaml (${checks.join(', ')}); sluice ci reports a failure and fails the job.` : '    # No checks are declared yet: add linters, type checks and tests under `checks:` in sluice.yaml.',
    '    - sluice check || echo "A check failed; sluice ci reports it."',
    `    - sluice ci --comment gitlab --out ${q(o.reportDir)}`,
  ];
  if (o.registers) {
    lines.push(
      `    - . ${o.reportDir}/model.env`,
      '    - sluice ci package "$SLUICE_MODEL" --out model-package',
      '    - sluice check --stage integration --ephemeral "$SLUICE_MODEL"',
      '    - sluice models tag "$SLUICE_MODEL" tested --reason "CI pipeline $CI_PIPELINE_ID: gates and integration tests passed"',
    );
  } else lines.push('    # The project registers no model (`register:` in sluice.yaml): no package, integration tests, tag or deploy.');
  lines.push('  artifacts:', '    when: always', `    paths: [${q(`${o.reportDir}/`)}${o.registers ? ', model-package/' : ''}]`);
  if (o.registers) lines.push('    reports:', `      dotenv: ${o.reportDir}/model.env`);
  if (o.registers && o.staging) {
    lines.push(
      '',
      `# The ${o.staging} router (\`sluice env serve --env ${o.staging}\`) must be reachable from the runner.`,
      `deploy-${o.staging}:`,
      '  stage: deploy',
      '  needs: [sluice]',
      '  rules:',
      `    - if: $CI_COMMIT_BRANCH == ${main}`,
      '  environment:',
      `    name: ${o.staging}`,
      '  script:',
      `    - sluice deploy "$SLUICE_MODEL" --env ${o.staging} --reason "CI pipeline $CI_PIPELINE_ID on ${o.mainBranch}"`,
    );
  } else if (o.registers) lines.push('', '# No `staging` environment in sluice.yaml: declare one to deploy there from the main branch.');
  // Script lines are double-quoted scalars: a `: ` or ` #` in a command must not change its meaning.
  return `${lines.map((l) => l.replace(/^(\s+- )(sluice .*|\. .*)$/, (_, dash: string, cmd: string) => `${dash}${q(cmd)}`)).join('\n')}\n`;
}
