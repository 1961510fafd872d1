import type { Command } from 'commander';
import { SluiceError } from '../../errors.js';
import { LocalExecutor } from '../../pipeline/executor.js';
import { abortOnSignal, projectDir, withProject } from '../context.js';
import { c, printJson } from '../output.js';
import { RunView } from '../run-view.js';

/**
 * `sluice ci`: the pipeline as a CI job, a report against the champion and the main branch,
 * optionally a pull-request comment; `--local` runs the project's generated workflow here;
 * `sluice ci package <model>` writes a version's model package for the job's artifacts.
 * Exit codes: 0 passed, 6 a gate failed, 11 a check failed, else the pipeline's error code.
 */
export function registerCiCommand(program: Command): void {
  const ci = program
    .command('ci')
    .description('CI: run the pipeline, compare with the champion and the main branch, write a Markdown report (and a PR comment); exits 6 when a gate fails')
    .option('--sample', 'run on the sample declared in sluice.yaml (ci.sample), for speed; registers nothing')
    .option('--out <dir>', 'report folder (default: ci.report_dir, sluice-ci)')
    .option('--comment <platform>', 'post the report as one pull-request comment, updated on later runs: github or gitlab')
    .option('--local', "run the project's generated workflow (.github/workflows/sluice.yml or .gitlab-ci.yml) here, job by job")
    .option('--platform <platform>', '--local: which workflow, github or gitlab (default: the one that exists)')
    .option('--branch <name>', '--local: the branch the CI variables name (default: the current git branch)')
    .option('--json', 'print the report as JSON (no live output)')
    .action(async (opts: { sample?: boolean; out?: string; comment?: string; local?: boolean; platform?: string; branch?: string; json?: boolean }, cmd: Command) => {
      if (opts.comment !== undefined && opts.comment !== 'github' && opts.comment !== 'gitlab') throw new SluiceError('USAGE', `Unknown platform '${opts.comment}' for --comment`, { hint: 'Use --comment github or --comment gitlab.' });
      if (opts.platform !== undefined && opts.platform !== 'github' && opts.platform !== 'gitlab') throw new SluiceError('USAGE', `Unknown platform '${opts.platform}'`, { hint: 'Use --platform github or --platform gitlab.' });
      if (opts.local) return local(cmd, opts as { platform?: 'github' | 'gitlab'; branch?: string; json?: boolean });
      const { runCi } = await import('../../ci/index.js');
      await withProject(cmd, async (project) => {
        const view = opts.json ? undefined : new RunView({ quiet: true });
        await abortOnSignal(async (signal) => {
          const result = await runCi(project, {
            sample: opts.sample,
            outDir: opts.out,
            comment: opts.comment as 'github' | 'gitlab' | undefined,
            executor: new LocalExecutor(),
            onEvent: view?.handle,
            log: (line) => {
              if (!opts.json) process.stderr.write(`${c.dim('ci:')} ${line}\n`);
            },
            signal,
          });
          if (opts.json) printJson({ ...result.report, files: result.files, comment: result.comment });
          else {
            const r = result.report;
            const icon = r.outcome === 'pass' ? c.green('passed') : r.outcome === 'warn' ? c.yellow('passed with warnings') : c.red('failed');
            console.log(`${c.bold('sluice ci')} ${r.project}: ${icon} ${c.dim(`(exit ${r.exitCode})`)}`);
            console.log(`${c.dim('report:')} ${result.files.markdown}`);
            if (r.model) console.log(`${c.dim('model:')}  ${r.model.name}@${r.model.version}`);
          }
          process.exitCode = result.report.exitCode;
        });
      });
    });
  ci.command('package <model>')
    .description("write a model version's package (model.onnx, signature, metadata, model card) to a folder, e.g. for CI artifacts")
    .option('--out <dir>', 'folder to write (replaced)', 'model-package')
    .option('--json', 'print the result as JSON')
    .action(async (ref: string, opts: { out: string; json?: boolean }, sub: Command) => {
      const { buildModelPackage } = await import('../../ci/index.js');
      await withProject(sub, async (project) => {
        const built = await buildModelPackage(project, ref, { outDir: opts.out });
        if (opts.json) return printJson(built);
        console.log(`Wrote ${built.model}@${built.version} to ${built.dir}`);
      });
    });
}

async function local(cmd: Command, opts: { platform?: 'github' | 'gitlab'; branch?: string; json?: boolean }): Promise<void> {
  const { runWorkflowLocally } = await import('../../ci/index.js');
  const result = await runWorkflowLocally(projectDir(cmd), {
    platform: opts.platform,
    branch: opts.branch,
    log: (line) => {
      if (!opts.json) process.stderr.write(`${line}\n`);
    },
    output: opts.json ? 'ignore' : 'inherit',
  });
  if (opts.json) printJson(result);
  else console.log(`${c.bold('sluice ci --local')} ${result.file}: ${result.passed ? c.green('passed') : c.red(`failed at ${result.failedAt ?? '?'}`)}`);
  process.exitCode = result.exitCode;
}
