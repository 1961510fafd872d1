import type { Command } from 'commander';
import { open, stat } from 'node:fs/promises';
import { SluiceError } from '../../errors.js';
import { cachedLogOrigin, getPipelineRun, listStepRuns, liveLogPath } from '../../pipeline/index.js';
import type { Project } from '../../project.js';
import type { StepRun } from '../../store/schema.js';
import { withProject } from '../context.js';
import { c, printJson } from '../output.js';

interface LogsOptions {
  step?: string;
  grep?: string;
  follow?: boolean;
  json?: boolean;
}

export function registerLogsCommand(program: Command): void {
  program
    .command('logs <run>')
    .description("show the stored output of a run's steps (run id, id prefix, or 'latest')")
    .option('--step <name>', 'only this step')
    .option('--grep <pattern>', 'only lines matching this regular expression')
    .option('--follow', 'keep printing new output until the run ends')
    .option('--json', 'print as JSON')
    .action(async (runRef: string, opts: LogsOptions, cmd: Command) => {
      await withProject(cmd, async (project) => {
        let pattern: RegExp | undefined;
        try {
          pattern = opts.grep ? new RegExp(opts.grep) : undefined;
        } catch (e) {
          throw new SluiceError('USAGE', `--grep '${opts.grep}' is not a valid regular expression: ${(e as Error).message}`);
        }
        const run = await getPipelineRun(project.store.db, runRef, project.config.project);
        const pick = (steps: StepRun[]) => {
          if (!opts.step) return steps;
          const chosen = steps.filter((s) => s.name === opts.step);
          if (chosen.length === 0) {
            throw new SluiceError('NOT_FOUND', `Run ${run.id} has no step '${opts.step}'`, { hint: `Its steps are ${steps.map((s) => s.name).join(', ')}.` });
          }
          return chosen;
        };
        const keep = (line: string) => !pattern || pattern.test(line);
        if (opts.follow && run.status === 'running') {
          await follow(project, run.id, pick, keep);
          return;
        }
        const steps = pick(await listStepRuns(project.store.db, run.id));
        const out: { step: string; status: string; from_run?: string; lines: string[] }[] = [];
        for (const s of steps) {
          const log = await readStepLog(project, run.id, s);
          if (log === null) continue;
          const { text, fromRun } = log;
          out.push({ step: s.name, status: s.status, ...(fromRun ? { from_run: fromRun } : {}), lines: text.split('\n').filter((l, i, a) => (i < a.length - 1 || l !== '') && keep(l)) });
        }
        if (opts.json) return printJson({ run: run.id, steps: out });
        for (const s of out) {
          if (s.lines.length === 0 && pattern) continue;
          console.log(c.bold(`── ${s.step} (${s.status})`) + (s.from_run ? c.dim(` output of run ${s.from_run}, which made the cached result`) : ''));
          for (const l of s.lines) console.log(l);
        }
      });
    });
}

/** The step's output, and for a cached step the run whose output it is. */
async function readStepLog(project: Project, runId: string, step: StepRun): Promise<{ text: string; fromRun?: string } | null> {
  if (step.log_digest) return { text: (await project.artifacts.readBytes(step.log_digest)).toString('utf8') };
  const origin = await cachedLogOrigin(project.store.db, step);
  if (origin) return { text: (await project.artifacts.readBytes(origin.logDigest)).toString('utf8'), fromRun: origin.pipelineRunId };
  try {
    const f = await open(liveLogPath(project.workspace, runId, step.name), 'r');
    try {
      return { text: (await f.readFile()).toString('utf8') };
    } finally {
      await f.close();
    }
  } catch {
    return null;
  }
}

/** Tails the live log files of a running run, printing new lines, until the run ends. */
async function follow(project: Project, runId: string, pick: (s: StepRun[]) => StepRun[], keep: (l: string) => boolean): Promise<void> {
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  for (;;) {
    const steps = pick(await listStepRuns(project.store.db, runId));
    for (const s of steps) {
      const path = liveLogPath(project.workspace, runId, s.name);
      const size = await stat(path).then((st) => st.size, () => -1);
      let text = '';
      if (size >= 0) {
        const from = offsets.get(s.name) ?? 0;
        if (size > from) {
          const f = await open(path, 'r');
          const buf = Buffer.alloc(size - from);
          await f.read(buf, 0, buf.length, from);
          await f.close();
          offsets.set(s.name, size);
          text = buf.toString('utf8');
        }
      } else if (s.log_digest && !offsets.has(`${s.name}#stored`)) {
        // The step finished and its log moved to the artifact store: print what was not seen yet.
        const stored = (await project.artifacts.readBytes(s.log_digest)).toString('utf8');
        text = stored.slice(offsets.get(s.name) ?? 0);
        offsets.set(`${s.name}#stored`, 1);
      }
      if (!text) continue;
      const lines = ((partial.get(s.name) ?? '') + text).split('\n');
      partial.set(s.name, lines.pop() ?? '');
      for (const l of lines) if (keep(l)) console.log(`${c.dim(`${s.name} │`)} ${l}`);
    }
    const run = await project.store.db.selectFrom('pipeline_runs').select('status').where('id', '=', runId).executeTakeFirst();
    if (run?.status !== 'running') {
      for (const [step, rest] of partial) if (rest && keep(rest)) console.log(`${c.dim(`${step} │`)} ${rest}`);
      console.log(c.dim(`run ${runId} ${run?.status ?? 'ended'}`));
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
