/**
 * Running a model package with onnxruntime: load the session, turn records (or a Table) into
 * the tensors the signature describes, and the outputs back into labels, probabilities or values.
 *
 * onnxruntime-node is imported on first use: loading its native library costs time that
 * commands which never predict should not pay.
 */
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { SluiceError } from '../../errors.js';
import type { Table } from '../../data/table.js';
import type { ModelSignature, SignatureInput } from './signature.js';

export const MODEL_FILE = 'model.onnx';

export interface Predictions {
  rows: number;
  /** The predicted class per row (classification). */
  labels?: string[];
  /** One row per record, one column per class in signature.classes order (classification). */
  probabilities?: number[][];
  /** The predicted value per row (regression). */
  values?: number[];
}

type Ort = typeof import('onnxruntime-node');
let ortModule: Promise<Ort> | undefined;

function _ort(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node');
  return ortModule;
}

/** An onnxruntime session for the package in `dir` (its model.onnx). */
export async function loadOnnxSession(dir: string, signature?: ModelSignature): Promise<InferenceSession> {
  const ort = await _ort();
  const file = join(dir, MODEL_FILE);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(file);
  } catch (e) {
    throw new SluiceError('ARTIFACT_CORRUPT', `onnxruntime cannot load ${file}: ${(e as Error).message}`, { where: file, cause: e });
  }
  if (signature) {
    const missing = signature.inputs.map((i) => i.name).filter((n) => !session.inputNames.includes(n));
    if (missing.length > 0) {
      throw new SluiceError('ARTIFACT_CORRUPT', `The signature names input(s) ${missing.map((n) => `'${n}'`).join(', ')} that model.onnx does not have`, {
        where: file,
        details: { modelInputs: [...session.inputNames] },
      });
    }
  }
  return session;
}

/**
 * Predicts for records such as `{ age: 39, workclass: 'State-gov', ... }`. A field that is absent,
 * null or NaN is missing (allowed when the input is nullable); fields the signature does not name
 * are ignored. A value of the wrong type is an error naming the field, the record and the type.
 */
export async function predictRecords(
  session: InferenceSession,
  signature: ModelSignature,
  records: Record<string, unknown>[],
): Promise<Predictions> {
  _checkColumnInputs(signature);
  if (!Array.isArray(records)) throw new SluiceError('DATA_INVALID', 'Records must be an array of objects');
  const bad = records.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) throw new SluiceError('DATA_INVALID', `Record ${bad} is not an object: ${_show(records[bad])}`);
  const errors = new _Errors();
  const columns = signature.inputs.map((input) =>
    _column(input, records.map((r) => r[input.name]), (row, message) => errors.add(`Field '${input.name}' of record ${row} ${message}`)),
  );
  errors.throwIfAny();
  return _run(session, signature, columns, records.length);
}

/** Predicts for every row of a Table: number columns feed numeric inputs, string columns string inputs. */
export async function predictTable(session: InferenceSession, signature: ModelSignature, table: Table): Promise<Predictions> {
  _checkColumnInputs(signature);
  const errors = new _Errors();
  const columns = signature.inputs.map((input) => {
    const col = table.columns.find((c) => c.name === input.name);
    if (!col) {
      errors.add(`Column '${input.name}' is missing (the model needs ${signature.inputs.map((i) => `'${i.name}'`).join(', ')})`);
      return [];
    }
    if ((col.type === 'string') !== (input.type === 'string')) {
      errors.add(`Column '${input.name}' holds ${col.type}s; the model needs ${input.type === 'string' ? 'strings' : `numbers (${input.type})`}`);
      return [];
    }
    return _column(input, col.values, (row, message) => errors.add(`Column '${input.name}' at row ${row} ${message}`));
  });
  errors.throwIfAny();
  return _run(session, signature, columns, table.rowCount);
}

/** Records and Table columns map to inputs one column each: [N, 1] or [N]. */
function _checkColumnInputs(signature: ModelSignature): void {
  const wide = signature.inputs.find((i) => i.shape.length > 2 || (i.shape.length === 2 && i.shape[1] !== 1));
  if (wide) {
    throw new SluiceError('USAGE', `Input '${wide.name}' has shape [${wide.shape.map((d) => d ?? 'N').join(', ')}]: records and tables can only feed inputs of one column ([N, 1] or [N])`, {
      hint: 'Export the model with one input per feature column (skl2onnx: one initial type per column).',
    });
  }
}

type _Column = Float32Array | Float64Array | BigInt64Array | string[];

/** Checks and converts one input's values; `fail` records an error for a row. */
function _column(input: SignatureInput, values: ArrayLike<unknown>, fail: (row: number, message: string) => void): _Column {
  const n = values.length;
  const missingOk = input.nullable;
  if (input.type === 'string') {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v === 'string') out[i] = v;
      else if (v === null || v === undefined) {
        if (!missingOk) fail(i, 'is required (a string)');
        out[i] = ''; // how every Sluice model reads a missing string (signature: missing '')
      } else fail(i, `must be a string; got ${_show(v)}`);
    }
    return out;
  }
  const out = input.type === 'float32' ? new Float32Array(n) : input.type === 'float64' ? new Float64Array(n) : new BigInt64Array(n);
  const kind = input.type === 'int64' ? 'an integer' : 'a number';
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      if (!missingOk || input.type === 'int64') fail(i, `is required (${kind}, ${input.type})`);
      else (out as Float64Array)[i] = NaN;
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail(i, `must be ${kind} (${input.type}); got ${_show(v)}`);
    } else if (out instanceof BigInt64Array) {
      if (Number.isInteger(v)) out[i] = BigInt(v);
      else fail(i, `must be an integer (int64); got ${v}`);
    } else out[i] = v;
  }
  return out;
}

async function _run(session: InferenceSession, signature: ModelSignature, columns: _Column[], rows: number): Promise<Predictions> {
  const ort = await _ort();
  const feeds: Record<string, Tensor> = {};
  signature.inputs.forEach((input, j) => {
    // Every built-in input is one column; a 1-D input (shape [N]) is fed as such.
    const dims = input.shape.length === 1 ? [rows] : [rows, 1];
    feeds[input.name] = new ort.Tensor(input.type, columns[j] as never, dims);
  });
  const result = await session.run(feeds);
  const out: Predictions = { rows };
  for (const o of signature.outputs) {
    const t = result[o.name];
    if (!t) throw new SluiceError('ARTIFACT_CORRUPT', `model.onnx has no output '${o.name}' named in the signature`);
    if (o.role === 'label') out.labels = Array.from(t.data as ArrayLike<unknown>, String);
    else if (o.role === 'value') out.values = Array.from(t.data as ArrayLike<number>, Number);
    else {
      const width = t.dims.length > 1 ? Number(t.dims[1]) : 1;
      const data = t.data as Float32Array;
      out.probabilities = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));
    }
  }
  return out;
}

/** Keeps the first ten errors and counts the rest, so one bad column of a million rows stays readable. */
class _Errors {
  private readonly first: string[] = [];
  private count = 0;

  add(message: string): void {
    if (this.count++ < 10) this.first.push(message);
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.count > 1 ? ` (and ${this.count - 1} more)` : '';
    throw new SluiceError('DATA_INVALID', `${this.first[0]}${more}`, {
      details: { errors: this.first, count: this.count },
      hint: 'See the model signature (signature.json) for the inputs, their types and how to write a missing value.',
    });
  }
}

function _show(v: unknown): string {
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v;
}
