/**
 * A drift report (and optionally a data quality report) as one self-contained HTML page: a
 * summary, a table of every column, then one section per column with its test, score,
 * threshold, verdict and the reference-vs-current distribution drawn as inline SVG. No
 * external assets; every string from data is escaped.
 */
import type { ColumnDriftResult, DriftReport } from './drift/index.js';
import type { CategoricalDistribution, ColumnDistribution, NumericDistribution } from './distributions.js';
import type { QualityReport } from './quality.js';

export interface DriftHtmlMeta {
  title: string;
  /** How the two sides are called on the page (file names, dataset versions, windows). */
  reference: { label: string; rows?: number };
  current: { label: string; rows?: number };
  /** ISO time shown under the title (left out when not given, so the page is reproducible). */
  generatedAt?: string;
  /** More lines for the summary, as label → value. */
  facts?: Record<string, string | number>;
  quality?: QualityReport;
}

export type DriftHtmlReport = DriftReport & { distributions?: readonly ColumnDistribution[] };

const REF = '#0072B2';
const CUR = '#D55E00';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const fmt = (x: number | null | undefined): string => {
  if (x === null || x === undefined) return '';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
};
const pct = (x: number) => `${(x * 100).toFixed(x !== 0 && Math.abs(x) < 0.001 ? 3 : 1)}%`;
const anchor = (name: string, i: number) => `col-${i}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:0 0 .5rem}table{border-collapse:collapse;width:100%}
th,td{padding:.3rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37}.fail{color:#cf222e}.na{color:#6e7781}section.column{border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:1rem 0;display:flex;gap:1.5rem;flex-wrap:wrap}
section.column table{width:auto}section.column .figures{flex:1 1 18rem}.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;vertical-align:middle}
svg text{fill:currentColor}@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th,td,section.column{border-color:#30363d}.ok{color:#3fb950}.fail{color:#f85149}}`;

export function renderDriftHtml(report: DriftHtmlReport, meta: DriftHtmlMeta): string {
  const d = report.dataset;
  const dists = new Map((report.distributions ?? []).map((x) => [x.column, x]));
  const parts: string[] = [];
  parts.push(`<h1>${esc(meta.title)}</h1>`);
  if (meta.generatedAt) parts.push(`<p class="na">generated ${esc(meta.generatedAt)}</p>`);
  const verdict = d.datasetDrift ? '<span class="fail">dataset drift detected</span>' : '<span class="ok">no dataset drift</span>';
  const facts: [string, string][] = [
    ['reference', `${meta.reference.label}${meta.reference.rows !== undefined ? ` (${meta.reference.rows} rows)` : ''}`],
    ['current', `${meta.current.label}${meta.current.rows !== undefined ? ` (${meta.current.rows} rows)` : ''}`],
    ['mode', report.mode],
    ['drifted columns', `${d.drifted} of ${d.evaluated} evaluated (share ${fmt(d.share)}; dataset drift at ≥ ${fmt(d.driftShare)})`],
    ['insufficient data', `${d.insufficient} column(s)`],
    ['correction', d.correction],
    ...Object.entries(meta.facts ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
  ];
  parts.push(`<section id="summary"><h2>Summary: ${verdict}</h2><table>${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></section>`);

  parts.push('<h2>Columns</h2><table id="columns"><thead><tr><th>column</th><th>kind</th><th>test</th><th>score</th><th>p-value</th><th>threshold</th><th>verdict</th></tr></thead><tbody>');
  report.columns.forEach((c, i) => {
    parts.push(
      `<tr><td><a href="#${anchor(c.column, i)}">${esc(c.column)}</a></td><td>${esc(c.type)}</td><td>${esc(c.test)}</td><td class="n">${fmt(c.statistic)}</td>` +
        `<td class="n">${fmt(c.pValue)}</td><td class="n">${esc(operatorText(c))} ${fmt(c.threshold)}</td><td>${verdictHtml(c)}</td></tr>`,
    );
  });
  parts.push('</tbody></table>');

  if (meta.quality) parts.push(qualityHtml(meta.quality));

  parts.push(`<h2>Distributions</h2><p class="legend"><span style="background:${REF}"></span>reference <span style="background:${CUR}"></span>current (shares of each side's non-missing values; in histograms the current side is drawn as outlines)</p>`);
  report.columns.forEach((c, i) => parts.push(columnSection(c, dists.get(c.column), anchor(c.column, i))));

  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(meta.title)}</title><style>${CSS}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}

function operatorText(c: ColumnDriftResult): string {
  const on = c.details.verdictOn === 'pValue' ? 'p' : 'score';
  return `drift if ${on} ${c.details.operator}`;
}

