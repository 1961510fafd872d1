/**
 * Validated model input: one typed column per signature input, aligned with
 * `signature.inputs`. Every protocol turns its body into a Batch; the batcher joins Batches
 * of concurrent requests into one onnxruntime call and splits the outputs back.
 */
import { SluiceError } from '../errors.js';
import type { ModelSignature, SignatureInput } from '../training/package/index.js';

export type Column = Float32Array | Float64Array | BigInt64Array | string[];

export interface Batch {
  rows: number;
  columns: Column[];
}

const FLOAT32_MAX = 3.4028234663852886e38;

export function emptyColumn(input: SignatureInput, rows: number): Column {
  if (input.type === 'string') return new Array<string>(rows);
  if (input.type === 'float32') return new Float32Array(rows);
  if (input.type === 'float64') return new Float64Array(rows);
  return new BigInt64Array(rows);
}

/**
 * Checks one value for an input and writes it at `row`; returns an error phrase or undefined.
 * null (or an absent field) is a missing value, allowed when the input is nullable: '' for
 * strings and NaN for numbers, as the signature documents. No coercion: "39" is not a number.
 */
export function setCell(input: SignatureInput, column: Column, row: number, v: unknown): string | undefined {
  if (input.type === 'string') {
    if (typeof v === 'string') (column as string[])[row] = v;
    else if (v === null || v === undefined) {
      if (!input.nullable) return 'is required (a string)';
      (column as string[])[row] = '';
    } else return `must be a string; got ${describe(v)}`;
    return undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (column instanceof BigInt64Array) {
      if (!Number.isSafeInteger(v)) return `must be an integer (int64); got ${v}`;
      column[row] = BigInt(v);
    } else if (column instanceof Float32Array && Math.abs(v) > FLOAT32_MAX) {
      return `is out of the range of float32; got ${v}`;
    } else column[row] = v;
    return undefined;
  }
  if (v === null || v === undefined) {
    if (!input.nullable || input.type === 'int64') return `is required (a number, ${input.type})`;
    (column as Float64Array)[row] = NaN;
    return undefined;
  }
  // JSON has no NaN or Infinity literal, but 1e999 parses as Infinity.
  if (typeof v === 'number') return `must be a finite number (${input.type}); got ${v} (write null for a missing value)`;
  return `must be a number (${input.type}); got ${describe(v)}`;
}

/** Collects the first ten problems of a request and counts the rest. */
export class Problems {
  readonly first: string[] = [];
  count = 0;

  add(message: string): void {
    if (this.count++ < 10) this.first.push(message);
  }

  throwIfAny(signature: ModelSignature): void {
    if (this.count === 0) return;
    const more = this.count > 1 ? ` (and ${this.count - 1} more)` : '';
    throw new SluiceError('DATA_INVALID', `${this.first[0]}${more}`, {
      hint: `The model takes ${describeInputs(signature)}; null (or leaving a nullable field out) is a missing value.`,
      details: { errors: this.first, count: this.count },
    });
  }
}

export function describeInputs(signature: ModelSignature): string {
  const shown = signature.inputs.slice(0, 20).map((i) => `'${i.name}' (${i.type === 'string' ? 'string' : `number, ${i.type}`})`);
  const rest = signature.inputs.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** A near name for an unknown field: same letters ignoring case, '-', '_', '.' and spaces. */
export function suggestInput(signature: ModelSignature, name: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/[-_. ]/g, '');
  const near = signature.inputs.find((i) => norm(i.name) === norm(name));
  return near ? ` (did you mean '${near.name}'?)` : '';
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v;
}

/** One Batch from several, column by column, for one onnxruntime call. */
export function concatBatches(batches: Batch[]): Batch {
  if (batches.length === 1) return batches[0];
  const rows = batches.reduce((n, b) => n + b.rows, 0);
  const columns = batches[0].columns.map((first, j) => {
    if (Array.isArray(first)) return ([] as string[]).concat(...batches.map((b) => b.columns[j] as string[]));
    const out = new (first.constructor as Float64ArrayConstructor)(rows);
    let at = 0;
    for (const b of batches) {
      out.set(b.columns[j] as Float64Array, at);
      at += b.rows;
    }
    return out as Column;
  });
  return { rows, columns };
}
