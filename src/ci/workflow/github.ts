/** `.github/workflows/sluice.yml`: one job, so the steps share the runner's store and files. */
import { q, type WorkflowOptions } from './index.js';

export function githubWorkflow(o: WorkflowOptions): string {
  const model = '${{ steps.ci.outputs.model }}';
  const hasModel = "steps.ci.outputs.model != ''";
  const checks = o.checks.filter((c) => c.stage === 'check').map((c) => c.name);
  const install =
    o.install === 'npm-ci'
      ? ['npm ci']
      : ['# No package-lock.json: Sluice is installed on its own. Add it to package.json to pin it.', 'npm install --no-save --no-package-lock sluice'];
  const lines = [
    `# Sluice CI for ${o.project}, written by \`sluice init --ci github\` (see docs/ci.md). Edit freely.`,
    '# Try it before pushing: `npx sluice ci --local`.',
    'name: sluice',
    '',
    'on:',
    '  pull_request:',
    '  push:',
    `    branches: [${q(o.mainBranch)}]`,
    '',
    'permissions:',
    '  contents: read',
    '  # The report is one pull-request comment (the issues API), updated on every run.',
    '  pull-requests: write',
    '  issues: write',
    '',
    'concurrency:',
    '  group: sluice-${{ github.ref }}',
    '  cancel-in-progress: true',
    '',
    'env:',
    '  # The team set-up: a shared metadata store (a repository secret, postgres://...), so the',
    '  # champion and the runs on the main branch are known to every job. Without it the store is',
    '  # the .sluice/ folder, carried between runs by the cache below.',
    '  SLUICE_DATABASE_URL: ${{ secrets.SLUICE_DATABASE_URL }}',
    '  SLUICE_ACTOR: ${{ github.actor }}',
    '',
    'jobs:',
    '  sluice:',
    '    name: checks, pipeline, report, package, integration tests',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 20',
    ...(o.python
      ? ['      - uses: actions/setup-python@v5', '        with:', "          python-version: '3.11'", '      - name: Python requirements', '        run: pip install -r requirements.txt']
      : []),
    '      - name: Install Sluice',
    '        run: |',
    ...install.map((l) => `          ${l}`),
    '          echo "$PWD/node_modules/.bin" >> "$GITHUB_PATH"',
    '      - uses: actions/cache@v4',
    '        with:',
    '          path: .sluice',
    '          key: sluice-${{ github.head_ref || github.ref_name }}-${{ github.run_id }}',
    '          restore-keys: |',
    '            sluice-${{ github.head_ref || github.ref_name }}-',
    `            sluice-${o.mainBranch}-`,
    checks.length
      ? `      # The checks declared in sluice.yaml (${checks.join(', ')}); a failure is reported by \`sluice ci\`, which then fails the job.`
      : "      # No checks are declared yet: add linters, type checks and tests under `checks:` in sluice.yaml.",
    '      - name: Static checks, type checks and unit tests',
    '        run: sluice check',
    '        continue-on-error: true',
    '      - name: Pipeline, gates and report against the champion',
    '        id: ci',
    ...run(`sluice ci --comment github --out ${q(o.reportDir)}`),
    '        env:',
    '          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
    '      - name: Keep the report',
    '        if: always()',
    '        uses: actions/upload-artifact@v4',
    '        with:',
    '          name: sluice-ci-report',
    `          path: ${o.reportDir}/`,
  ];
  if (o.registers) {
    lines.push(
      '      - name: Build the model package',
      `        if: ${hasModel}`,
      ...run(`sluice ci package "${model}" --out model-package`),
      '      - name: Keep the model package',
      `        if: ${hasModel}`,
      '        uses: actions/upload-artifact@v4',
      '        with:',
      '          name: model-package',
      '          path: model-package/',
      '      - name: Integration tests against an ephemeral model server',
      `        if: ${hasModel}`,
      ...run(`sluice check --stage integration --ephemeral "${model}"`),
      '      - name: Tag the model version tested',
      `        if: ${hasModel}`,
      ...run(`sluice models tag "${model}" tested --reason "CI run \${{ github.run_id }}: gates and integration tests passed"`),
    );
    if (o.staging) {
      lines.push(
        `      # The ${o.staging} router (\`sluice env serve --env ${o.staging}\`) must be reachable from the runner.`,
        `      - name: Deploy to ${o.staging}`,
        `        if: ${hasModel} && github.ref == 'refs/heads/${o.mainBranch}'`,
        ...run(`sluice deploy "${model}" --env ${o.staging} --reason "CI run \${{ github.run_id }} on ${o.mainBranch}"`),
      );
    } else lines.push('      # No `staging` environment in sluice.yaml: declare one to deploy there from the main branch.');
  } else lines.push('      # The project registers no model (`register:` in sluice.yaml): no package, integration tests, tag or deploy.');
  return `${lines.join('\n')}\n`;
}

/** A step's command as a literal block: no quoting rule of YAML can bite (`: `, `#`, quotes). */
function run(command: string): string[] {
  return ['        run: |', `          ${command}`];
}
