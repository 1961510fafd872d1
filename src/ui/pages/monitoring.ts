/**
 * Monitoring: per monitor, drift per feature over time, reference-vs-current distributions of
 * its latest window, accuracy over time; and the alert rules with their state and recent events.
 * Data: the monitoring endpoints of /api/v1 (monitors, series, monitor runs and their reports, alerts).
 */
import { enc, v1 } from '../lib/api.js';
import { barChart, lineChart, type Series } from '../lib/chart.js';
import { badge, empty, fmtNum, fmtTime, h, link, section, table } from '../lib/dom.js';
import type { PageContext } from '../lib/router.js';
import { errorBox, fill, kv } from './_common.js';

interface MonitorRun {
  id: number;
  monitor: string;
  model: string;
  version: number;
  windowStart: number;
  windowEnd: number;
  rows: number;
  labeledRows: number;
  referenceDataset: string | null;
  status: string;
  driftShare: number | null;
  accuracy: number | null;
  summary: { driftedColumns: string[]; note?: string };
  createdAt: number;
}
interface Monitor {
  name: string;
  model: string | null;
  latest_run: MonitorRun | null;
}
interface Point {
  runId: number;
  at: number;
  metric: string;
  column: string | null;
  value: number | null;
  threshold: number | null;
  verdict: string | null;
  detail: string | null;
}
interface Distribution {
  column: string;
  kind: 'numerical' | 'categorical';
  edges?: number[];
  labels?: string[];
  reference: number[];
  current: number[];
}
interface AlertRule {
  rule: string;
  state: string;
  since: number | null;
  value: number | null;
  condition: string;
  monitor: string | null;
  severity: string;
}
interface AlertEvent {
  id: number;
  rule: string;
  from: string;
  to: string;
  at: number;
  value: number | null;
  severity: string;
  message: string;
}

/** Tests whose score is a p-value: drift when it falls below the threshold. */
const P_VALUE_TESTS = new Set(['ks', 'chisquare', 'z', 'fisher_exact', 'cramer_von_mises', 'anderson', 'g_test', 't_test', 'mannw', 'epps_singleton']);

export async function monitoringPage({ main, query }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Monitoring'));
  const body = h('div', {});
  main.append(body);
  let monitors: Monitor[];
  try {
    ({ monitors } = await v1<{ monitors: Monitor[] }>('monitors'));
  } catch (e) {
    body.append(errorBox(e));
    return;
  }
  const alerts = h('div', {});
  if (monitors.length === 0) body.append(h('p', { class: 'empty', 'data-monitors': '0' }, 'No monitors. Declare one under `monitors:` in sluice.yaml, then `sluice monitor run`.'));
  else {
    const chosen = monitors.find((m) => m.name === query.get('monitor')) ?? monitors[0];
    body.append(
      h(
        'nav',
        { class: 'toolbar', 'aria-label': 'Monitors', 'data-monitors': monitors.length },
        monitors.map((m) =>
          h('a', { href: `/monitoring?monitor=${enc(m.name)}`, 'data-nav': true, 'aria-current': m === chosen ? 'page' : null, class: 'button' }, m.name, ' ', m.latest_run ? badge(m.latest_run.status) : h('span', { class: 'muted' }, 'no runs')),
        ),
      ),
    );
    const view = h('div', { 'data-monitor': chosen.name });
    body.append(view);
    await monitorView(view, chosen);
  }
  body.append(alerts);
  await fill(alerts, alertsView);
}

