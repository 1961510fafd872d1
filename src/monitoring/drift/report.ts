/**
 * A dataset drift report: every column of the reference compared with the same column of the
 * current window, then the share of drifted columns, optionally after correcting p-values for
 * multiple testing.
 */
import { SluiceError } from '../../errors.js';
import type { NumericBinning } from './binning.js';
import { driftColumn, judge, type ColumnDriftResult, type ColumnOptions } from './column.js';
import type { DriftColumn } from './columns.js';
import { adjustPValues, type Correction } from './correction.js';
import type { ColumnKind, DriftMode, StatTestName } from './modes.js';

/** Anything with columns: a src/data Table fits. */
export interface DriftTable {
  columns: readonly DriftColumn[];
}

export interface DriftReportOptions {
  mode?: DriftMode;
  /** Columns to compare (default: every reference column). */
  include?: readonly string[];
  /** Per-column kind, test and threshold. */
  columns?: Record<string, ColumnOptions>;
  /** Test per kind for columns that name none, instead of the mode's default selection. */
  tests?: Partial<Record<ColumnKind, StatTestName>>;
  /** Threshold per test for columns that set none, instead of the mode's. */
  thresholds?: Partial<Record<StatTestName, number>>;
  binning?: NumericBinning;
  /** Default 30 non-missing rows per side. */
  minRows?: number;
  /** Correction of p-value tests across columns. Default 'none' (Evidently applies none). */
  correction?: Correction;
  /** Dataset drift when the drifted share is at least this. Default 0.5 (Evidently). */
  driftShare?: number;
}

export interface DatasetDrift {
  /** Columns compared, those with a verdict, and those without (insufficient data). */
  columns: number;
  evaluated: number;
  insufficient: number;
  drifted: number;
  /** drifted ÷ evaluated (0 when nothing was evaluated). */
  share: number;
  driftShare: number;
  datasetDrift: boolean;
  correction: Correction;
}

export interface DriftReport {
  mode: DriftMode;
  columns: ColumnDriftResult[];
  dataset: DatasetDrift;
}

export function driftReport(reference: DriftTable, current: DriftTable, options: DriftReportOptions = {}): DriftReport {
  const mode = options.mode ?? 'evidently';
  const correction = options.correction ?? 'none';
  const driftShare = options.driftShare ?? 0.5;
  const byName = new Map(current.columns.map((c) => [c.name, c]));
  const names = options.include ?? reference.columns.map((c) => c.name);
  const refByName = new Map(reference.columns.map((c) => [c.name, c]));

  const results = names.map((name) => {
    const ref = refByName.get(name);
    const cur = byName.get(name);
    if (!ref || !cur) {
      throw new SluiceError('SCHEMA_MISMATCH', `Column '${name}' is missing from the ${ref ? 'current' : 'reference'} data`, {
        where: name,
        hint: 'Compare windows with the same columns, or list the shared ones in `include`.',
      });
    }
    return driftColumn(ref, cur, {
      mode, minRows: options.minRows, binning: options.binning, tests: options.tests, thresholds: options.thresholds,
      ...options.columns?.[name],
    });
  });

  if (correction !== 'none') applyCorrection(results, correction);

  const evaluated = results.filter((r) => r.drifted !== null);
  const drifted = evaluated.filter((r) => r.drifted).length;
  const share = evaluated.length ? drifted / evaluated.length : 0;
  return {
    mode,
    columns: results,
    dataset: {
      columns: results.length,
      evaluated: evaluated.length,
      insufficient: results.length - evaluated.length,
      drifted,
      share,
      driftShare,
      datasetDrift: evaluated.length > 0 && share >= driftShare,
      correction,
    },
  };
}

/** Adjusts the p-values of columns judged on p-values and re-judges them. */
function applyCorrection(results: ColumnDriftResult[], correction: Correction): void {
  const judged = results.filter((r) => r.drifted !== null && r.details.verdictOn === 'pValue' && r.pValue !== undefined);
  const adjusted = adjustPValues(judged.map((r) => r.pValue!), correction);
  judged.forEach((r, i) => {
    r.details.adjustedPValue = adjusted[i];
    r.drifted = judge(r.statistic, adjusted[i], 'pValue', r.details.operator, r.threshold);
  });
}
