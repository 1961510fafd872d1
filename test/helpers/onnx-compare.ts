/** Test helper: how far a model's ONNX graph is from its TypeScript predictions. */
import type { Table } from '../../src/data/table.js';
import type { ModelSignature } from '../../src/training/package/signature.js';
import { predictTable } from '../../src/training/package/predict.js';

/**
 * Largest |ONNX - TypeScript| over every class probability (or value) of every row, absolute and
 * relative. `ts` is what the TypeScript predictor returns: the value (regression), P(positive)
 * (binary), or K probabilities per row (multiclass).
 */
export async function onnxVsTypeScript(
  onnxModel: Uint8Array,
  signature: ModelSignature,
  model: { task: string; classes: string[] },
  table: Table,
  ts: Float64Array,
): Promise<{ abs: number; rel: number }> {
  const ort = await import('onnxruntime-node');
  const onnx = await predictTable(await ort.InferenceSession.create(onnxModel), signature, table);
  const K = model.classes.length;
  const pairs: [number, number][] = [];
  for (let i = 0; i < table.rowCount; i++) {
    if (model.task === 'regression') pairs.push([onnx.values![i], ts[i]]);
    else if (model.task === 'binary') pairs.push([onnx.probabilities![i][1], ts[i]], [onnx.probabilities![i][0], 1 - ts[i]]);
    else for (let k = 0; k < K; k++) pairs.push([onnx.probabilities![i][k], ts[i * K + k]]);
  }
  let abs = 0;
  let rel = 0;
  for (const [a, b] of pairs) {
    abs = Math.max(abs, Math.abs(a - b));
    rel = Math.max(rel, Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
  }
  return { abs, rel };
}
