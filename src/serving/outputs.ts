/**
 * Predictions as records, the shape /predict, /invocations and the prediction log share:
 * `{label, probabilities: {class: p}}` for a classifier, `{value}` for a regressor.
 */
import type { ModelSignature } from '../training/package/index.js';
import type { ModelOutputs } from './session.js';

export interface PredictionRecord {
  label?: string;
  probabilities?: Record<string, number>;
  value?: number;
}

export function outputRecord(signature: ModelSignature, out: ModelOutputs, row: number): PredictionRecord {
  const record: PredictionRecord = {};
  if (out.labels) record.label = out.labels[row];
  if (out.probabilities) {
    const classes = signature.classes ?? [];
    const width = out.probabilities.length / out.rows;
    const probabilities: Record<string, number> = {};
    for (let k = 0; k < width; k++) probabilities[classes[k] ?? String(k)] = out.probabilities[row * width + k];
    record.probabilities = probabilities;
  }
  if (out.values) record.value = out.values[row];
  return record;
}

export function outputRecords(signature: ModelSignature, out: ModelOutputs): PredictionRecord[] {
  const records = new Array<PredictionRecord>(out.rows);
  for (let r = 0; r < out.rows; r++) records[r] = outputRecord(signature, out, r);
  return records;
}
