import type { Command } from 'commander';
import { SluiceError } from '../../errors.js';
import { getModelVersion, parseModelRef } from '../../registry/index.js';
import { withProject } from '../context.js';
import { c, printJson } from '../output.js';

const actor = () => process.env.SLUICE_ACTOR ?? process.env.USER ?? 'sluice';

interface RevisionOut {
  id: number;
  environment: string;
  model: string;
  version: number;
  strategy: string;
  status: string;
  traffic: unknown[];
  detail: { error?: string };
}

/** `sluice deploy` and `sluice rollback`, through the environment's running router (`sluice env serve`). */
export function registerDeployCommands(program: Command): void {
  program
    .command('deploy <model>')
    .description('deploy a model version to an environment whose router runs (`sluice env serve`): health and smoke checks, then the strategy')
    .requiredOption('--env <name>', 'environment from sluice.yaml')
    .option('--strategy <strategy>', 'direct, bluegreen, canary or shadow', 'bluegreen')
    .option('--reason <text>', 'why, recorded on the revision and the alias move')
    .option('--render <target>', 'write manifests instead of deploying: k8s (Deployment and Service per revision, an HTTPRoute splitting traffic)')
    .option('--image <image>', 'container image for --render k8s')
    .option('--json', 'print the revision as JSON')
    .action(async (ref: string, opts: { env: string; strategy: string; reason?: string; render?: string; image?: string; json?: boolean }, cmd: Command) => {
      if (!['direct', 'bluegreen', 'canary', 'shadow'].includes(opts.strategy)) throw new SluiceError('USAGE', `Unknown strategy '${opts.strategy}'`, { hint: 'Use direct, bluegreen, canary or shadow.' });
      if (opts.render !== undefined) return render(cmd, ref, opts);
      const revision = await withClient(cmd, opts.env, (client) => client.deploy({ model: ref, strategy: opts.strategy, actor: actor(), reason: opts.reason }));
      report(revision, opts.json);
    });
  program
    .command('rollback')
    .description('return an environment to its previous revision')
    .requiredOption('--env <name>', 'environment from sluice.yaml')
    .option('--reason <text>', 'why, recorded on the revision and the alias move')
    .option('--json', 'print the revision as JSON')
    .action(async (opts: { env: string; reason?: string; json?: boolean }, cmd: Command) => {
      const revision = await withClient(cmd, opts.env, (client) => client.rollback({ actor: actor(), reason: opts.reason }));
      report(revision, opts.json);
    });
}

async function withClient<T>(cmd: Command, env: string, fn: (client: ReturnType<typeof import('../../deploy/index.js').deployClient>) => Promise<T>): Promise<T> {
  const { deployClient, unknownEnvironment } = await import('../../deploy/index.js');
  const config = await withProject(cmd, async (project) => {
    const found = project.config.environments[env];
    if (!found) throw unknownEnvironment(project, env);
    return found;
  });
  return fn(deployClient(env, config));
}

function report(revision: RevisionOut, json?: boolean): void {
  if (json) printJson(revision);
  else if (revision.status === 'applied') console.log(`${c.green('✓')} revision ${revision.id}: ${revision.model}@${revision.version} serves ${revision.environment} (${revision.strategy})`);
  else if (revision.status === 'shadowing') console.log(`${c.green('✓')} revision ${revision.id}: ${revision.model}@${revision.version} shadows ${revision.environment} (see \`sluice env status --env ${revision.environment}\`)`);
  else process.stderr.write(`${c.red('✗')} revision ${revision.id}: ${revision.model}@${revision.version} not deployed to ${revision.environment}: ${revision.detail.error ?? revision.status}\n`);
  if (revision.status !== 'applied' && revision.status !== 'shadowing') process.exitCode = 6;
}

async function render(cmd: Command, ref: string, opts: { env: string; strategy: string; render?: string; image?: string }): Promise<void> {
  if (opts.render !== 'k8s') throw new SluiceError('USAGE', `Unknown render target '${opts.render}'`, { hint: 'Use --render k8s.' });
  const { currentRevision, manifestsToYaml, renderKubernetes, unknownEnvironment } = await import('../../deploy/index.js');
  const text = await withProject(cmd, async (project) => {
    const config = project.config.environments[opts.env];
    if (!config) throw unknownEnvironment(project, opts.env);
    const { name, versionOrAlias } = parseModelRef(ref);
    const mv = await getModelVersion(project.store.db, name, versionOrAlias);
    const stable = await currentRevision(project.store.db, opts.env);
    return manifestsToYaml(renderKubernetes({ environment: opts.env, config, strategy: opts.strategy as 'direct', next: { model: mv.name, version: mv.version }, stable, image: opts.image }));
  });
  process.stdout.write(text);
}
