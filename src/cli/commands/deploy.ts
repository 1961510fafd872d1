import type { Command } from 'commander';
import { SluiceError } from '../../errors.js';
import { getModelVersion, parseModelRef, setModelVersionTag } from '../../registry/index.js';
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

/** `sluice deploy`, `sluice rollback` (through the environment's running router) and `sluice models tag`. */
export function registerDeployCommands(program: Command): void {
  program
    .command('deploy <model>')
    .description('deploy a model version to an environment whose router runs (`sluice env serve`): health and smoke checks, then the strategy')
    .requiredOption('--env <name>', 'environment from sluice.yaml')
    .option('--strategy <strategy>', 'direct, bluegreen or canary', 'bluegreen')
    .option('--reason <text>', 'why, recorded on the revision and the alias move')
    .option('--json', 'print the revision as JSON')
    .action(async (ref: string, opts: { env: string; strategy: string; reason?: string; json?: boolean }, cmd: Command) => {
      if (!['direct', 'bluegreen', 'canary', 'shadow'].includes(opts.strategy)) throw new SluiceError('USAGE', `Unknown strategy '${opts.strategy}'`, { hint: 'Use direct, bluegreen or canary.' });
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
  const models = program.commands.find((m) => m.name() === 'models');
  models
    ?.command('tag <ref> <key> [value]')
    .description('tag a model version, e.g. `sluice models tag income@3 tested` after its integration tests pass')
    .option('--reason <text>', 'why, recorded in the registry history')
    .option('--json', 'print as JSON')
    .action(async (ref: string, key: string, value: string | undefined, opts: { reason?: string; json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const { name, versionOrAlias } = parseModelRef(ref);
        const mv = await getModelVersion(project.store.db, name, versionOrAlias);
        await setModelVersionTag(project.store.db, { name, version: mv.version, key, value: value ?? 'true', actor: actor(), reason: opts.reason });
        if (opts.json) return printJson({ model: name, version: mv.version, key, value: value ?? 'true' });
        console.log(`Tagged ${name}@${mv.version} ${key}=${value ?? 'true'}`);
      });
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
  else process.stderr.write(`${c.red('✗')} revision ${revision.id}: ${revision.model}@${revision.version} not deployed to ${revision.environment}: ${revision.detail.error ?? revision.status}\n`);
  if (revision.status !== 'applied') process.exitCode = 6;
}
