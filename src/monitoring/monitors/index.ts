/**
 * Monitors (issue 7): a window of a model's live traffic compared with a reference dataset
 * version, drift per input and of the predictions, data quality, accuracy and fairness once
 * feedback labels exist; results stored as a time series and as JSON and HTML reports.
 */
export { runMonitor, monitorConfig, type MonitorProject, type RunMonitorOptions, type MonitorRunResult } from './run.js';
export { analyzeWindow, type MonitorMetric, type PerformanceReport, type WindowAnalysis } from './analyze.js';
export { listMonitorRuns, getMonitorRun, listRunMetrics, metricSeries, type MonitorRun, type MonitorRunStatus, type MonitorRunSummary, type MetricPoint } from './records.js';
export { renderMonitorHtml, type MonitorReport } from './html.js';
export { loadReference, referenceDatasetId, type PreparedReference } from './reference.js';
