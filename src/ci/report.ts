/**
 * The CI report: what a reviewer needs on a pull request, as data (report.json) and Markdown
 * (report.md, and the pull-request comment). The hidden marker lets a later run find and update
 * the same comment.
 */
import type { GateResult } from '../evaluation/index.js';
import type { CheckResult } from './checks.js';
import type { Delta, Direction } from './compare.js';
import type { DatasetSummary } from './run-figures.js';
import type { RenderedPlot } from './plots.js';
import type { SampleNote } from './sample.js';
import type { CiContext } from './vcs.js';

export const REPORT_MARKER = '<!-- sluice-ci-report -->';

export interface ComparedMetric {
  metric: string;
  direction: Direction;
  candidate: number | null;
  champion: Delta;
  main: Delta;
  /** The gate checks on this metric: `accuracy: pass`. */
  gates: string[];
}

export interface CiReport {
  project: string;
  runId: string;
  runStatus: 'succeeded' | 'failed' | 'blocked';
  /** fail: a gate or a check failed, or the run failed; warn: a warning; pass otherwise. */
  outcome: 'pass' | 'warn' | 'fail';
  exitCode: number;
  context: CiContext;
  mainBranch: string;
  sample: SampleNote[] | null;
  evaluation: string | null;
  champion: { ref: string | null; note: string | null };
  mainRun: { runId: string; commit: string | null; sampled: boolean; at: number } | null;
  mainNote: string | null;
  metrics: ComparedMetric[];
  fairness: ComparedMetric[];
  gates: GateResult[];
  errors: { step: string; message: string; code?: string }[];
  datasets: DatasetSummary[];
  checks: CheckResult[];
  checksNote: string | null;
  card: { diff: string | null; note: string | null };
  plots: RenderedPlot[];
  plotsNote: string | null;
  model: { name: string; version: number } | null;
  notes: string[];
}

const ARROW: Record<string, string> = { higher: '↑', lower: '↓', 'parity-1': '→1', 'parity-0': '→0' };

function fmt(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) >= 1) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4);
}

