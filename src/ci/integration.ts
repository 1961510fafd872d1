/**
 * Integration checks against an ephemeral model server (what `sluice env up --ephemeral` starts):
 * its health, the smoke tests declared for the project's environments, and the declared checks
 * of stage `integration`, which find the server in SLUICE_MODEL_URL.
 */
import type { Project } from '../project.js';
import { runChecks, type CheckResult } from './checks.js';

export async function runIntegration(project: Project, model: string, options: { only?: string[]; log?: (line: string) => void } = {}): Promise<CheckResult[]> {
  const log = options.log ?? (() => {});
  const [{ startModelServer }, { healthCheck, runSmokeTests }] = await Promise.all([import('../serving/index.js'), import('../deploy/index.js')]);
  const server = await startModelServer({ model, project, port: 0, route: 'ephemeral' });
  log(`ephemeral model server for ${server.model.name}@${server.model.version} at ${server.url}`);
  try {
    const results: CheckResult[] = [];
    const timed = async (name: string, command: string, fn: () => Promise<{ passed: boolean; message: string }>) => {
      const startedAt = Date.now();
      const t0 = performance.now();
      const r = await fn();
      const result: CheckResult = { name, stage: 'integration', command, status: r.passed ? 'passed' : 'failed', exitCode: null, durationMs: Math.round(performance.now() - t0), outputTail: r.message, startedAt };
      log(`check ${name}: ${result.status}${r.passed ? '' : ` (${r.message})`}`);
      results.push(result);
    };
    const wanted = (name: string) => !options.only?.length || options.only.includes(name);
    if (wanted('health')) await timed('health', `GET ${server.url}/v2/health/ready`, () => healthCheck(server.url));
    const seen = new Set<string>();
    for (const [env, config] of Object.entries(project.config.environments)) {
      for (const [i, test] of config.smoke.entries()) {
        const name = `smoke: ${test.name ?? `${env} ${i + 1}`}`;
        if (seen.has(name) || !wanted(name)) continue;
        seen.add(name);
        await timed(name, `POST ${test.path} (environments.${env}.smoke)`, async () => (await runSmokeTests(server.url, [test]))[0]);
      }
    }
    const declared = project.config.checks.filter((c) => c.stage === 'integration' && wanted(c.name));
    results.push(
      ...(await runChecks(declared, {
        dir: project.dir,
        env: { SLUICE_MODEL_URL: server.url, SLUICE_MODEL: `${server.model.name}@${server.model.version}` },
        onStart: (c) => log(`check ${c.name}: ${c.run}`),
        onEnd: (r) => log(`check ${r.name}: ${r.status} in ${(r.durationMs / 1000).toFixed(1)} s`),
      })),
    );
    return results;
  } finally {
    await server.close();
  }
}
