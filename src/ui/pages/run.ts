/** One tracking run: its info, params, latest metrics and every metric's history as a uPlot chart. */
import { enc, mlflowGet, type MetricPoint, type MlflowRun } from '../lib/api.js';
import { lineChart } from '../lib/chart.js';
import { badge, fmtDuration, fmtNum, fmtTime, h, link, section, table } from '../lib/dom.js';
import type { PageContext } from '../lib/router.js';
import { errorBox, kv } from './_common.js';

/** Every point of a metric; the server pages only when asked, so this is one request. */
export async function metricHistory(runId: string, key: string): Promise<MetricPoint[]> {
  const { metrics = [] } = await mlflowGet<{ metrics?: MetricPoint[] }>('metrics/get-history', { run_id: runId, metric_key: key });
  return metrics;
}

export async function runPage({ main, params, signal }: PageContext): Promise<void> {
  let run: MlflowRun;
  try {
    ({ run } = await mlflowGet<{ run: MlflowRun }>('runs/get', { run_id: params.id }));
  } catch (e) {
    main.append(h('h1', {}, `Run ${params.id}`), errorBox(e));
    return;
  }
  const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
  const metrics = [...(run.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const charts = h('div', {});
  main.append(
    h('h1', {}, `Run ${run.info.run_name ?? run.info.run_id}`),
    kv([
      ['run id', h('span', { class: 'mono' }, run.info.run_id)],
      ['experiment', link(`/experiments/${enc(run.info.experiment_id)}`, run.info.experiment_id)],
      ['status', badge(run.info.status)],
      ['started', fmtTime(run.info.start_time)],
      ['took', fmtDuration(run.info.end_time && run.info.start_time ? run.info.end_time - run.info.start_time : null)],
      ...(tags['sluice.pipeline_run'] ? [['pipeline run', link(`/pipelines/${enc(tags['sluice.pipeline_run'])}`, tags['sluice.pipeline_run'])] as [string, HTMLElement]] : []),
      ...(tags['sluice.step'] ? [['step', tags['sluice.step']] as [string, string]] : []),
    ]),
    section('Metric histories', charts),
    h(
      'div',
      { class: 'split' },
      section('Metrics (latest)', table(['Metric', 'Value', 'Step'], metrics.map((m) => [m.key, h('span', { class: 'num', 'data-metric': m.key }, fmtNum(m.value)), String(m.step ?? 0)]), { 'data-table': 'metrics' })),
      section('Parameters', table(['Parameter', 'Value'], (run.data.params ?? []).map((p) => [p.key, h('span', { 'data-param': p.key }, p.value)]), { 'data-table': 'params' })),
    ),
  );
  // Only metrics logged more than once make a curve; the rest are in the table.
  const histories = await Promise.all(metrics.map(async (m) => [m.key, await metricHistory(run.info.run_id, m.key).catch(() => [])] as const));
  if (signal.aborted) return;
  const curves = histories.filter(([, pts]) => pts.length > 1);
  if (curves.length === 0) charts.append(h('p', { class: 'empty' }, 'Every metric of this run has a single value (see the table).'));
  for (const [key, pts] of curves) {
    const el = h('div', { 'data-chart': key });
    charts.append(el);
    lineChart(el, [{ label: key, x: pts.map((p) => p.step), y: pts.map((p) => p.value) }], { title: `${key} (${pts.length.toLocaleString('en-US')} points)`, xLabel: 'step' });
  }
}
