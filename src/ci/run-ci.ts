/**
 * `sluice ci`: runs the pipeline as a CI job (trigger 'ci'), compares what it measured with the
 * champion and with the last run on the main branch, gathers the data checks, the project's own
 * checks, the model card diff and the plots, writes report.md / report.json beside PNG plots,
 * records the run's branch and commit, and (optionally) posts the report on the pull request.
 *
 * Candidates on other branches are registered without moving aliases: only a run on the main
 * branch promotes (moves `register.aliases`), and a sampled run registers nothing.
 */
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ERROR_CODES } from '../errors.js';
import type { GateResult } from '../evaluation/index.js';
import type { Project } from '../project.js';
import { runExitCode, runPipeline, type Executor, type RunEvent, type RunSummary } from '../pipeline/index.js';
import { withRunLease } from '../pipeline/triggers/start-run.js';
import { getModelVersion } from '../registry/index.js';
import { loadChampion, readCard, type Champion } from './champion.js';
import { runChecks, type CheckResult } from './checks.js';
import { postComment, type CommentOutcome, type CommentTarget } from './comment.js';
import { compareFairness, compareMetrics, compareValue, fairnessDirection, lineDiff, metricDirection } from './compare.js';
import { renderReportPlots } from './plots.js';
import { attachCheckResults, insertCheckResults, insertCiRun, lastRunOnBranch, listCheckResults, type CiRunRecord } from './records.js';
import { renderMarkdown, type CiReport, type ComparedMetric } from './report.js';
import { datasetSummaries, judgedEvaluation, runFigures, trainedModelDigest } from './run-figures.js';
import { sampledConfig, type SampleNote } from './sample.js';
import { detectContext, type CiContext } from './vcs.js';

export interface CiOptions {
  sample?: boolean;
  /** Report folder (default: `ci.report_dir`, relative to the project). */
  outDir?: string;
  comment?: CommentTarget;
  executor?: Executor;
  onEvent?: (event: RunEvent) => void;
  /** Progress lines: checks, report, comment. */
  log?: (line: string) => void;
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
}

export interface CiResult {
  report: CiReport;
  files: { markdown: string; json: string; plots: string[] };
  comment: CommentOutcome | null;
  summary: RunSummary;
}

