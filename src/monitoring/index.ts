/**
 * Monitoring (issue 7): drift statistics, loading tables for them, production data quality,
 * one-off drift comparisons and their HTML report. Monitors and alert rules live in
 * ./monitors and ./alerts.
 */
export * from './drift/index.js';
export * from './load/index.js';
export { qualityReport, DEFAULT_QUALITY_THRESHOLDS } from './quality.js';
export type { QualityReport, QualityOptions, QualityThresholds, ColumnQuality, NullCheck, RangeCheck, UnseenCheck, InvalidCheck } from './quality.js';
export { driftDistributions, distribution } from './distributions.js';
export type { ColumnDistribution, NumericDistribution, CategoricalDistribution, DistributionOptions } from './distributions.js';
export { renderDriftHtml } from './report-html.js';
export type { DriftHtmlMeta, DriftHtmlReport } from './report-html.js';
export { compareSources } from './compare.js';
export type { CompareOptions, DriftComparison, SideInfo } from './compare.js';
