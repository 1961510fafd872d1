/** Binary classification metrics per value of declared slice columns. */
import { SluiceError } from '../errors.js';
import { _groupRows, type GroupKey, type GroupValues } from './_groups.js';
import { _checkBinary } from './_inputs.js';
import { binaryClassificationMetrics, type BinaryClassificationMetrics } from './metrics.js';

/** Numbers (NaN = missing) or strings (null = missing), like a Table column's values. */
export interface SliceColumn {
  name: string;
  values: GroupValues;
}

export interface Slice {
  /** The column value; null for the rows where it is missing. */
  value: GroupKey;
  count: number;
  /** roc_auc is NaN in a slice with one class only. */
  metrics: BinaryClassificationMetrics;
}

export interface ColumnSlices {
  column: string;
  /** Values ascending, the missing slice last. */
  slices: Slice[];
}

/** Above this many distinct values a column is not a slice column (bin it in a prepare step). */
export const MAX_SLICES = 200;

export function metricsBySlice(
  columns: SliceColumn[],
  yTrue: Uint8Array,
  proba: Float64Array,
  threshold = 0.5,
): ColumnSlices[] {
  _checkBinary(yTrue, proba);
  return columns.map(({ name, values }) => {
    const { keys, codes } = _groupRows(name, values, yTrue.length);
    if (keys.length > MAX_SLICES) {
      throw new SluiceError('DATA_INVALID', `Slice column '${name}' has ${keys.length} distinct values (at most ${MAX_SLICES})`, {
        hint: 'Bin the column into a few ranges in a prepare step and slice on the binned column.',
      });
    }
    const counts = new Uint32Array(keys.length);
    for (const c of codes) counts[c]++;
    const ys = keys.map((_, g) => new Uint8Array(counts[g]));
    const ps = keys.map((_, g) => new Float64Array(counts[g]));
    const fill = new Uint32Array(keys.length);
    for (let i = 0; i < codes.length; i++) {
      const g = codes[i];
      ys[g][fill[g]] = yTrue[i];
      ps[g][fill[g]++] = proba[i];
    }
    return {
      column: name,
      slices: keys.map((value, g) => ({ value, count: counts[g], metrics: binaryClassificationMetrics(ys[g], ps[g], threshold) })),
    };
  });
}