function delta(d: Delta): string {
  if (d.delta === null) return '—';
  const sign = d.delta > 0 ? '+' : d.delta < 0 ? '−' : '±';
  const moved = d.delta > 0 ? '↑' : d.delta < 0 ? '↓' : '';
  const verdict = d.verdict === 'better' ? ' better' : d.verdict === 'worse' ? ' **worse**' : d.verdict === 'same' ? ' same' : '';
  // A change too small for four decimals is still shown, in exponent form, rather than as 0.0000.
  const size = Math.abs(d.delta);
  const shown = size > 0 && size < 5e-5 ? size.toExponential(1) : fmt(size);
  return `${moved}${moved ? ' ' : ''}${sign}${shown}${verdict}`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const ICON = { pass: '✅', warn: '⚠️', fail: '❌' } as const;

export interface MarkdownOptions {
  /** Where the plots can be seen, for a comment (relative image links do not work there). */
  artifactsUrl?: string | null;
  /** Inline the plots as images (report.md beside them) or list them (a comment). */
  inlinePlots: boolean;
}

export function renderMarkdown(r: CiReport, options: MarkdownOptions): string {
  const out: string[] = [REPORT_MARKER];
  const verdict = r.runStatus === 'failed' ? (r.errors[0]?.code === 'DATA_INVALID' ? 'the data gate failed' : 'the pipeline failed') : r.outcome === 'fail' ? (r.runStatus === 'blocked' ? 'a gate failed' : 'a check failed') : r.outcome === 'warn' ? 'passed with warnings' : 'passed';
  out.push(`## ${ICON[r.outcome]} Sluice CI: ${r.project} — ${verdict}`, '');
  const where = [
    r.context.branch ? `branch \`${r.context.branch}\`` : 'no branch',
    r.context.commit ? `commit \`${r.context.commit.slice(0, 12)}\`` : null,
    r.context.pullRequest ? `${r.context.platform === 'gitlab' ? 'merge request !' : 'pull request #'}${r.context.pullRequest}` : null,
    `pipeline run \`${r.runId}\``,
    `exit code ${r.exitCode}`,
  ].filter(Boolean);
  out.push(where.join(' · '));
  if (r.sample) {
    const sampled = r.sample.map((s) => (s.rows === null ? `${s.source}: ${s.note ?? 'whole'}` : `${s.source}: first ${s.rows} rows`)).join(', ');
    out.push('', `**Sampled run** (${sampled}): figures are from a sample of the data, and no model version is registered.`);
  }
  out.push('', `Compared with: ${r.champion.ref ? `the champion **${r.champion.ref}**` : 'no champion'}${r.champion.note ? ` (${r.champion.note})` : ''}; ${r.mainRun ? `the last run on \`${r.mainBranch}\` (run \`${r.mainRun.runId}\`${r.mainRun.commit ? `, commit \`${r.mainRun.commit.slice(0, 12)}\`` : ''}${r.mainRun.sampled ? ', sampled' : ''})` : `no run on \`${r.mainBranch}\``}${r.mainNote ? ` (${r.mainNote})` : ''}.`);
  if (r.model) out.push('', `Registered: **${r.model.name}@${r.model.version}**.`);
  for (const n of r.notes) out.push('', `> ${n}`);
  if (r.errors.length) {
    out.push('', '### Pipeline errors', '');
    for (const e of r.errors) out.push(`- \`${e.step}\`${e.code ? ` (${e.code})` : ''}: ${cell(e.message)}`);
  }

  out.push('', '### Gates', '');
  if (r.gates.length === 0) out.push(r.runStatus === 'failed' ? 'Not judged: the pipeline failed before its gates.' : 'No gates declared.');
  else {
    out.push('| gate | result | check | value | threshold |', '|---|---|---|---|---|');
    for (const g of r.gates) {
      for (const [i, c] of g.checks.entries()) {
        const status = c.skipped ? 'skipped' : c.passed ? 'pass' : c.severity === 'warn' ? 'warn' : 'fail';
        const name = `${c.attribute ? `${c.attribute}: ` : ''}${c.metric}${c.kind !== 'threshold' && c.kind !== 'fairness' ? ` (${c.kind.replaceAll('_', ' ')} vs champion)` : ''}`;
        out.push(`| ${i === 0 ? `**${g.gate}** ${ICON[g.status]} ${g.status}` : ''} | ${status} | ${cell(name)} | ${fmt(c.actual)} | ${c.op} ${fmt(c.threshold)} |`);
      }
      if (g.checks.length === 0) out.push(`| **${g.gate}** ${ICON[g.status]} ${g.status} | | (no checks) | | |`);
    }
  }

  const table = (title: string, rows: ComparedMetric[]) => {
    out.push('', `### ${title}`, '');
    if (rows.length === 0) {
      out.push('No figures: the evaluation did not run.');
      return;
    }
    out.push(`| metric | this run | ${r.champion.ref ?? 'champion'} | Δ vs champion | last \`${r.mainBranch}\` run | Δ vs \`${r.mainBranch}\` | gate |`, '|---|---|---|---|---|---|---|');
    for (const m of rows) {
      const arrow = m.direction ? ` ${ARROW[m.direction]}` : '';
      out.push(`| ${cell(m.metric)}${arrow} | ${fmt(m.candidate)} | ${fmt(m.champion.baseline)} | ${delta(m.champion)} | ${fmt(m.main.baseline)} | ${delta(m.main)} | ${m.gates.join(', ')} |`);
    }
  };
  table(`Metrics${r.evaluation ? ` (evaluation \`${r.evaluation}\`)` : ''}`, r.metrics);
  out.push('', '↑ higher is better, ↓ lower is better; Δ says which way the value moved and whether that is better or worse.');
  if (r.fairness.length) {
    table('Fairness', r.fairness);
    out.push('', '→1: a ratio, best at 1 (parity); →0: a difference, best at 0.');
  }

  out.push('', '### Data validation and PII', '');
  if (r.datasets.length === 0) out.push('No dataset versions were recorded for this run (a failed run records none; see the errors above).');
  else {
    out.push('| dataset | rows | expectations | PII |', '|---|---|---|---|');
    for (const d of r.datasets) {
      const e = d.expectations ? `${d.expectations.passed} passed${d.expectations.warned ? `, ${d.expectations.warned} warned` : ''}${d.expectations.failed ? `, **${d.expectations.failed} failed**` : ''}` : '—';
      const pii = d.pii ? (d.pii.violations.length ? `**${d.pii.violations.length} violation(s)**` : d.pii.columns.length ? d.pii.columns.join(', ') : 'none found') : '—';
      out.push(`| \`${d.name}\` | ${d.rows} | ${e} | ${cell(pii)} |`);
    }
    const problems = r.datasets.flatMap((d) => [...d.problems.map((p) => `\`${d.name}\` ${p}`), ...(d.pii?.violations ?? []).map((v) => `\`${d.name}\` PII: ${v}`)]);
    if (problems.length) out.push('', ...problems.slice(0, 20).map((p) => `- ${cell(p)}`), ...(problems.length > 20 ? [`- … and ${problems.length - 20} more`] : []));
  }

  out.push('', '### Checks', '');
  if (r.checksNote) out.push(r.checksNote, '');
  if (r.checks.length) {
    out.push('| check | command | result | time |', '|---|---|---|---|');
    for (const c of r.checks) out.push(`| ${c.name} | \`${cell(c.command)}\` | ${c.status === 'passed' ? '✅ passed' : `❌ ${c.status}${c.exitCode !== null ? ` (exit ${c.exitCode})` : ''}`} | ${(c.durationMs / 1000).toFixed(1)} s |`);
    for (const c of r.checks.filter((x) => x.status !== 'passed')) {
      out.push('', `<details><summary>${c.name}: last lines of output</summary>`, '', '```', c.outputTail.replaceAll('```', "'''"), '```', '', '</details>');
    }
  } else if (!r.checksNote) out.push('No checks declared (`checks:` in sluice.yaml).');

  out.push('', '### Model card vs champion', '');
  if (r.card.note) out.push(r.card.note);
  if (r.card.diff) out.push('', '<details><summary>diff of MODEL_CARD.md</summary>', '', '```diff', r.card.diff, '```', '', '</details>');
  else if (!r.card.note) out.push('The model card is the same as the champion\'s.');

  out.push('', '### Plots', '');
  if (r.plotsNote) out.push(r.plotsNote);
  else if (r.plots.length === 0) out.push('No plots (the evaluation did not run).');
  else if (options.inlinePlots) out.push(r.plots.map((p) => `![${p.name}](${p.file})`).join(' '));
  else out.push(`${r.plots.map((p) => `\`${p.file}\``).join(', ')} ${options.artifactsUrl ? `in the [job's artifacts](${options.artifactsUrl})` : "in the job's report folder"}.`);
  out.push('');
  return out.join('\n');
}
