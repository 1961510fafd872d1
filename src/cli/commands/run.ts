import type { Command } from 'commander';
import { SluiceError } from '../../errors.js';
import { LocalExecutor } from '../../pipeline/executor.js';
import { runExitCode, runPipeline } from '../../pipeline/index.js';
import { abortOnSignal, withProject } from '../context.js';
import { c, printJson } from '../output.js';
import { RunView } from '../run-view.js';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description("run the project's pipeline; unchanged steps are reused from the cache")
    .option('--force', 'rerun every step, ignoring the cache')
    .option('--keep-workdir', "keep each step's work directory (under the workspace's work/ folder) for troubleshooting")
    .option('--max-cpus <n>', 'use at most this many CPUs (default: all)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new SluiceError('USAGE', `--max-cpus must be a positive number, got '${v}'`);
      return n;
    })
    .option('--no-wait', 'fail (exit 9) instead of waiting when another run of the project is in progress')
    .option('--quiet', "don't show step output, only step results")
    .option('--json', 'print the run summary as JSON (no live output)')
    .action(async (opts: { force?: boolean; keepWorkdir?: boolean; maxCpus?: number; wait: boolean; quiet?: boolean; json?: boolean }, cmd: Command) => {
      await withProject(cmd, async (project) => {
        const view = opts.json ? undefined : new RunView({ quiet: opts.quiet });
        await abortOnSignal(async (signal) => {
          const { withRunLease } = await import('../../pipeline/triggers/start-run.js');
          const summary = await withRunLease(
            project,
            () =>
              runPipeline(project, {
                force: opts.force,
                keepWorkdir: opts.keepWorkdir,
                executor: new LocalExecutor({ cpus: opts.maxCpus }),
                onEvent: view?.handle,
                signal,
              }),
            { wait: opts.wait, signal, onWait: (reason) => process.stderr.write(`waiting: ${reason}\n`) },
          );
          if (opts.json) printJson(summary);
          else {
            if (summary.model) console.log(`${c.dim('see it with')} sluice models show ${summary.model.name}@${summary.model.version}`);
            console.log(`${c.dim('records:')} sluice runs show ${summary.runId}   ${c.dim('logs:')} sluice logs ${summary.runId}`);
          }
          if (summary.status !== 'succeeded') process.exitCode = runExitCode(summary.status, summary.errors);
        });
      });
    });
}
