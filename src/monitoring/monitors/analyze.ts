/**
 * What a monitor computes on one window: drift of every monitored input against the reference,
 * drift of the model's scores, data quality, and accuracy and fairness from feedback labels.
 * Pure: the same reference, window and config give the same report and metrics.
 */
import type { MonitorConfig } from '../../config/index.js';
import { SluiceError } from '../../errors.js';
import { binaryClassificationMetrics, fairnessReport, regressionMetrics, type FairnessReport } from '../../evaluation/index.js';
import type { LoggedPrediction } from '../../serving/index.js';
import { driftColumn, driftReport, type ColumnDriftResult, type DriftColumn, type DriftReport } from '../drift/index.js';
import { driftDistributions, type ColumnDistribution } from '../distributions.js';
import { schemaOf, tableFromRecords } from '../load/index.js';
import { qualityReport, type QualityReport } from '../quality.js';
import type { PreparedReference } from './reference.js';

/** One figure of a run, as stored in `monitor_metrics`. */
export interface MonitorMetric {
  metric: string;
  column: string | null;
  value: number | null;
  threshold: number | null;
  /** 'drift' | 'ok' | 'fail' | null (no verdict). */
  verdict: string | null;
  detail: string | null;
}

export interface PerformanceReport {
  task: 'binary' | 'multiclass' | 'regression';
  labeled: number;
  positive?: string;
  threshold?: number;
  metrics: Record<string, number>;
  fairness: FairnessReport | null;
}

export interface WindowAnalysis {
  columns: string[];
  drift: DriftReport;
  /** Reference-vs-current counts per column, for the report's plots. */
  distributions: ColumnDistribution[];
  predictionDrift: ColumnDriftResult | null;
  quality: QualityReport | null;
  performance: PerformanceReport | null;
  metrics: MonitorMetric[];
  status: 'ok' | 'drift';
}

const finite = (x: number | undefined | null): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** The reference's columns as drift inputs. */
export function referenceTable(reference: PreparedReference, names: readonly string[]): { rows: number; columns: DriftColumn[] } {
  const columns = names.map((name): DriftColumn => {
    const c = reference.columns.find((x) => x.name === name)!;
    return c.type === 'number'
      ? { name, type: 'number', values: Float64Array.from(c.values, (v) => (typeof v === 'number' ? v : Number.NaN)) }
      : { name, type: 'string', values: c.values as (string | null)[] };
  });
  return { rows: reference.rows, columns };
}

/** The inputs compared: the configured ones, else every model input the reference holds. */
export function monitoredColumns(reference: PreparedReference, config: MonitorConfig, monitor: string): string[] {
  const have = new Set(reference.columns.map((c) => c.name));
  const wanted = config.columns ?? reference.inputs.filter((n) => have.has(n));
  const absent = wanted.filter((n) => !have.has(n));
  if (absent.length) {
    throw new SluiceError('SCHEMA_MISMATCH', `Monitor '${monitor}' compares column${absent.length > 1 ? 's' : ''} ${absent.map((n) => `'${n}'`).join(', ')} that reference ${reference.dataset} does not have`, {
      where: `monitors.${monitor}.columns`,
      hint: `Use columns of the reference: ${[...have].join(', ')}.`,
    });
  }
  return wanted.filter((n) => !config.exclude.includes(n));
}

