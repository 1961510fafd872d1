import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILES, initProject } from '../../config/index.js';
import { SluiceError } from '../../errors.js';
import { c, printJson } from '../output.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init [dir]')
    .description('scaffold a new project: a commented sluice.yaml and a .gitignore for the workspace folder; --ci adds a CI workflow')
    .option('--name <name>', 'project name (default: the folder name)')
    .option('--force', 'overwrite an existing sluice.yaml (or, with --ci, an existing workflow file)')
    .option('--ci <platform>', 'write a CI workflow for the project: github (.github/workflows/sluice.yml) or gitlab (.gitlab-ci.yml)')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string | undefined, opts: { name?: string; force?: boolean; ci?: string; json?: boolean }, cmd: Command) => {
      if (opts.ci !== undefined && opts.ci !== 'github' && opts.ci !== 'gitlab') throw new SluiceError('USAGE', `Unknown CI platform '${opts.ci}'`, { hint: 'Use --ci github or --ci gitlab.' });
      const target = resolve(dir ?? (cmd.optsWithGlobals() as { project?: string }).project ?? '.');
      const files: string[] = [];
      // With --ci in an existing project, only the workflow is written.
      const existing = CONFIG_FILES.some((f) => existsSync(join(target, f)));
      if (!(opts.ci && existing)) files.push(...initProject(target, { name: opts.name, force: opts.force }));
      if (opts.ci) {
        const { writeWorkflow } = await import('../../ci/index.js');
        files.push(await writeWorkflow(target, opts.ci as 'github' | 'gitlab', { force: opts.force }));
      }
      if (opts.json) return printJson({ dir: target, files });
      for (const f of files) console.log(`${c.green('created')} ${f}`);
      if (opts.ci) console.log(`\nTry the workflow here before pushing: ${c.bold('npx sluice ci --local')} (see docs/ci.md).`);
      else console.log(`\nNext: put your data in place, edit sluice.yaml, then run ${c.bold('npx sluice run')}.`);
    });
}
