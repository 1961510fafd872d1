/** The validation report for people: a terminal table and a self-contained HTML page. */
import { interval, num, percent, type ExpectationResult, type ExpectationsReport } from './run.js';
import type { Expectation } from './schema.js';

interface Line {
  status: '✓' | '✗' | '⚠';
  expectation: string;
  column: string;
  observed: string;
  unexpected: string;
  message: string;
}

const MAP_KINDS = new Set(['type', 'not_null', 'between', 'in_set', 'regex', 'unique']);

/** The expectation in a few words: its kind and its arguments. */
export function describeExpectation(e: Expectation): string {
  const mostly = 'mostly' in e && e.mostly < 1 ? `, mostly ${e.mostly}` : '';
  switch (e.expect) {
    case 'type': return `type ${e.type}${mostly}`;
    case 'between': return `between ${interval(e)}${mostly}`;
    case 'in_set': return `in_set (${e.values.length} value${e.values.length === 1 ? '' : 's'})${mostly}`;
    case 'regex': return `regex ${e.pattern}${mostly}`;
    case 'quantile_between': return `quantile ${e.quantile} in ${interval(e)}`;
    case 'mean_between': return `mean in ${interval(e)}`;
    case 'row_count_between': return `row count in ${interval(e)}`;
    case 'distribution': return `distribution${e.test ? ` ${e.test}` : ''}${e.threshold === undefined ? '' : ` ${e.threshold}`}`;
    default: return `${e.expect}${mostly}`;
  }
}

function line(r: ExpectationResult): Line {
  const e = r.expectation;
  const observed = r.result.observed_value;
  return {
    status: r.success ? '✓' : r.severity === 'warn' ? '⚠' : '✗',
    expectation: describeExpectation(e),
    column: 'column' in e ? e.column : '',
    observed: observed === null ? '' : typeof observed === 'number' ? num(observed) : observed,
    unexpected: MAP_KINDS.has(e.expect) && r.error === undefined ? percent(r.result.unexpected_percent_nonmissing) : '',
    message: r.message,
  };
}

function summary(report: ExpectationsReport): string {
  const s = report.statistics;
  const warn = s.warnings ? `, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}` : '';
  return `${report.success ? 'Passed' : 'Failed'}: ${s.successful} of ${s.evaluated} expectations met, ${s.failed} failed${warn}`;
}

const HEADINGS: Line = { status: '✓', expectation: 'expectation', column: 'column', observed: 'observed', unexpected: 'unexpected', message: 'message' };

export function formatReportTable(report: ExpectationsReport): string {
  const lines = report.results.map(line);
  const keys = ['expectation', 'column', 'observed', 'unexpected'] as const;
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(HEADINGS[k].length, ...lines.map((l) => l[k].length))])) as Record<(typeof keys)[number], number>;
  const row = (status: string, l: Line) =>
    [status, ...keys.map((k) => (k === 'unexpected' || k === 'observed' ? l[k].padStart(width[k]) : l[k].padEnd(width[k]))), l.message].join('  ').trimEnd();
  return [row(' ', HEADINGS), ...lines.map((l) => row(l.status, l)), '', summary(report)].join('\n') + '\n';
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d2125; --muted: #5f6b76; --line: #dde2e6; --ok: #1a7f37; --fail: #c62828; --warn: #9a6700; --head: #f4f6f8; }
@media (prefers-color-scheme: dark) { :root { --bg: #15191d; --fg: #e3e7ea; --muted: #97a3ad; --line: #2c343b; --ok: #4cc27a; --fail: #ff7b72; --warn: #e3b341; --head: #1d2328; } }
body { margin: 2rem; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
.summary { color: var(--muted); margin: 0 0 1.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { background: var(--head); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .92em; }
.s { font-weight: 700; } .ok { color: var(--ok); } .fail { color: var(--fail); } .warn { color: var(--warn); }
.desc { color: var(--muted); font-size: .9em; }
`;

export function reportHtml(report: ExpectationsReport, options: { title: string }): string {
  const cls = { '✓': 'ok', '✗': 'fail', '⚠': 'warn' } as const;
  const rows = report.results.map((r) => {
    const l = line(r);
    const desc = r.expectation.description ? `<div class="desc">${escape(r.expectation.description)}</div>` : '';
    return `<tr><td class="s ${cls[l.status]}" title="${r.success ? 'passed' : r.severity === 'warn' ? 'warning' : 'failed'}">${l.status}</td>` +
      `<td><code>${escape(l.expectation)}</code>${desc}</td><td><code>${escape(l.column)}</code></td>` +
      `<td class="num">${escape(l.observed)}</td><td class="num">${escape(l.unexpected)}</td><td>${escape(l.message)}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escape(options.title)}</h1>
<p class="summary ${report.success ? 'ok' : 'fail'}">${escape(summary(report))}</p>
<table>
<thead><tr><th></th><th>expectation</th><th>column</th><th>observed</th><th>unexpected</th><th>message</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