export function analyzeWindow(reference: PreparedReference, predictions: readonly LoggedPrediction[], config: MonitorConfig, monitor: string): WindowAnalysis {
  const names = monitoredColumns(reference, config, monitor);
  const ref = referenceTable(reference, names);
  // The log holds inputs as the model read them: a missing string is '' (the signature's missing marker).
  const text = ref.columns.filter((c) => c.type !== 'number').map((c) => c.name);
  const records = predictions.map((p) => {
    const r = { ...p.inputs };
    for (const name of text) if (r[name] === '') r[name] = null;
    return r;
  });
  const current = tableFromRecords(records, schemaOf(ref));
  // A column no logged record has is compared as all-missing, so the report names it.
  for (const name of current.missing) {
    const kind = ref.columns.find((c) => c.name === name)!.type;
    current.columns.push(kind === 'number' ? { name, type: 'number', values: new Float64Array(predictions.length).fill(Number.NaN) } : { name, type: 'string', values: new Array<null>(predictions.length).fill(null) });
  }
  const d = config.drift;
  const drift = driftReport(ref, current, {
    mode: d.mode, include: names, columns: d.columns, tests: d.tests, thresholds: d.thresholds,
    correction: d.correction, driftShare: d.share, minRows: d.min_rows,
  });
  const metrics: MonitorMetric[] = [];
  const verdict = (drifted: boolean | null) => (drifted === null ? null : drifted ? 'drift' : 'ok');
  for (const r of drift.columns) {
    const onP = r.details.verdictOn === 'pValue';
    const p = r.details.adjustedPValue ?? r.pValue;
    // Evidently's drift score: the p-value of a p-value test, else the distance.
    metrics.push({ metric: 'drift_score', column: r.column, value: finite(onP ? p : r.statistic), threshold: r.threshold, verdict: verdict(r.drifted), detail: r.test });
    metrics.push({ metric: 'statistic', column: r.column, value: finite(r.statistic), threshold: onP ? null : r.threshold, verdict: null, detail: r.test });
    if (p !== undefined) metrics.push({ metric: 'p_value', column: r.column, value: finite(p), threshold: onP ? r.threshold : null, verdict: null, detail: r.test });
    metrics.push({ metric: 'drifted', column: r.column, value: r.drifted === null ? null : Number(r.drifted), threshold: null, verdict: verdict(r.drifted), detail: r.test });
  }
  const ds = drift.dataset;
  metrics.push({ metric: 'drift_share', column: null, value: ds.share, threshold: ds.driftShare, verdict: ds.evaluated ? (ds.datasetDrift ? 'drift' : 'ok') : null, detail: `${ds.drifted}/${ds.evaluated}` });
  metrics.push({ metric: 'drifted_columns', column: null, value: ds.drifted, threshold: null, verdict: null, detail: null });
  metrics.push({ metric: 'dataset_drift', column: null, value: ds.evaluated ? Number(ds.datasetDrift) : null, threshold: null, verdict: ds.evaluated ? (ds.datasetDrift ? 'drift' : 'ok') : null, detail: null });

  const predictionDrift = config.prediction_drift ? scoreDrift(reference, predictions, config) : null;
  if (predictionDrift) {
    const r = predictionDrift;
    const onP = r.details.verdictOn === 'pValue';
    metrics.push({ metric: 'prediction_drift_score', column: null, value: finite(onP ? r.pValue : r.statistic), threshold: r.threshold, verdict: verdict(r.drifted), detail: r.test });
    metrics.push({ metric: 'prediction_drifted', column: null, value: r.drifted === null ? null : Number(r.drifted), threshold: null, verdict: verdict(r.drifted), detail: r.test });
  }

  let quality: QualityReport | null = null;
  if (config.quality !== false) {
    const q = config.quality;
    quality = qualityReport(ref, current, {
      columns: names, invalid: current.invalid, minRows: d.min_rows, expectations: reference.expectations ?? [],
      thresholds: { nullShareIncrease: q.null_share_increase, outOfRangeShare: q.out_of_range_share, unseenShare: q.unseen_share, invalidShare: q.invalid_share },
    });
    const pass = (x: boolean | null | undefined) => (x === null || x === undefined ? null : x ? 'ok' : 'fail');
    let nulls = 0;
    let cells = 0;
    for (const c of quality.columns) {
      nulls += c.nulls.count;
      cells += c.rows;
      metrics.push({ metric: 'null_share', column: c.column, value: c.nulls.share, threshold: null, verdict: pass(c.nulls.passed), detail: `reference ${c.nulls.referenceShare}` });
      if (c.range) metrics.push({ metric: 'out_of_range_share', column: c.column, value: c.range.share, threshold: c.range.threshold, verdict: pass(c.range.passed), detail: null });
      if (c.unseen) metrics.push({ metric: 'unseen_share', column: c.column, value: c.unseen.share, threshold: c.unseen.threshold, verdict: pass(c.unseen.passed), detail: c.unseen.examples.map((e) => e.value).join(', ') || null });
    }
    metrics.push({ metric: 'null_share', column: null, value: cells ? nulls / cells : 0, threshold: null, verdict: null, detail: null });
    metrics.push({ metric: 'quality_failures', column: null, value: quality.failures.length, threshold: 0, verdict: pass(quality.passed), detail: quality.failures.join('; ') || null });
  }

  const performance = performanceOf(reference, predictions, config, monitor);
  const labeled = predictions.filter((p) => p.feedback !== undefined).length;
  metrics.push({ metric: 'rows', column: null, value: predictions.length, threshold: config.min_rows, verdict: null, detail: null });
  metrics.push({ metric: 'labeled_rows', column: null, value: labeled, threshold: config.performance.min_labels, verdict: null, detail: null });
  if (performance) {
    for (const [k, v] of Object.entries(performance.metrics)) metrics.push({ metric: k, column: null, value: finite(v), threshold: null, verdict: null, detail: null });
    for (const a of performance.fairness?.attributes ?? []) {
      for (const [k, v] of Object.entries(a.metrics)) metrics.push({ metric: `fairness:${a.attribute}:${k}`, column: a.attribute, value: finite(v), threshold: null, verdict: null, detail: null });
    }
  }
  const status = ds.datasetDrift || predictionDrift?.drifted === true ? 'drift' : 'ok';
  const distributions = driftDistributions(ref, current, drift);
  return { columns: names, drift, distributions, predictionDrift, quality, performance, metrics, status };
}