async function monitorView(el: HTMLElement, m: Monitor): Promise<void> {
  const r = m.latest_run;
  el.append(
    h('h2', {}, `Monitor ${m.name}`),
    kv([
      ['model', m.model ?? '–'],
      ['latest window', r ? `${fmtTime(r.windowStart)} to ${fmtTime(r.windowEnd)}` : 'no runs yet: `sluice monitor run`'],
      ['status', r ? badge(r.status) : '–'],
      ['rows', r ? h('span', { 'data-rows': r.rows }, r.rows.toLocaleString('en-US')) : '–'],
      ['drift share', r ? h('span', { 'data-drift-share': r.driftShare ?? '' }, r.driftShare === null ? '–' : `${fmtNum(r.driftShare * 100, 1)}%`) : '–'],
      ['drifted columns', r?.summary.driftedColumns.length ? r.summary.driftedColumns.join(', ') : r?.summary.note ?? 'none'],
      ['accuracy', r ? h('span', { 'data-accuracy': r.accuracy ?? '' }, r.accuracy === null ? `– (${r.labeledRows} labelled)` : fmtNum(r.accuracy)) : '–'],
      ['reference', r?.referenceDataset ? link(`/datasets/${enc(r.referenceDataset)}`, r.referenceDataset) : '–'],
    ]),
  );
  if (!r) return;
  const driftCharts = h('div', {});
  const accuracy = h('div', {});
  const dists = h('div', {});
  const runs = h('div', {});
  el.append(section('Drift per feature over time', driftCharts), section('Accuracy over time', accuracy), section(`Reference vs current, window of run ${r.id}`, dists), section('Runs', runs));
  const base = `monitors/${enc(m.name)}`;
  await Promise.all([
    fill(driftCharts, async () => {
      const { points } = await v1<{ points: Point[] }>(`${base}/series`, { metric: 'drift_score', limit: 100_000 });
      if (points.length === 0) return empty('No drift scores yet (every window so far had too few rows).');
      // One chart per test: p-values (drift below the threshold) and distances (drift above) do not share an axis.
      const byTest = new Map<string, Map<string, Point[]>>();
      for (const p of points) {
        if (p.column === null) continue;
        const test = p.detail ?? 'score';
        const cols = byTest.get(test) ?? new Map<string, Point[]>();
        byTest.set(test, cols);
        cols.set(p.column, [...(cols.get(p.column) ?? []), p]);
      }
      const out: HTMLElement[] = [];
      for (const [test, cols] of byTest) {
        const series: Series[] = [...cols].map(([column, pts]) => ({ label: column, x: pts.map((p) => p.at / 1000), y: pts.map((p) => p.value) }));
        const threshold = [...cols.values()][0][0].threshold;
        const div = h('div', { 'data-chart': `drift-${test}`, 'data-columns': [...cols.keys()].join(',') });
        out.push(div);
        requestAnimationFrame(() =>
          lineChart(div, series, {
            title: `${test}: ${P_VALUE_TESTS.has(test) ? 'p-value, drift below' : 'score, drift at or above'} ${threshold ?? '?'}`,
            xLabel: 'window end',
            time: true,
          }),
        );
      }
      const latest = points.filter((p) => p.runId === Math.max(...points.map((x) => x.runId)) && p.column !== null);
      out.push(
        table(
          ['Feature', 'Test', 'Score', 'Threshold', 'Verdict'],
          latest.map((p) => [p.column!, p.detail ?? '–', fmtNum(p.value), fmtNum(p.threshold), p.verdict ? badge(p.verdict) : '–']),
          { 'data-table': 'drift-latest', 'aria-label': 'Drift per feature in the latest window' },
        ),
      );
      return out;
    }),
    fill(accuracy, async () => {
      const { points } = await v1<{ points: Point[] }>(`${base}/series`, { metric: 'accuracy', limit: 100_000 });
      const pts = points.filter((p) => p.column === null && p.value !== null);
      if (pts.length === 0) return empty('No accuracy yet: it needs predictions with feedback labels.');
      const div = h('div', { 'data-chart': 'accuracy', 'data-points': pts.length });
      requestAnimationFrame(() => lineChart(div, [{ label: 'accuracy', x: pts.map((p) => p.at / 1000), y: pts.map((p) => p.value) }], { title: 'accuracy per window', xLabel: 'window end', time: true }));
      return div;
    }),
    fill(dists, async () => {
      const { report } = await v1<{ report: { distributions?: Distribution[] } | null }>(`monitor-runs/${r.id}/report`);
      if (!report?.distributions?.length) return empty('No distributions in this window (too few rows).');
      return h(
        'div',
        { class: 'profile-grid' },
        report.distributions.map((d) =>
          h(
            'div',
            { 'data-distribution': d.column },
            barChart(d.kind === 'numerical' ? d.reference.map((_, i) => `${fmtNum(d.edges![i], 2)}–${fmtNum(d.edges![i + 1], 2)}`) : d.labels!, d.reference, {
              title: d.column,
              normalise: true,
              compare: { counts: d.current, names: ['reference', 'current'] },
            }),
          ),
        ),
      );
    }),
    fill(runs, async () => {
      const { runs: list } = await v1<{ runs: MonitorRun[] }>(`${base}/runs`, { limit: 50 });
      return table(
        ['Run', 'Window end', 'Rows', 'Status', 'Drift share', 'Accuracy'],
        list.map((x) => [String(x.id), fmtTime(x.windowEnd), x.rows.toLocaleString('en-US'), badge(x.status), x.driftShare === null ? '–' : `${fmtNum(x.driftShare * 100, 1)}%`, fmtNum(x.accuracy)]),
        { 'data-table': 'monitor-runs' },
      );
    }),
  ]);
}

async function alertsView(): Promise<HTMLElement> {
  const [{ rules }, { events }] = await Promise.all([v1<{ rules: AlertRule[] }>('alerts'), v1<{ events: AlertEvent[] }>('alerts/events', { limit: 50 })]);
  return section(
    'Alerts',
    rules.length === 0
      ? empty('No alert rules. Declare them under `alerts:` in sluice.yaml.')
      : table(
          ['Rule', 'State', 'Condition', 'Severity', 'Last value', 'Since'],
          rules.map((a) => [a.rule, h('span', { 'data-alert-state': a.rule }, badge(a.state)), a.condition, a.severity, fmtNum(a.value), a.since ? fmtTime(a.since) : '–']),
          { 'data-table': 'alert-rules' },
        ),
    h('h3', {}, 'Recent alert events'),
    events.length === 0
      ? empty('No alert has changed state yet.')
      : table(
          ['When', 'Rule', 'Change', 'Severity', 'Message'],
          events.map((e) => [fmtTime(e.at), e.rule, `${e.from} → ${e.to}`, badge(e.severity), e.message]),
          { 'data-table': 'alert-events' },
        ),
  );
}
