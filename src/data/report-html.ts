/**
 * A dataset version as one self-contained HTML page: its checks (expectations, PII scan, bias)
 * and its profile with a small distribution chart per column. No external assets.
 */
import type { BiasReport } from './bias/index.js';
import type { ExpectationsReport } from './expectations/index.js';
import type { PiiReport } from './pii/index.js';
import type { ColumnProfile, DatasetProfile } from './profile.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const num = (x: unknown) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(4)) : esc(x));

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{padding:.3rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37}.fail{color:#cf222e}.warn{color:#9a6700}svg rect{fill:#0969da}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th,td{border-color:#30363d}.ok{color:#3fb950}.fail{color:#f85149}.warn{color:#d29922}svg rect{fill:#58a6ff}}`;

export function datasetHtml(
  name: string,
  id: string,
  checks: { expectations?: ExpectationsReport; pii?: PiiReport; bias?: BiasReport } | null,
  profile: DatasetProfile | null,
): string {
  const parts: string[] = [];
  parts.push(`<h1>Dataset ${esc(name)} <small>${esc(id)}</small></h1>`);
  if (profile) parts.push(`<p>${profile.rowCount} rows, ${profile.columns.length} columns.</p>`);
  const ex = checks?.expectations;
  if (ex) {
    parts.push(`<h2>Expectations: <span class="${ex.success ? 'ok' : 'fail'}">${ex.success ? 'passed' : 'failed'}</span></h2>`);
    parts.push('<table><thead><tr><th></th><th>expectation</th><th>column</th><th>observed</th><th>unexpected %</th><th>message</th></tr></thead><tbody>');
    for (const r of ex.results) {
      const e = r.expectation as { expect: string; column?: string };
      const cls = r.success ? 'ok' : r.severity === 'warn' ? 'warn' : 'fail';
      parts.push(
        `<tr><td class="${cls}">${r.success ? '✓' : r.severity === 'warn' ? '⚠' : '✗'}</td><td>${esc(e.expect)}</td><td>${esc(e.column ?? '')}</td>` +
          `<td class="n">${num(r.result.observed_value ?? '')}</td><td class="n">${num(r.result.unexpected_percent)}</td><td>${esc(r.message)}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  const pii = checks?.pii;
  if (pii) {
    parts.push(`<h2>PII scan: <span class="${pii.passed ? 'ok' : 'fail'}">${pii.passed ? 'passed' : 'failed'}</span></h2>`);
    const found = pii.columns.filter((col) => col.action !== 'none');
    if (found.length === 0) parts.push(`<p>No personal data found in ${pii.scannedColumns.length} text columns.</p>`);
    else {
      parts.push('<table><thead><tr><th>column</th><th>action</th><th>found</th></tr></thead><tbody>');
      for (const col of found) {
        parts.push(`<tr><td>${esc(col.column)}</td><td>${esc(col.action)}</td><td>${esc(col.detectors.map((d) => `${d.kind}: ${d.confirmed}`).join(', ') || col.nameHint || '')}</td></tr>`);
      }
      parts.push('</tbody></table>');
    }
  }
  const bias = checks?.bias;
  if (bias) {
    parts.push(`<h2>Bias: <span class="${bias.status === 'pass' ? 'ok' : bias.status}">${esc(bias.status)}</span></h2>`);
    for (const a of bias.attributes) {
      parts.push(`<h3>${esc(a.attribute)}</h3><table><thead><tr><th>group</th><th>rows</th><th>share</th><th>positive rate</th></tr></thead><tbody>`);
      for (const g of a.groups) parts.push(`<tr><td>${esc(g.group)}</td><td class="n">${g.count}</td><td class="n">${num(g.share)}</td><td class="n">${num(g.positiveRate)}</td></tr>`);
      parts.push(`</tbody></table><p>${esc(a.reasons.join('; '))}</p>`);
    }
  }
  if (profile) {
    parts.push('<h2>Profile</h2><table><thead><tr><th>column</th><th>type</th><th>nulls</th><th>distinct</th><th>min</th><th>mean</th><th>max</th><th>distribution</th></tr></thead><tbody>');
    for (const col of profile.columns) {
      parts.push(
        `<tr><td>${esc(col.name)}</td><td>${esc(col.type)}</td><td class="n">${num(col.nulls)}</td><td class="n">${col.distinct}</td>` +
          `<td class="n">${num(col.min ?? '')}</td><td class="n">${num(col.mean ?? '')}</td><td class="n">${num(col.max ?? '')}</td><td>${sparkBars(col)}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Dataset ${esc(name)}</title><style>${CSS}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}

/** A histogram (numbers, dates) or the top values (text) as a tiny bar chart. */
function sparkBars(col: ColumnProfile): string {
  const counts = col.histogram?.counts ?? (col.top ?? []).slice(0, 10).map((t) => t.count);
  const labels = col.histogram ? col.histogram.edges.slice(0, -1).map((e) => num(e)) : (col.top ?? []).slice(0, 10).map((t) => esc(t.value));
  if (counts.length === 0) return '';
  const max = Math.max(...counts, 1);
  const w = 160;
  const h = 32;
  const bw = w / counts.length;
  const bars = counts.map((n, i) => `<rect x="${(i * bw).toFixed(1)}" y="${(h - (n / max) * h).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((n / max) * h).toFixed(1)}"><title>${labels[i]}: ${n}</title></rect>`);
  return `<svg role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><title>distribution of ${esc(col.name)}</title>${bars.join('')}</svg>`;
}
