/**
 * Built-in linear regression (ridge) on typed arrays, solved exactly: the normal equations of the
 * centred design matrix by Cholesky. No iterations, no randomness.
 *
 * Objective (minimised):  (1 / 2n) * sum of squared residuals + (l2 / 2) * ||w||²
 * The intercept is not penalised. Multiplied by 2n this is scikit-learn's Ridge objective
 * ||y - Xw - b||² + alpha ||w||² with alpha = l2 * n, on the features encoded as for the logistic
 * regression (standardised numbers, one-hot categories, see encoding.ts); the same scaling as the
 * logistic regression's C = 1 / (l2 * n).
 *
 * With l2 = 0 (ordinary least squares) a column that is a linear combination of earlier ones, such
 * as the last category of a feature without missing values (collinear with the intercept), gets
 * weight 0, as R's lm() drops aliased coefficients: the fitted values are the least-squares ones.
 */
import { SluiceError } from '../errors.js';
import type { Table } from '../data/table.js';
import { encode, fitEncoder, type Encoder } from './encoding.js';

export interface LinearModel {
  type: 'linear_regression';
  target: string;
  encoder: Encoder;
  /** One per encoded feature, in the order of featureNames. */
  weights: number[];
  intercept: number;
  featureNames: string[];
  l2: number;
}

export interface TrainLinearOptions {
  /** A number column. */
  target: string;
  /** Feature columns; default every column except the target and `exclude`. */
  features?: string[];
  exclude?: string[];
  /** L2 penalty on the weights (see the objective above). Default 1e-3. */
  l2?: number;
}

export interface TrainLinearResult {
  model: LinearModel;
  /** Mean squared error on the training rows. */
  loss: number;
  /** Mean squared error on the validation rows, when a validation table was given. */
  validationLoss?: number;
  /** Encoded features given weight 0 because they are collinear with earlier ones (l2 = 0 only). */
  aliased: string[];
}

/** A pivot below this share of its column's diagonal means the column adds nothing new. */
const ALIASED = 1e-9;

export function trainLinearRegression(train: Table, options: TrainLinearOptions, validation?: Table): TrainLinearResult {
  const l2 = options.l2 ?? 1e-3;
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new SluiceError('USAGE', `Linear regression: l2 must be a finite number >= 0, got ${l2}`);
  const n = train.rowCount;
  if (n === 0) throw new SluiceError('DATA_INVALID', 'The training table has no rows');
  const y = _target(train, options.target, 'training');
  const encoder = fitEncoder(train, _featureNames(train, options));
  const { X, cols: d } = encode(encoder, train);

  // With the intercept unpenalised, the weights solve the centred problem:
  //   (Xcᵀ Xc + n l2 I) w = Xcᵀ yc,  Xcᵀ Xc = Xᵀ X - n x̄ x̄ᵀ,  Xcᵀ yc = Xᵀ (y - ȳ).
  // Xᵀ X is summed over each row's non-zeros (one-hot rows are mostly zeros); the encoder has
  // already centred the numeric columns, so the subtraction loses nothing worth mentioning.
  const xMean = new Float64Array(d);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    for (let j = 0; j < d; j++) xMean[j] += X[i * d + j];
  }
  yMean /= n;
  for (let j = 0; j < d; j++) xMean[j] /= n;
  const G = new Float64Array(d * d);
  const b = new Float64Array(d);
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const r = y[i] - yMean;
    let nnz = 0;
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j];
      if (v !== 0) {
        idx[nnz] = j;
        val[nnz++] = v;
      }
    }
    for (let a = 0; a < nnz; a++) {
      const ja = idx[a];
      const va = val[a];
      b[ja] += va * r;
      for (let c = a; c < nnz; c++) G[ja * d + idx[c]] += va * val[c];
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      const g = G[j * d + k] - n * xMean[j] * xMean[k] + (j === k ? n * l2 : 0);
      G[j * d + k] = g;
      G[k * d + j] = g;
    }
  }
  const { w, aliased } = _solve(G, d, b);

  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= w[j] * xMean[j];
  const model: LinearModel = {
    type: 'linear_regression',
    target: options.target,
    encoder,
    weights: Array.from(w),
    intercept,
    featureNames: encoder.names.slice(),
    l2,
  };
  const result: TrainLinearResult = { model, loss: _mse(predictLinear(model, train), y), aliased: aliased.map((j) => encoder.names[j]) };
  if (validation) result.validationLoss = _mse(predictLinear(model, validation), _target(validation, options.target, 'validation'));
  return result;
}

