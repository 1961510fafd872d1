/**
 * A monitor run's report: the JSON stored as an artifact, and its HTML page (the drift report
 * page of src/monitoring/report-html with the window, the model and its accuracy in the summary).
 */
import type { ColumnDriftResult, DriftReport } from '../drift/index.js';
import type { ColumnDistribution } from '../distributions.js';
import type { QualityReport } from '../quality.js';
import { renderDriftHtml } from '../report-html.js';
import type { PerformanceReport } from './analyze.js';
import type { MonitorRunSummary } from './records.js';

export interface MonitorReport {
  format: 'sluice-monitor-report/v1';
  monitor: string;
  model: string;
  version: number;
  modelRef: string;
  window: { start: number; end: number; kind: 'time' | 'rows' };
  rows: number;
  labeledRows: number;
  reference: { dataset: string; rows: number; digest: string };
  status: 'ok' | 'drift';
  summary: MonitorRunSummary;
  drift: DriftReport;
  distributions: ColumnDistribution[];
  predictionDrift: ColumnDriftResult | null;
  quality: QualityReport | null;
  performance: PerformanceReport | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const show = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : Number(x.toPrecision(4)));

export function renderMonitorHtml(report: MonitorReport): string {
  const facts: Record<string, string | number> = {
    model: `${report.model}@${report.version} (${report.modelRef})`,
    window: `${iso(report.window.start)} to ${iso(report.window.end)}`,
  };
  const p = report.predictionDrift;
  if (p) facts['prediction drift'] = `${p.test} ${show(p.details.verdictOn === 'pValue' ? p.pValue : p.statistic)} (threshold ${show(p.threshold)}): ${p.drifted === null ? 'no verdict' : p.drifted ? 'drift' : 'no drift'}`;
  if (report.performance) {
    const m = report.performance.metrics;
    facts['labelled predictions'] = report.performance.labeled;
    for (const k of ['accuracy', 'roc_auc', 'f1', 'mae', 'rmse']) if (k in m) facts[k] = show(m[k]);
    for (const a of report.performance.fairness?.attributes ?? []) facts[`fairness (${a.attribute})`] = `equalized odds difference ${show(a.metrics.equalized_odds_difference)}, demographic parity ratio ${show(a.metrics.demographic_parity_ratio)}`;
  } else {
    facts['labelled predictions'] = `${report.labeledRows} (too few for accuracy)`;
  }
  return renderDriftHtml(
    { ...report.drift, distributions: report.distributions },
    {
      title: `Monitor ${report.monitor}: ${report.model}@${report.version}`,
      reference: { label: `dataset ${report.reference.dataset}`, rows: report.reference.rows },
      current: { label: `predictions ${iso(report.window.start)} to ${iso(report.window.end)}`, rows: report.rows },
      facts,
      quality: report.quality ?? undefined,
    },
  );
}