export async function runCi(project: Project, options: CiOptions = {}): Promise<CiResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const ci = project.config.ci;
  const context = detectContext(project.dir, env);
  const outDir = resolve(project.dir, options.outDir ?? ci.report_dir);
  const notes: string[] = [];
  if (!context.branch) notes.push('The git branch is unknown (not a git checkout, and no CI variables): this run cannot become the baseline of later runs.');

  // The champion as it is before this run: a run on the main branch may move the alias.
  const champion = await loadChampion(project);

  let config = project.config;
  let sample: SampleNote[] | null = null;
  if (options.sample) {
    const sampled = await sampledConfig(project.config, { projectDir: project.dir, workspace: project.workspace });
    config = sampled.config;
    sample = sampled.notes;
    if (champion?.version) notes.push(`The champion was measured on the full data: the deltas against it are indicative, and the gates' checks relative to it are skipped in a sampled run.`);
  } else if (config.register && context.branch !== ci.main_branch && config.register.aliases.length > 0) {
    notes.push(`Registered without moving ${config.register.aliases.map((a) => `\`${a}\``).join(', ')}: only runs on \`${ci.main_branch}\` promote.`);
    config = { ...config, register: { ...config.register, aliases: [] } };
  }

  // The project's checks: those `sluice check` recorded for this commit, else run here.
  const declared = project.config.checks.filter((c) => c.stage === 'check');
  let freshChecks: CheckResult[] = [];
  let checksNote: string | null = null;
  const recorded = context.commit ? await project.store.db.selectFrom('check_results').select('id').where('project', '=', project.config.project).where('commit_sha', '=', context.commit).where('pipeline_run_id', 'is', null).limit(1).execute() : [];
  if (recorded.length === 0 && declared.length > 0) {
    if (ci.checks) {
      freshChecks = await runChecks(declared, {
        dir: project.dir,
        onStart: (c) => log(`check ${c.name}: ${c.run}`),
        onEnd: (r) => log(`check ${r.name}: ${r.status} in ${(r.durationMs / 1000).toFixed(1)} s`),
      });
    } else checksNote = '`sluice check` recorded no results for this commit, and `ci.checks` is false: the checks were not run.';
  }

  // Holding the project's run lease: a CI run against a shared store never overlaps a run the
  // scheduler of `sluice server` started (it waits for it).
  const summary = await withRunLease(
    project,
    () => runPipeline({ ...project, config }, { trigger: 'ci', triggerCause: { branch: context.branch, commit: context.commit, platform: context.platform, pullRequest: context.pullRequest, sampled: !!options.sample }, executor: options.executor, onEvent: options.onEvent, signal: options.signal }),
    { signal: options.signal, onWait: (reason) => process.stderr.write(`waiting: ${reason}\n`) },
  );

  await insertCheckResults(project.store.db, { project: project.config.project, branch: context.branch, commit: context.commit, results: freshChecks, pipelineRunId: summary.runId });
  if (context.commit && recorded.length > 0) {
    const n = await attachCheckResults(project.store.db, { project: project.config.project, commit: context.commit, pipelineRunId: summary.runId });
    checksNote = `Recorded by \`sluice check\` for commit \`${context.commit.slice(0, 12)}\` (${n} check${n === 1 ? '' : 's'}).`;
  }
  const checks = await listCheckResults(project.store.db, summary.runId);

  const evaluation = judgedEvaluation(project);
  const figures = await runFigures(project, { pipelineRunId: summary.runId, evaluation });

  const mainRun = await lastRunOnBranch(project.store.db, { project: project.config.project, branch: ci.main_branch, exclude: summary.runId, sampled: !!options.sample });
  let mainNote: string | null = null;
  if (!mainRun) mainNote = `no earlier \`sluice ci\` run on \`${ci.main_branch}\` is recorded: nothing to compare with yet`;
  else if (mainRun.sampled !== !!options.sample) mainNote = `that run was ${mainRun.sampled ? '' : 'not '}sampled and this one ${options.sample ? 'is' : 'is not'}: the figures are not like for like`;

  const championFigures = champion?.version?.pipelineRunId ? await runFigures(project, { pipelineRunId: champion.version.pipelineRunId, evaluation }) : null;
  const championMetrics = champion?.version ? champion.version.metrics : null;
  const metricRows = compared(compareMetrics(figures.metrics, championMetrics).map((d) => d.metric), figures.metrics, championMetrics, mainRun?.figures.metrics ?? null, metricDirection, summary.gates);
  const fairnessRows = fairnessCompared(figures.fairness, championFigures?.fairness ?? null, mainRun?.figures.fairness ?? null, summary.gates);

  const datasets = await datasetSummaries(project.store.db, summary.runId);

  // Report folder: replaced as a whole, so no plot of an earlier run is left beside this report.
  const staging = `${outDir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const rendered = figures.reportDigest ? await renderReportPlots(project.artifacts, { reportDigest: figures.reportDigest, outDir: staging }) : { plots: [], problem: null };

  const model = summary.model ? { name: summary.model.name, version: summary.model.version } : null;
  const card = await cardDiff(project, champion, summary, model);

  const gateFailed = summary.gates.some((g) => g.status === 'fail');
  const checkFailed = checks.some((c) => c.status !== 'passed');
  let exitCode = 0;
  if (summary.status === 'failed') exitCode = runExitCode(summary.status, summary.errors);
  else if (summary.status === 'blocked' || gateFailed) exitCode = ERROR_CODES.GATE_FAILED.exit;
  else if (checkFailed) exitCode = ERROR_CODES.CHECK_FAILED.exit;
  const warned = summary.gates.some((g) => g.status === 'warn') || datasets.some((d) => (d.expectations?.warned ?? 0) > 0);
  const outcome: CiReport['outcome'] = exitCode !== 0 ? 'fail' : warned ? 'warn' : 'pass';

  const report: CiReport = {
    project: project.config.project,
    runId: summary.runId,
    runStatus: summary.status,
    outcome,
    exitCode,
    context,
    mainBranch: ci.main_branch,
    sample,
    evaluation,
    champion: {
      ref: champion?.version ? `${champion.name}@${champion.version.version}` : null,
      note: !champion ? 'nothing is registered by this project' : !champion.version ? `\`${champion.name}@${champion.alias}\` does not exist yet: nothing to compare with` : champion.problem,
    },
    mainRun: mainRun ? { runId: mainRun.pipelineRunId, commit: mainRun.commit, sampled: mainRun.sampled, at: mainRun.createdAt } : null,
    mainNote,
    metrics: metricRows,
    fairness: fairnessRows,
    gates: summary.gates,
    errors: summary.errors,
    datasets,
    checks,
    checksNote,
    card,
    plots: rendered.plots,
    plotsNote: rendered.problem,
    model,
    notes,
  };

  const record: CiRunRecord = {
    project: project.config.project,
    pipelineRunId: summary.runId,
    branch: context.branch,
    commit: context.commit,
    platform: context.platform,
    pullRequest: context.pullRequest,
    sampled: !!options.sample,
    outcome,
    figures: { evaluation, metrics: figures.metrics, fairness: figures.fairness },
    createdAt: Date.now(),
  };
  await insertCiRun(project.store.db, record);

  await writeFile(join(staging, 'report.md'), renderMarkdown(report, { inlinePlots: true }));
  await writeFile(join(staging, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (model) await writeFile(join(staging, 'model.env'), `SLUICE_MODEL=${model.name}@${model.version}\n`);
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir);
  // GitHub Actions step outputs: later steps use ${{ steps.<id>.outputs.model }}.
  // The job's summary page on GitHub shows the report too (plots named, as in a comment).
  if (env.GITHUB_STEP_SUMMARY) await appendOrSay(log, env.GITHUB_STEP_SUMMARY, renderMarkdown(report, { inlinePlots: false, artifactsUrl: artifactsUrl(context, env) }));
  if (env.GITHUB_OUTPUT) await appendOrSay(log, env.GITHUB_OUTPUT, `model=${model ? `${model.name}@${model.version}` : ''}\noutcome=${outcome}\nreport=${join(outDir, 'report.md')}\n`);
  log(`report: ${join(outDir, 'report.md')}`);

  let comment: CommentOutcome | null = null;
  if (options.comment) {
    comment = await postComment(options.comment, renderMarkdown(report, { inlinePlots: false, artifactsUrl: artifactsUrl(context, env) }), { env });
    log(comment.problem ? `comment: ${comment.problem}` : `comment ${comment.action}${comment.url ? `: ${comment.url}` : ''}`);
  }

  return {
    report,
    files: { markdown: join(outDir, 'report.md'), json: join(outDir, 'report.json'), plots: rendered.plots.map((p) => join(outDir, p.file)) },
    comment,
    summary,
  };
}

