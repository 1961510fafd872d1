#!/usr/bin/env node
/**
 * The `sluice` command. Thin: it parses arguments, calls the parts, and prints. Every command
 * takes --json for scripts. Exit codes are documented in docs/cli.md and come from the error
 * table in src/errors.ts.
 */
import { Command, CommanderError } from 'commander';
import { SluiceError, errorMessage, isSluiceError } from '../errors.js';
import { c, printJson } from './output.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: the server, the model server and
 * the deployment router bring fastify and prom-client, which a cached `sluice run` should not
 * pay for at start-up. Help (or an unknown command) loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: () => import('./commands/init.js').then((m) => m.registerInitCommand),
  run: () => import('./commands/run.js').then((m) => m.registerRunCommand),
  logs: () => import('./commands/logs.js').then((m) => m.registerLogsCommand),
  runs: () => import('./commands/runs.js').then((m) => m.registerRunsCommands),
  models: () => Promise.all([import('./commands/models.js'), import('./commands/models-tag.js')]).then(([m, t]) => (p: Command) => (m.registerModelCommands(p), t.registerModelTagCommand(p))),
  datasets: () => import('./commands/datasets.js').then((m) => m.registerDatasetCommands),
  data: () => import('./commands/data.js').then((m) => m.registerDataInfer),
  schema: () => import('./commands/schema.js').then((m) => m.registerSchemaCommand),
  exp: () => import('./commands/exp.js').then((m) => m.registerExperimentCommands),
  server: () => import('./commands/server.js').then((m) => m.registerServerCommand),
  serve: () => import('./commands/serve.js').then((m) => m.registerServeCommand),
  deploy: () => import('./commands/deploy.js').then((m) => m.registerDeployCommands),
  rollback: () => import('./commands/deploy.js').then((m) => m.registerDeployCommands),
  env: () => import('./commands/env.js').then((m) => m.registerEnvCommands),
  ci: () => import('./commands/ci.js').then((m) => m.registerCiCommand),
  check: () => import('./commands/check.js').then((m) => m.registerCheckCommand),
  monitor: () => import('./commands/monitor.js').then((m) => m.registerMonitorCommands),
  alerts: () => import('./commands/alerts.js').then((m) => m.registerAlertsCommands),
  trigger: () => import('./commands/trigger.js').then((m) => m.registerTriggerCommands),
  triggers: () => import('./commands/trigger.js').then((m) => m.registerTriggerCommands),
  drift: () => import('./commands/drift.js').then((m) => m.registerDriftCommand),
};

/** The command named on the command line, skipping the global options. */
function requestedCommand(argv: string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-C' || a === '--project') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('sluice')
    .description('Continuous delivery for machine learning: data → train → evaluate → gate → register.')
    .version('0.1.0')
    .option('-C, --project <dir>', 'project folder (default: the current folder)', '.')
    .showHelpAfterError()
    .exitOverride()
    // Like `git -C`: everything runs as if started in that folder, so relative paths given to
    // any command (--write, --html, files) are relative to the project.
    .hook('preAction', (root) => {
      const dir = (root.opts() as { project?: string }).project;
      if (dir && dir !== '.') {
        try {
          process.chdir(dir);
        } catch {
          throw new SluiceError('CONFIG_NOT_FOUND', `Cannot enter the project folder ${dir}`, { hint: 'Check the path given to -C.' });
        }
        root.setOptionValue('project', '.');
      }
    });
  const name = requestedCommand(argv);
  const loaders = name && COMMANDS[name] ? [COMMANDS[name]] : [...new Set(Object.values(COMMANDS))];
  const registered = new Set<Register>();
  for (const register of await Promise.all(loaders.map((load) => load()))) {
    if (registered.has(register)) continue;
    registered.add(register);
    register(program);
  }
  return program;
}

async function main(): Promise<void> {
  const program = await buildProgram();
  const wantsJson = process.argv.includes('--json');
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; a usage error is exit code 2.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    reportError(e, wantsJson);
  }
}

export function reportError(e: unknown, json: boolean): void {
  const err = isSluiceError(e) ? e : new SluiceError('INTERNAL', errorMessage(e), { cause: e });
  if (json) printJson({ error: err.toJSON() });
  else {
    const lines = [`${c.red('error:')} ${err.message}`];
    if (err.where) lines.push(`  ${c.dim('at:')}   ${err.where}`);
    if (err.hint) lines.push(`  ${c.dim('hint:')} ${err.hint}`);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) lines.push(c.dim(e.stack));
    process.stderr.write(`${lines.join('\n')}\n`);
  }
  process.exitCode = err.exitCode;
}

await main();
