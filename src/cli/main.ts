#!/usr/bin/env node
/**
 * The `sluice` command. Thin: it parses arguments, calls the parts, and prints. Every command
 * takes --json for scripts. Exit codes are documented in docs/cli.md and come from the error
 * table in src/errors.ts.
 */
import { Command, CommanderError } from 'commander';
import { SluiceError, errorMessage, isSluiceError } from '../errors.js';
import { registerDeployCommands } from './commands/deploy.js';
import { registerEnvCommands } from './commands/env.js';
import { registerDataInfer } from './commands/data.js';
import { registerDatasetCommands } from './commands/datasets.js';
import { registerExperimentCommands } from './commands/exp.js';
import { registerInitCommand } from './commands/init.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerModelCommands } from './commands/models.js';
import { registerRunCommand } from './commands/run.js';
import { registerRunsCommands } from './commands/runs.js';
import { registerSchemaCommand } from './commands/schema.js';
import { registerServerCommand } from './commands/server.js';
import { registerServeCommand } from './commands/serve.js';
import { c, printJson } from './output.js';

export function buildProgram(): Command {
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
  registerInitCommand(program);
  registerRunCommand(program);
  registerLogsCommand(program);
  registerRunsCommands(program);
  registerModelCommands(program);
  registerDatasetCommands(program);
  registerDataInfer(program);
  registerSchemaCommand(program);
  registerExperimentCommands(program);
  registerServerCommand(program);
  registerServeCommand(program);
  registerDeployCommands(program);
  registerEnvCommands(program);
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
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