function verdictHtml(c: ColumnDriftResult): string {
  if (c.drifted === null) return '<span class="na">insufficient data</span>';
  return c.drifted ? '<span class="fail">drifted</span>' : '<span class="ok">no drift</span>';
}

function columnSection(c: ColumnDriftResult, dist: ColumnDistribution | undefined, id: string): string {
  const rows: [string, string][] = [
    ['kind', c.type],
    ['test', c.test],
    ['score', fmt(c.statistic)],
    ...(c.pValue !== undefined ? [['p-value', fmt(c.pValue)] as [string, string]] : []),
    ...(c.details.adjustedPValue !== undefined ? [['adjusted p-value', fmt(c.details.adjustedPValue)] as [string, string]] : []),
    ['threshold', `${operatorText(c)} ${fmt(c.threshold)}`],
    ['rows (missing)', `reference ${c.details.referenceRows} (${c.details.referenceMissing}), current ${c.details.currentRows} (${c.details.currentMissing})`],
    ['distinct values', String(c.details.nUnique)],
  ];
  if (c.details.constant) rows.push(['constant', c.details.constant]);
  if (c.details.newCategories?.length) rows.push(['new in current', c.details.newCategories.join(', ')]);
  if (c.details.note) rows.push(['note', c.details.note]);
  const figures = `<div class="figures"><h3>${esc(c.column)}: ${verdictHtml(c)}</h3><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></div>`;
  const plot = !dist ? '' : dist.kind === 'numerical' ? histogramSvg(dist) : barsSvg(dist);
  return `<section class="column" id="${esc(id)}" data-column="${esc(c.column)}" data-drifted="${c.drifted === null ? 'null' : String(c.drifted)}">${figures}<div class="plot">${plot}</div></section>`;
}

const W = 460, H = 240, L = 48, R = 12, T = 12, B = 64;
const PW = W - L - R, PH = H - T - B;
const n2 = (x: number) => String(Number(x.toFixed(2)));

function shares(counts: readonly number[], total: number): number[] {
  return counts.map((k) => (total > 0 ? k / total : 0));
}

function yAxis(max: number): string[] {
  const out = [`<line x1="${L}" y1="${T + PH}" x2="${L + PW}" y2="${T + PH}" stroke="#888"/>`, `<line x1="${L}" y1="${T}" x2="${L}" y2="${T + PH}" stroke="#888"/>`];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = T + PH - (PH * i) / 4;
    out.push(`<line x1="${L - 4}" y1="${n2(y)}" x2="${L}" y2="${n2(y)}" stroke="#888"/><text x="${L - 6}" y="${n2(y + 4)}" text-anchor="end" font-size="10">${esc(pct(v))}</text>`);
  }
  return out;
}

function svg(title: string, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" font-family="sans-serif" font-size="11"><title>${esc(title)}</title>${body.join('')}</svg>`;
}

