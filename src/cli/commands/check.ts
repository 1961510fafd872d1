import type { Command } from 'commander';
import { ERROR_CODES, SluiceError } from '../../errors.js';
import { withProject } from '../context.js';
import { c, printJson, table } from '../output.js';

/**
 * `sluice check`: the project's declared checks (`checks:` in sluice.yaml: linters, type
 * checkers, unit tests), recorded in the store for this commit so the next `sluice ci` report
 * shows them. `--stage integration --ephemeral <model>` runs the integration checks against an
 * ephemeral model server instead.
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description("run the project's declared checks (sluice.yaml `checks:`) and record the results for `sluice ci`")
    .option('--stage <stage>', "check (static checks and unit tests) or integration (against an ephemeral model server)", 'check')
    .option('--only <names...>', 'run only these checks')
    .option('--ephemeral <model>', 'integration stage: the model version to serve, e.g. income@3')
    .option('--json', 'print the results as JSON')
    .action(async (opts: { stage: string; only?: string[]; ephemeral?: string; json?: boolean }, cmd: Command) => {
      if (opts.stage !== 'check' && opts.stage !== 'integration') throw new SluiceError('USAGE', `Unknown stage '${opts.stage}'`, { hint: 'Use --stage check or --stage integration.' });
      if (opts.stage === 'integration' && !opts.ephemeral) throw new SluiceError('USAGE', 'The integration stage needs a model to serve', { hint: 'Add --ephemeral <model>, e.g. --ephemeral income@3.' });
      const { detectContext, insertCheckResults, runChecks } = await import('../../ci/index.js');
      await withProject(cmd, async (project) => {
        const log = (line: string) => {
          if (!opts.json) process.stderr.write(`${line}\n`);
        };
        const declared = project.config.checks.filter((x) => x.stage === opts.stage);
        for (const name of opts.only ?? []) {
          const known = declared.some((x) => x.name === name) || (opts.stage === 'integration' && (name === 'health' || name.startsWith('smoke: ')));
          if (!known) throw new SluiceError('NOT_FOUND', `No ${opts.stage} check '${name}' in sluice.yaml`, { where: 'checks', hint: `Declared: ${declared.map((x) => x.name).join(', ') || '(none)'}.` });
        }
        let results;
        if (opts.stage === 'integration') {
          const { runIntegration } = await import('../../ci/index.js');
          results = await runIntegration(project, opts.ephemeral as string, { only: opts.only, log });
        } else {
          const chosen = declared.filter((x) => !opts.only?.length || opts.only.includes(x.name));
          results = await runChecks(chosen, {
            dir: project.dir,
            onStart: (x) => log(`${c.blue('▸')} ${x.name}: ${x.run}`),
            onEnd: (r) => log(`${r.status === 'passed' ? c.green('✓') : c.red('✗')} ${r.name} ${r.status} ${c.dim(`${(r.durationMs / 1000).toFixed(1)} s`)}`),
          });
        }
        const context = detectContext(project.dir);
        await insertCheckResults(project.store.db, { project: project.config.project, branch: context.branch, commit: context.commit, results, pipelineRunId: null });
        const failed = results.filter((r) => r.status !== 'passed');
        if (opts.json) printJson({ commit: context.commit, branch: context.branch, passed: failed.length === 0, checks: results });
        else if (results.length === 0) console.log(`No ${opts.stage} checks declared: add them under \`checks:\` in sluice.yaml (see docs/ci.md).`);
        else {
          console.log(table([['CHECK', 'RESULT', 'EXIT', 'TIME'], ...results.map((r) => [r.name, r.status, r.exitCode === null ? '-' : String(r.exitCode), `${(r.durationMs / 1000).toFixed(1)} s`])]));
          for (const r of failed) console.log(`\n${c.red(`${r.name} ${r.status}`)} ${c.dim(r.command)}\n${r.outputTail}`);
        }
        if (failed.length > 0) process.exitCode = ERROR_CODES.CHECK_FAILED.exit;
      });
    });
}