/** The predicted value for every row of the table; the target column is not needed. */
export function predictLinear(model: LinearModel, table: Table): Float64Array {
  if (model.type !== 'linear_regression' || model.weights.length !== model.encoder.names.length) {
    throw new SluiceError('ARTIFACT_CORRUPT', 'Not a valid linear regression model (type or weight count is wrong)');
  }
  const { X, rows, cols } = encode(model.encoder, table);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = model.intercept;
    for (let j = 0; j < cols; j++) z += X[i * cols + j] * model.weights[j];
    out[i] = z;
  }
  return out;
}

/**
 * Solves G w = b by Cholesky (G = L Lᵀ). A column whose pivot is (almost) zero, which takes l2 = 0
 * or a penalty below rounding, is aliased: its row and column of L stay zero and its weight is 0.
 */
function _solve(G: Float64Array, d: number, b: Float64Array): { w: Float64Array; aliased: number[] } {
  const L = new Float64Array(d * d);
  const aliased: number[] = [];
  const skip = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    let s = G[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] * L[j * d + k];
    if (!(s > ALIASED * G[j * d + j])) {
      if (!Number.isFinite(s)) throw new SluiceError('INTERNAL', 'Linear regression: the normal equations hold non-finite values');
      skip[j] = 1;
      aliased.push(j);
      continue;
    }
    const p = Math.sqrt(s);
    L[j * d + j] = p;
    for (let i = j + 1; i < d; i++) {
      let t = G[i * d + j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / p;
    }
  }
  const w = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    if (skip[i]) {
      w[i] = 0;
      continue;
    }
    let s = w[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * w[k];
    w[i] = s / L[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    if (skip[i]) continue;
    let s = w[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * w[k];
    w[i] = s / L[i * d + i];
  }
  return { w, aliased };
}

function _target(table: Table, target: string, where: string): Float64Array {
  const col = table.columns.find((c) => c.name === target);
  if (!col) {
    const available = table.columns.map((c) => `'${c.name}'`).join(', ');
    throw new SluiceError('DATA_INVALID', `Target column '${target}' is not in the ${where} table (columns: ${available})`);
  }
  if (col.type !== 'number') {
    throw new SluiceError('DATA_INVALID', `Target column '${target}' must be a number column for linear regression, not ${col.type}`, {
      where: `column '${target}'`,
      hint: 'Cast the target to a number during preparation, or train a classifier.',
    });
  }
  const bad = col.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new SluiceError('DATA_INVALID', `Target column '${target}' has a missing or non-finite value at row ${bad} of the ${where} data (${col.values[bad]})`, {
      where: `column '${target}'`,
      hint: 'Drop or fill rows without a finite target during preparation.',
    });
  }
  return col.values;
}

function _featureNames(table: Table, options: TrainLinearOptions): string[] {
  const names = table.columns.map((c) => c.name);
  for (const e of options.exclude ?? []) {
    if (!names.includes(e)) throw new SluiceError('DATA_INVALID', `Excluded column '${e}' is not in the table`);
  }
  const features = options.features ?? names.filter((c) => c !== options.target && !(options.exclude ?? []).includes(c));
  if (features.includes(options.target)) throw new SluiceError('USAGE', `Linear regression: target column '${options.target}' cannot also be a feature`);
  if (features.length === 0) throw new SluiceError('DATA_INVALID', 'No feature columns are left to train on');
  return features;
}

function _mse(p: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return s / y.length;
}
