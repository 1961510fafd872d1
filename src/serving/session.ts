/**
 * The model runtime: an onnxruntime session over a package's model.onnx that runs a Batch and
 * returns its outputs as flat arrays, ready to be sliced per request.
 *
 * onnxruntime-node runs a session synchronously on the JavaScript thread, so one intra-op
 * thread: the HTTP work and the model share the process's core, and on small tabular models
 * ORT's thread pool costs more than it gains (measured: 1,000 rows in 0.8 ms vs 3 ms).
 */
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { SluiceError } from '../errors.js';
import { MODEL_FILE, type ModelSignature } from '../training/package/index.js';
import type { Batch } from './columns.js';

export interface ModelOutputs {
  rows: number;
  /** The predicted class per row (classification). */
  labels?: string[];
  /** Row-major, `classes.length` per row, in signature.classes order (classification). */
  probabilities?: Float32Array | Float64Array;
  /** The predicted value per row (regression). */
  values?: Float32Array | Float64Array;
}

export interface ModelRuntime {
  run(batch: Batch): Promise<ModelOutputs>;
  dispose(): Promise<void>;
}

type Ort = typeof import('onnxruntime-node');

export async function openModelRuntime(dir: string, signature: ModelSignature): Promise<ModelRuntime> {
  const ort: Ort = await import('onnxruntime-node');
  const file = join(dir, MODEL_FILE);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new SluiceError('ARTIFACT_CORRUPT', `onnxruntime cannot load the model: ${(e as Error).message}`, { where: file, cause: e });
  }
  const dims = signature.inputs.map((i) => i.shape.length);
  return {
    async run(batch) {
      const feeds: Record<string, Tensor> = {};
      signature.inputs.forEach((input, j) => {
        feeds[input.name] = new ort.Tensor(input.type, batch.columns[j] as never, dims[j] === 1 ? [batch.rows] : [batch.rows, 1]);
      });
      const result = await session.run(feeds);
      const out: ModelOutputs = { rows: batch.rows };
      for (const o of signature.outputs) {
        const data = result[o.name]?.data;
        if (data === undefined) throw new SluiceError('ARTIFACT_CORRUPT', `model.onnx gave no output '${o.name}' named in the signature`);
        if (o.role === 'label') out.labels = Array.isArray(data) ? (data as string[]) : Array.from(data as ArrayLike<unknown>, String);
        else if (o.role === 'probabilities') out.probabilities = _float(data);
        else out.values = _float(data);
      }
      return out;
    },
    dispose: () => session.release(),
  };
}

function _float(data: Tensor['data']): Float32Array | Float64Array {
  if (data instanceof Float32Array || data instanceof Float64Array) return data;
  return Float64Array.from(data as ArrayLike<number | bigint>, Number);
}

/** The outputs of rows [start, start + rows) of a batch: views, not copies. */
export function sliceOutputs(out: ModelOutputs, start: number, rows: number, width: number): ModelOutputs {
  if (start === 0 && rows === out.rows) return out;
  return {
    rows,
    labels: out.labels?.slice(start, start + rows),
    probabilities: out.probabilities?.subarray(start * width, (start + rows) * width),
    values: out.values?.subarray(start, start + rows),
  };
}
