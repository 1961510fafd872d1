/** Several runs side by side: params and metrics (differences marked) and one metric's histories overlaid. */
import { enc, mlflowGet, type MlflowRun } from '../lib/api.js';
import { lineChart } from '../lib/chart.js';
import { empty, fmtNum, h, link, replace, section } from '../lib/dom.js';
import type { PageContext } from '../lib/router.js';
import { errorBox } from './_common.js';
import { toRow } from './experiments.js';
import { metricHistory } from './run.js';

export async function comparePage({ main, query, signal }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Compare runs'));
  const ids = (query.get('runs') ?? '').split(',').filter(Boolean).slice(0, 20);
  if (ids.length < 2) {
    main.append(empty('Select two or more runs in an experiment\'s table (Space or the checkboxes), then "Compare selected".'));
    return;
  }
  let runs: MlflowRun[];
  try {
    runs = await Promise.all(ids.map(async (id) => (await mlflowGet<{ run: MlflowRun }>('runs/get', { run_id: id })).run));
  } catch (e) {
    main.append(errorBox(e));
    return;
  }
  const rows = runs.map(toRow);
  const keys = (pick: (r: (typeof rows)[number]) => Record<string, unknown>) => [...new Set(rows.flatMap((r) => Object.keys(pick(r))))].sort();
  const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), rows.map((r) => h('th', { scope: 'col' }, link(`/runs/${enc(r.id)}`, r.name)))));
  const body = h('tbody', {});
  const group = (title: string, names: string[], value: (r: (typeof rows)[number], k: string) => string) => {
    body.append(h('tr', {}, h('th', { scope: 'rowgroup', colspan: rows.length + 1 }, title)));
    for (const k of names) {
      const values = rows.map((r) => value(r, k));
      const differs = new Set(values).size > 1;
      body.append(h('tr', { class: differs ? 'diff' : '', 'data-key': k }, h('th', { scope: 'row' }, k, differs ? h('span', { class: 'sr-only' }, ' (differs)') : null), values.map((v) => h('td', { class: 'num' }, v))));
    }
  };
  group('Parameters', keys((r) => r.params), (r, k) => r.params[k] ?? '–');
  const metricKeys = keys((r) => r.metrics);
  group('Metrics', metricKeys, (r, k) => fmtNum(r.metrics[k]));
  const select = h('select', { id: 'compare-metric' }, metricKeys.map((k) => h('option', { value: k }, k)));
  const chart = h('div', {});
  main.append(
    h('p', { class: 'muted' }, 'Rows where the runs differ are highlighted.'),
    h('table', { 'data-table': 'compare' }, head, body),
    section('Metric history', h('div', { class: 'toolbar' }, h('label', { for: 'compare-metric' }, 'Metric'), select), chart),
  );
  const draw = async () => {
    const key = select.value;
    const series = await Promise.all(rows.map(async (r) => ({ label: r.name, pts: await metricHistory(r.id, key).catch(() => []) })));
    if (signal.aborted) return;
    replace(chart);
    const el = h('div', { 'data-chart': key });
    chart.append(el);
    lineChart(el, series.filter((s) => s.pts.length).map((s) => ({ label: s.label, x: s.pts.map((p) => p.step), y: s.pts.map((p) => p.value) })), { title: key, xLabel: 'step' });
  };
  const best = metricKeys.find((k) => /loss/.test(k)) ?? metricKeys[0];
  if (best) {
    select.value = best;
    select.addEventListener('change', () => void draw());
    await draw();
  }
}
