import type { Command } from 'commander';
import { resolve } from 'node:path';
import { initProject } from '../../config/index.js';
import { c, printJson } from '../output.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init [dir]')
    .description('scaffold a new project: a commented sluice.yaml and a .gitignore for the workspace folder')
    .option('--name <name>', 'project name (default: the folder name)')
    .option('--force', 'overwrite an existing sluice.yaml')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string | undefined, opts: { name?: string; force?: boolean; json?: boolean }, cmd: Command) => {
      const target = resolve(dir ?? (cmd.optsWithGlobals() as { project?: string }).project ?? '.');
      const files = await initProject(target, { name: opts.name, force: opts.force });
      if (opts.json) return printJson({ dir: target, files });
      for (const f of files) console.log(`${c.green('created')} ${f}`);
      console.log(`\nNext: put your data in place, edit sluice.yaml, then run ${c.bold('npx sluice run')}.`);
    });
}
