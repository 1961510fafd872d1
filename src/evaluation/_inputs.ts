/** Input checks shared by the metric functions. */
import { SluiceError } from '../errors.js';

/** Same length, at least one row, labels 0 or 1, probabilities in [0, 1]. */
export function _checkBinary(yTrue: Uint8Array, proba: Float64Array): void {
  const n = yTrue.length;
  if (proba.length !== n) {
    throw new SluiceError('DATA_INVALID', `Labels and probabilities differ in length (${n} vs ${proba.length})`);
  }
  if (n === 0) throw new SluiceError('DATA_INVALID', 'Cannot compute metrics on zero rows');
  for (let i = 0; i < n; i++) {
    if (yTrue[i] > 1) throw new SluiceError('DATA_INVALID', `Label at row ${i} is ${yTrue[i]}; labels must be 0 or 1`);
    const p = proba[i];
    if (!(p >= 0 && p <= 1)) throw new SluiceError('DATA_INVALID', `Probability at row ${i} is ${p}; it must be in [0, 1]`);
  }
}

/** Same length, at least one row, every value finite. */
export function _checkFinitePairs(yTrue: Float64Array, yPred: Float64Array): void {
  const n = yTrue.length;
  if (yPred.length !== n) throw new SluiceError('DATA_INVALID', `Targets and predictions differ in length (${n} vs ${yPred.length})`);
  if (n === 0) throw new SluiceError('DATA_INVALID', 'Cannot compute metrics on zero rows');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(yTrue[i])) throw new SluiceError('DATA_INVALID', `Target at row ${i} is ${yTrue[i]}; it must be a finite number`);
    if (!Number.isFinite(yPred[i])) throw new SluiceError('DATA_INVALID', `Prediction at row ${i} is ${yPred[i]}; it must be a finite number`);
  }
}