/** Overlaid histograms on the same bins, as shares of each side's non-missing values. */
function histogramSvg(d: NumericDistribution): string {
  if (d.edges.length < 2) return '<p class="na">no values to plot</p>';
  const a = shares(d.reference, d.totals.reference);
  const b = shares(d.current, d.totals.current);
  const max = Math.max(...a, ...b, 1e-12);
  const nb = a.length;
  const bw = PW / nb;
  const body = yAxis(max);
  // Reference as filled bars, current as outlines over them: both stay readable where they overlap.
  const bar = (v: number, i: number, side: 'reference' | 'current', count: number) => {
    const h = (v / max) * PH;
    const paint = side === 'reference' ? `fill="${REF}" fill-opacity="0.45"` : `fill="none" stroke="${CUR}" stroke-width="1.5"`;
    return `<rect x="${n2(L + i * bw)}" y="${n2(T + PH - h)}" width="${n2(Math.max(bw - 1, 0.5))}" height="${n2(h)}" ${paint}><title>${esc(`${side} [${fmt(d.edges[i])}, ${fmt(d.edges[i + 1])}${i === nb - 1 ? ']' : ')'}: ${count} (${pct(v)})`)}</title></rect>`;
  };
  a.forEach((v, i) => body.push(bar(v, i, 'reference', d.reference[i])));
  b.forEach((v, i) => body.push(bar(v, i, 'current', d.current[i])));
  for (const i of [0, Math.floor(nb / 2), nb]) {
    const x = L + i * bw;
    const anchorAt = i === 0 ? 'start' : i === nb ? 'end' : 'middle';
    body.push(`<line x1="${n2(x)}" y1="${T + PH}" x2="${n2(x)}" y2="${T + PH + 4}" stroke="#888"/><text x="${n2(x)}" y="${T + PH + 16}" text-anchor="${anchorAt}" font-size="10">${esc(fmt(d.edges[i]))}</text>`);
  }
  const out = d.outside;
  const hidden = out.reference[0] + out.reference[1] + out.current[0] + out.current[1];
  if (hidden > 0) {
    body.push(`<text x="${L}" y="${H - 24}" font-size="10">${esc(`outside the plotted range: reference ${out.reference[0]} below, ${out.reference[1]} above; current ${out.current[0]} below, ${out.current[1]} above`)}</text>`);
  }
  return svg(`distribution of ${d.column}: reference vs current`, body);
}

/** Grouped bars: reference and current share of each category (top N, then the rest together). */
function barsSvg(d: CategoricalDistribution): string {
  if (d.labels.length === 0) return '<p class="na">no values to plot</p>';
  const a = shares(d.reference, d.totals.reference);
  const b = shares(d.current, d.totals.current);
  const max = Math.max(...a, ...b, 1e-12);
  const gw = PW / d.labels.length;
  const bw = Math.max((gw - 4) / 2, 0.5);
  const body = yAxis(max);
  d.labels.forEach((label, i) => {
    const x0 = L + i * gw + 2;
    for (const [k, v, color, side, count] of [[0, a[i], REF, 'reference', d.reference[i]], [1, b[i], CUR, 'current', d.current[i]]] as const) {
      const h = (v / max) * PH;
      body.push(`<rect x="${n2(x0 + k * bw)}" y="${n2(T + PH - h)}" width="${n2(bw)}" height="${n2(h)}" fill="${color}"><title>${esc(`${side} ${label}: ${count} (${pct(v)})`)}</title></rect>`);
    }
    const cx = L + i * gw + gw / 2;
    const text = label.length > 14 ? `${label.slice(0, 13)}…` : label;
    body.push(`<text x="${n2(cx)}" y="${T + PH + 10}" font-size="10" text-anchor="end" transform="rotate(-40 ${n2(cx)} ${T + PH + 10})">${esc(text)}</text>`);
  });
  return svg(`distribution of ${d.column}: reference vs current`, body);
}

function checkHtml(passed: boolean | null | undefined): string {
  if (passed === undefined) return '';
  if (passed === null) return '<span class="na">n/a</span>';
  return passed ? '<span class="ok">pass</span>' : '<span class="fail">fail</span>';
}

function qualityHtml(q: QualityReport): string {
  const parts: string[] = [];
  const head = q.passed === null ? '<span class="na">insufficient data</span>' : q.passed ? '<span class="ok">passed</span>' : '<span class="fail">failed</span>';
  parts.push(`<section id="quality"><h2>Data quality: ${head}</h2>`);
  parts.push(`<p>${q.rows.current} current rows against ${q.rows.reference} reference rows (verdicts need at least ${q.minRows}).</p>`);
  if (q.schema.missing.length) parts.push(`<p class="fail">missing columns: ${esc(q.schema.missing.join(', '))}</p>`);
  if (q.schema.unexpected.length) parts.push(`<p>unexpected columns: ${esc(q.schema.unexpected.join(', '))}</p>`);
  parts.push('<table><thead><tr><th>column</th><th>nulls (reference)</th><th></th><th>out of range</th><th></th><th>unseen categories</th><th></th><th>invalid</th><th></th></tr></thead><tbody>');
  for (const c of q.columns) {
    const range = c.range ? `${c.range.count} (${pct(c.range.share)}) outside [${fmt(c.range.min)}, ${fmt(c.range.max)}] (${c.range.source})` : c.typeMismatch ? `type ${c.typeMismatch.current}, expected ${c.typeMismatch.reference}` : '';
    const unseen = c.unseen ? `${c.unseen.count} (${pct(c.unseen.share)})${c.unseen.examples.length ? `: ${c.unseen.examples.map((e) => `${e.value} ×${e.count}`).join(', ')}` : ''}` : '';
    parts.push(
      `<tr data-column="${esc(c.column)}"><td>${esc(c.column)}</td><td class="n">${esc(`${pct(c.nulls.share)} (${pct(c.nulls.referenceShare)})`)}</td><td>${checkHtml(c.nulls.passed)}</td>` +
        `<td>${esc(range)}</td><td>${checkHtml(c.range?.passed ?? (c.typeMismatch ? false : undefined))}</td><td>${esc(unseen)}</td><td>${checkHtml(c.unseen?.passed)}</td>` +
        `<td>${c.invalid ? esc(`${c.invalid.count}: ${c.invalid.examples.join(', ')}`) : ''}</td><td>${checkHtml(c.invalid?.passed)}</td></tr>`,
    );
  }
  parts.push('</tbody></table></section>');
  return parts.join('\n');
}