function gateNotes(gates: GateResult[], matches: (c: GateResult['checks'][number]) => boolean): string[] {
  const out: string[] = [];
  for (const g of gates) {
    for (const c of g.checks) {
      if (!matches(c)) continue;
      const status = c.skipped ? 'skipped' : c.passed ? 'pass' : c.severity === 'warn' ? 'warn' : 'fail';
      out.push(`${g.gate}: ${status}`);
    }
  }
  return [...new Set(out)];
}

function compared(
  names: string[],
  candidate: Record<string, number>,
  champion: Record<string, number> | null,
  main: Record<string, number> | null,
  direction: typeof metricDirection,
  gates: GateResult[],
): ComparedMetric[] {
  return names.map((m) => {
    const d = direction(m);
    return {
      metric: m,
      direction: d,
      candidate: candidate[m] ?? null,
      champion: compareValue(m, { candidate: candidate[m] ?? null, baseline: champion?.[m] ?? null, direction: d }),
      main: compareValue(m, { candidate: candidate[m] ?? null, baseline: main?.[m] ?? null, direction: d }),
      gates: gateNotes(gates, (c) => c.kind !== 'fairness' && c.metric === m),
    };
  });
}

function fairnessCompared(
  candidate: Record<string, Record<string, number>>,
  champion: Record<string, Record<string, number>> | null,
  main: Record<string, Record<string, number>> | null,
  gates: GateResult[],
): ComparedMetric[] {
  const gated = (attribute: string, metric: string) => gates.some((g) => g.checks.some((c) => c.kind === 'fairness' && c.attribute === attribute && c.metric === metric));
  return compareFairness(candidate, champion, gated).map((d) => {
    const [attribute, metric] = d.metric.split(': ');
    const direction = fairnessDirection(metric);
    return {
      metric: d.metric,
      direction,
      candidate: d.candidate,
      champion: d,
      main: compareValue(d.metric, { candidate: d.candidate, baseline: main?.[attribute]?.[metric] ?? null, direction }),
      gates: gateNotes(gates, (c) => c.kind === 'fairness' && c.attribute === attribute && c.metric === metric),
    };
  });
}

async function cardDiff(project: Project, champion: Champion | null, summary: RunSummary, model: { name: string; version: number } | null): Promise<CiReport['card']> {
  let candidate: { card: string | null; problem: string | null };
  let note: string | null = null;
  if (model) candidate = await readCard(project, (await getModelVersion(project.store.db, model.name, model.version)).source);
  else {
    const digest = await trainedModelDigest(project, summary.runId);
    if (!digest) return { diff: null, note: 'No model card: no model was trained in this run.' };
    candidate = await readCard(project, digest);
    note = 'This run registered no version: the card is the trained model\'s, before evaluation and gates filled in their sections.';
  }
  if (!candidate.card) return { diff: null, note: `The model card cannot be read: ${candidate.problem}` };
  if (!champion?.version) return { diff: null, note: [note, 'No champion to compare the card with.'].filter(Boolean).join(' ') };
  if (!champion.card) return { diff: null, note: [note, `The champion's card cannot be read: ${champion.problem}`].filter(Boolean).join(' ') };
  const diff = lineDiff(champion.card, candidate.card);
  return { diff: diff || null, note: diff ? note : [note, 'The model card is the same as the champion\'s.'].filter(Boolean).join(' ') };
}

/** Where a reviewer finds the job's files (the plots), for the comment. */
function artifactsUrl(context: CiContext, env: Record<string, string | undefined>): string | null {
  if (context.platform === 'github' && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  if (context.platform === 'gitlab' && env.CI_JOB_URL) return `${env.CI_JOB_URL}/artifacts/browse`;
  return null;
}

/** The platform's files are a convenience: one that cannot be written is said, never fatal. */
async function appendOrSay(log: (line: string) => void, file: string, text: string): Promise<void> {
  try {
    await appendFile(file, text);
  } catch (e) {
    log(`cannot write ${file}: ${(e as Error).message}`);
  }
}
