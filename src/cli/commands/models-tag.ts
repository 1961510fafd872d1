import type { Command } from 'commander';
import { getModelVersion, parseModelRef, setModelVersionTag } from '../../registry/index.js';
import { withProject } from '../context.js';
import { printJson } from '../output.js';

const actor = () => process.env.SLUICE_ACTOR ?? process.env.USER ?? 'sluice';

/** `sluice models tag income@3 tested`: added to the `models` command, which must be registered first. */
export function registerModelTagCommand(program: Command): void {
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
