/**
 * Drift statistics (issue 7): per-column tests between a reference and a current window,
 * Evidently's default test selection, compatibility modes for where Evidently, TFDV and
 * NannyML disagree, and the dataset-level drift share with optional p-value correction.
 * Pure TypeScript on typed arrays; every statistic is checked against scipy/numpy
 * (test/reference/drift).
 */
export { driftReport } from './report.js';
export type { DriftReport, DriftReportOptions, DatasetDrift, DriftTable } from './report.js';
export { driftColumn } from './column.js';
export type { ColumnDriftResult, ColumnDriftDetails, ColumnDriftOptions, ColumnOptions } from './column.js';
export type { DriftColumn } from './columns.js';
export { MODES, TESTS_FOR } from './modes.js';
export type { DriftMode, ModeConfig, ColumnKind, StatTestName, Operator, Verdict } from './modes.js';
export type { NumericBinning, BinnedCounts } from './binning.js';
export type { Correction } from './correction.js';

// The statistics themselves, for callers with their own data handling.
export { ks2samp, ksStatistic } from './ks.js';
export type { KsResult } from './ks.js';
export { kolmogorovSf, smirnovSf } from './kolmogorov.js';
export { wassersteinDistance, wassersteinNormed } from './wasserstein.js';
export { binNumeric, valueCounts, sturgesEdges, doaneEdges, quantilesSorted, histogramSorted } from './binning.js';
export { toShares, psi, klDivergence, jensenShannon, lInfinity, relEntr } from './divergence.js';
export { chiSquareGoodnessOfFit, chiSquareContingency } from './chisquare.js';
export type { ChiSquareResult } from './chisquare.js';
export { twoProportionZTest } from './ztest.js';
export { adjustPValues } from './correction.js';
export { chi2Sf, gammaQ, lgamma, normalTwoSidedP } from './special.js';
export { pairwiseSum, mean, std, sortInPlace, sortedFinite } from './numeric.js';
