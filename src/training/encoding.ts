/**
 * Turns a Table into a dense design matrix for the built-in trainers.
 *
 * - Numeric columns are standardised with the training mean and population standard deviation
 *   (ddof = 0, like scikit-learn's StandardScaler). Missing values (NaN) become the mean, i.e. 0
 *   after standardising. A constant column gets std 1, so it encodes as all zeros and carries no
 *   weight instead of dividing by zero.
 * - String columns are one-hot encoded over the categories seen in training, sorted by code unit
 *   order so the same data always gives the same columns. Missing (null) and categories unseen in
 *   training encode as all zeros (the model falls back to the intercept for that feature).
 *
 * The Encoder is a plain JSON object: it is stored inside the model and reused at predict time.
 */
import { SluiceError } from '../errors.js';
import type { Column, Table } from '../data/table.js';

export interface NumericEncoding {
  kind: 'numeric';
  name: string;
  mean: number;
  /** Population std of the training values; 1 for a constant column. */
  std: number;
}

export interface CategoricalEncoding {
  kind: 'categorical';
  name: string;
  /** Sorted; one output column per category, named `name=category`. */
  categories: string[];
}

export type FeatureEncoding = NumericEncoding | CategoricalEncoding;

export interface Encoder {
  features: FeatureEncoding[];
  /** Names of the output columns, in order. */
  names: string[];
}

export interface EncodedMatrix {
  /** Row-major, rows × cols. */
  X: Float64Array;
  rows: number;
  cols: number;
  names: string[];
}

export interface FitEncoderOptions {
  /** A string column with more distinct values than this is refused (likely an id). Default 1000. */
  maxCategories?: number;
}

export function fitEncoder(table: Table, features: string[], options: FitEncoderOptions = {}): Encoder {
  const maxCategories = options.maxCategories ?? 1000;
  const encodings: FeatureEncoding[] = [];
  const names: string[] = [];
  for (const name of features) {
    const col = _featureColumn(table, name);
    if (col.type === 'number') {
      const values = col.values;
      _checkFinite(col);
      let n = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (Number.isNaN(v)) continue;
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (n === 0) throw _allMissing(name, table.rowCount);
      // A constant column takes its value as the mean (sum / n can be off by one ulp), so it
      // encodes as exactly 0.
      const constant = min === max;
      const mean = constant ? min : sum / n;
      let ss = 0;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
      }
      const std = constant ? 1 : Math.sqrt(ss / n);
      encodings.push({ kind: 'numeric', name, mean, std });
      names.push(name);
    } else {
      const seen = new Set<string>();
      for (const v of col.values) if (v !== null) seen.add(v);
      if (seen.size === 0) throw _allMissing(name, table.rowCount);
      if (seen.size > maxCategories) {
        throw new SluiceError(
          'DATA_INVALID',
          `Column '${name}' has ${seen.size} distinct values, more than the ${maxCategories} a one-hot feature may have`,
          { where: `column '${name}'`, hint: `Exclude '${name}' from the features, or bucket it during preparation.` },
        );
      }
      // Plain comparison, not localeCompare: the order must not depend on the machine's locale.
      const categories = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      encodings.push({ kind: 'categorical', name, categories });
      for (const c of categories) names.push(`${name}=${c}`);
    }
  }
  return { features: encodings, names };
}

export function encode(encoder: Encoder, table: Table): EncodedMatrix {
  const rows = table.rowCount;
  const cols = encoder.names.length;
  const X = new Float64Array(rows * cols);
  let offset = 0;
  for (const f of encoder.features) {
    const col = _featureColumn(table, f.name);
    if (f.kind === 'numeric') {
      if (col.type !== 'number') throw _wrongType(f.name, 'number', col.type);
      _checkFinite(col);
      const values = col.values;
      for (let i = 0; i < rows; i++) {
        const v = values[i];
        X[i * cols + offset] = Number.isNaN(v) ? 0 : (v - f.mean) / f.std;
      }
      offset += 1;
    } else {
      if (col.type !== 'string') throw _wrongType(f.name, 'string', col.type);
      const index = new Map<string, number>();
      f.categories.forEach((c, j) => index.set(c, j));
      const values = col.values;
      for (let i = 0; i < rows; i++) {
        const v = values[i];
        const j = v === null ? undefined : index.get(v);
        if (j !== undefined) X[i * cols + offset + j] = 1;
      }
      offset += f.categories.length;
    }
  }
  return { X, rows, cols, names: encoder.names.slice() };
}

function _featureColumn(table: Table, name: string): Column {
  const col = table.columns.find((c) => c.name === name);
  if (!col) {
    const available = table.columns.map((c) => `'${c.name}'`).join(', ');
    throw new SluiceError('DATA_INVALID', `Feature column '${name}' is not in the table (columns: ${available})`, {
      where: `column '${name}'`,
    });
  }
  if (col.values.length !== table.rowCount) {
    throw new SluiceError(
      'DATA_INVALID',
      `Column '${name}' has ${col.values.length} values but the table has ${table.rowCount} rows`,
      { where: `column '${name}'` },
    );
  }
  return col;
}

function _checkFinite(col: Column & { type: 'number' }): void {
  const values = col.values;
  let count = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === Infinity || values[i] === -Infinity) {
      if (count === 0) first = i;
      count++;
    }
  }
  if (count > 0) {
    throw new SluiceError(
      'DATA_INVALID',
      `Column '${col.name}' has ${count} infinite value(s) (first at row ${first}: ${values[first]})`,
      { where: `column '${col.name}'`, hint: 'Replace or filter infinite values during preparation.' },
    );
  }
}

function _allMissing(name: string, rows: number): SluiceError {
  return new SluiceError('DATA_INVALID', `Feature column '${name}' has only missing values (${rows} rows)`, {
    where: `column '${name}'`,
    hint: `Exclude '${name}' from the features.`,
  });
}

function _wrongType(name: string, expected: string, actual: string): SluiceError {
  return new SluiceError(
    'SCHEMA_MISMATCH',
    `Column '${name}' is of type ${actual} but the model was trained with it as ${expected}`,
    { where: `column '${name}'` },
  );
}
