/**
 * `runMonitor`: one window of a model's live traffic compared with its reference. Reads the
 * prediction log (and feedback) before `now`, loads the prepared reference (built once per
 * dataset version and model package), computes drift, prediction drift, quality, accuracy and
 * fairness, stores the JSON and HTML reports as artifacts, and records the run with every
 * figure in one transaction. A window with fewer rows than `min_rows` is recorded as
 * insufficient data, with no verdict.
 */
import type { ArtifactStore } from '../../artifacts/index.js';
import type { MonitorConfig, ProjectConfig } from '../../config/index.js';
import { SluiceError } from '../../errors.js';
import { getModelVersion, parseModelRef } from '../../registry/index.js';
import type { Store } from '../../store/index.js';
import { analyzeWindow, type MonitorMetric } from './analyze.js';
import { renderMonitorHtml, type MonitorReport } from './html.js';
import { insertMonitorRun, type MonitorRun, type MonitorRunSummary } from './records.js';
import { loadReference, referenceDatasetId } from './reference.js';
import { readWindow } from './window.js';

export interface MonitorProject {
  config: ProjectConfig;
  store: Store;
  artifacts: ArtifactStore;
}

export interface RunMonitorOptions {
  /** The window ends here (epoch ms); default the current time. Same `now`, same data: same results. */
  now?: number;
}

export interface MonitorRunResult {
  run: MonitorRun;
  /** Whether the reference was prepared now (false: reused from the cache). */
  referenceBuilt: boolean;
}

export function monitorConfig(config: ProjectConfig, name: string): MonitorConfig {
  const monitor = Object.hasOwn(config.monitors, name) ? config.monitors[name] : undefined;
  if (!monitor) {
    const known = Object.keys(config.monitors);
    throw new SluiceError('NOT_FOUND', `No monitor '${name}' in sluice.yaml`, {
      hint: known.length ? `Monitors: ${known.join(', ')}.` : 'Declare one under `monitors:` (see docs/monitoring.md).',
    });
  }
  return monitor;
}

export async function runMonitor(project: MonitorProject, name: string, options: RunMonitorOptions = {}): Promise<MonitorRunResult> {
  const config = monitorConfig(project.config, name);
  const now = options.now ?? Date.now();
  const { name: model, versionOrAlias } = parseModelRef(config.model);
  const mv = await getModelVersion(project.store.db, model, versionOrAlias);
  const window = await readWindow(project.store.db, model, config, now);
  const rows = window.predictions.length;
  const labeled = window.predictions.filter((p) => p.feedback !== undefined).length;
  const base = {
    project: project.config.project, monitor: name, model, version: mv.version,
    windowStart: window.start, windowEnd: window.end, rows, labeledRows: labeled, createdAt: now,
  };

  if (rows < config.min_rows) {
    const summary: MonitorRunSummary = {
      driftedColumns: [], datasetDrift: null, predictionDrift: null, qualityFailures: [], metrics: { rows, labeled_rows: labeled },
      note: `${rows} prediction${rows === 1 ? '' : 's'} in the window; at least ${config.min_rows} are needed for a verdict`,
    };
    const metrics: MonitorMetric[] = [
      { metric: 'rows', column: null, value: rows, threshold: config.min_rows, verdict: 'insufficient_data', detail: null },
      { metric: 'labeled_rows', column: null, value: labeled, threshold: null, verdict: null, detail: null },
    ];
    const run = await insertMonitorRun(project.store, { ...base, referenceDataset: null, status: 'insufficient_data', driftShare: null, accuracy: null, reportDigest: null, htmlDigest: null, summary }, metrics);
    return { run, referenceBuilt: false };
  }

  const datasetId = await referenceDatasetId(project.store, mv, config.reference, project.config.project);
  const { reference, built, digest: referenceDigest } = await loadReference(project, datasetId, mv);
  const analysis = analyzeWindow(reference, window.predictions, config, name);
  const metricValue = (m: string) => analysis.metrics.find((x) => x.metric === m && x.column === null)?.value ?? null;
  const summary: MonitorRunSummary = {
    driftedColumns: analysis.drift.columns.filter((c) => c.drifted).map((c) => c.column),
    datasetDrift: analysis.drift.dataset.evaluated ? analysis.drift.dataset.datasetDrift : null,
    predictionDrift: analysis.predictionDrift?.drifted ?? null,
    qualityFailures: analysis.quality?.failures ?? [],
    metrics: Object.fromEntries(['drift_share', 'prediction_drift_score', 'null_share', 'accuracy', 'roc_auc', 'f1'].map((m) => [m, metricValue(m)]).filter(([, v]) => v !== null)),
  };
  const report: MonitorReport = {
    format: 'sluice-monitor-report/v1',
    monitor: name, model, version: mv.version, modelRef: config.model,
    window: { start: window.start, end: window.end, kind: config.window.kind }, rows, labeledRows: labeled,
    reference: { dataset: datasetId, rows: reference.rows, digest: referenceDigest },
    status: analysis.status, summary,
    drift: analysis.drift, distributions: analysis.distributions, predictionDrift: analysis.predictionDrift, quality: analysis.quality, performance: analysis.performance,
  };
  const json = await project.artifacts.putBytes(JSON.stringify(report, null, 2));
  const html = await project.artifacts.putBytes(renderMonitorHtml(report));
  const run = await insertMonitorRun(project.store, {
    ...base, referenceDataset: datasetId, status: analysis.status, driftShare: analysis.drift.dataset.share,
    accuracy: analysis.performance?.metrics.accuracy ?? null, reportDigest: json.digest, htmlDigest: html.digest, summary,
  }, analysis.metrics);
  return { run, referenceBuilt: built };
}