/** The model's score (P(positive) or value) per logged prediction; null where it gave none. */
function scoreOf(p: LoggedPrediction, positive: string | null): number | null {
  if (typeof p.outputs.value === 'number') return p.outputs.value;
  if (positive !== null && p.outputs.probabilities && typeof p.outputs.probabilities[positive] === 'number') return p.outputs.probabilities[positive];
  return null;
}

/** Drift of the model's scores (or of its labels, for multiclass models) against its scores on the reference. */
function scoreDrift(reference: PreparedReference, predictions: readonly LoggedPrediction[], config: MonitorConfig): ColumnDriftResult | null {
  const options = { mode: config.drift.mode, minRows: config.drift.min_rows, tests: config.drift.tests, thresholds: config.drift.thresholds };
  if (reference.scores && reference.task !== 'multiclass') {
    const cur = Float64Array.from(predictions, (p) => scoreOf(p, reference.positiveClass) ?? Number.NaN);
    const ref = Float64Array.from(reference.scores, (v) => v ?? Number.NaN);
    return driftColumn({ name: 'prediction', type: 'number', values: ref }, { name: 'prediction', type: 'number', values: cur }, { ...options, kind: 'numerical' });
  }
  if (reference.labels) {
    const cur = predictions.map((p) => p.outputs.label ?? null);
    return driftColumn({ name: 'prediction', type: 'string', values: reference.labels }, { name: 'prediction', type: 'string', values: cur }, options);
  }
  return null;
}

function performanceOf(reference: PreparedReference, predictions: readonly LoggedPrediction[], config: MonitorConfig, monitor: string): PerformanceReport | null {
  const labeled = predictions.filter((p) => p.feedback !== undefined);
  const perf = config.performance;
  if (labeled.length < perf.min_labels) return null;
  if (reference.task === 'regression') {
    const rows = labeled.filter((p) => typeof p.outputs.value === 'number' && Number.isFinite(Number(p.feedback)));
    if (rows.length < perf.min_labels) return null;
    const m = regressionMetrics(Float64Array.from(rows, (p) => Number(p.feedback)), Float64Array.from(rows, (p) => p.outputs.value!));
    return { task: 'regression', labeled: rows.length, metrics: { ...(m as unknown as Record<string, number>) }, fairness: null };
  }
  if (reference.task === 'multiclass') {
    const correct = labeled.filter((p) => p.outputs.label === String(p.feedback)).length;
    return { task: 'multiclass', labeled: labeled.length, metrics: { accuracy: correct / labeled.length }, fairness: null };
  }
  const positive = perf.positive ?? reference.positiveClass;
  if (positive === null) {
    throw new SluiceError('CONFIG_INVALID', `Monitor '${monitor}' cannot tell which label is positive`, { where: `monitors.${monitor}.performance.positive`, hint: 'Set `performance.positive` to the positive label.' });
  }
  const rows = labeled.filter((p) => scoreOf(p, positive) !== null);
  if (rows.length < perf.min_labels) return null;
  const y = Uint8Array.from(rows, (p) => (String(p.feedback) === positive ? 1 : 0));
  const proba = Float64Array.from(rows, (p) => scoreOf(p, positive)!);
  const m = binaryClassificationMetrics(y, proba, perf.threshold);
  const metrics = { accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, roc_auc: m.roc_auc, log_loss: m.log_loss, positive_rate: m.positives / m.rows };
  let fairness: FairnessReport | null = null;
  if (perf.sensitive.length) {
    const attributes = perf.sensitive.map((name) => ({ name, values: rows.map((p) => (p.inputs[name] === null || p.inputs[name] === undefined ? null : String(p.inputs[name]))) }));
    fairness = fairnessReport(attributes, y, proba, { threshold: perf.threshold, privileged: perf.privileged, bootstrap: false });
  }
  return { task: 'binary', labeled: rows.length, positive, threshold: perf.threshold, metrics, fairness };
}
