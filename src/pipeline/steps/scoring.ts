/**
 * Scoring a model package on a dataset, for any task: the labels as the model sees them and its
 * predictions, with the built-in model when the package has one (exact, in TypeScript) or
 * through onnxruntime (any ONNX model, e.g. from scikit-learn).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDuckDB } from '../../data/duckdb.js';
import { readTable } from '../../data/read-table.js';
import type { Table } from '../../data/table.js';
import { SluiceError } from '../../errors.js';
import { predictTable, readModelPackage } from '../../training/package/index.js';
import { modelInfo, NATIVE_MODEL_FILE, predictScores, type ModelInfo, type TrainedModel } from './models.js';

export interface Scored {
  info: ModelInfo;
  table: Table;
  /** Binary: 0/1; multiclass: the class index; regression: unused (see `values`). */
  y: Uint8Array | Int32Array;
  /** Regression: the true values. */
  values?: Float64Array;
  /** Binary: P(positive); multiclass: row-major probabilities; regression: predictions. */
  scores: Float64Array;
}

export async function scorePackage(modelDir: string, dataPath: string, extra: string[]): Promise<Scored> {
  const native = await readFile(join(modelDir, NATIVE_MODEL_FILE), 'utf8').then((t) => JSON.parse(t) as TrainedModel, () => undefined);
  if (native) {
    const info = modelInfo(native);
    const table = await withDuckDB((conn) => readTable(conn, dataPath, [...new Set([...info.features, info.target, ...extra])]));
    return { info, table, ...labels(table, info), scores: predictScores(native, table) };
  }
  const pkg = await readModelPackage(modelDir);
  const sig = pkg.signature;
  const target = String(pkg.metadata.params?.target ?? '');
  if (!target) {
    throw new SluiceError('DATA_INVALID', 'The model package does not say its target column', { hint: "Record params.target in the package's metadata.json." });
  }
  const classes = sig.classes ?? [];
  const positive = sig.positiveClass ?? (pkg.metadata.params?.positive as string | undefined) ?? classes[1];
  const info: ModelInfo = {
    task: sig.task,
    target,
    classes,
    ...(sig.task === 'binary' ? { positive, negative: classes.find((c) => c !== positive) ?? '' } : {}),
    features: sig.inputs.map((i) => i.name),
  };
  const table = await withDuckDB((conn) => readTable(conn, dataPath, [...new Set([...info.features, target, ...extra])]));
  const p = await predictTable(await pkg.session(), sig, table);
  let scores: Float64Array;
  if (sig.task === 'regression') scores = Float64Array.from(p.values ?? []);
  else {
    if (!p.probabilities) throw new SluiceError('DATA_INVALID', 'The ONNX classifier has no probabilities output', { hint: 'Export the classifier with its probabilities.' });
    if (sig.task === 'binary') {
      const col = Math.max(0, classes.indexOf(positive ?? ''));
      scores = Float64Array.from(p.probabilities, (row) => row[col]);
    } else scores = Float64Array.from(p.probabilities.flat());
  }
  return { info, table, ...labels(table, info), scores };
}

/** The target column in the model's terms; rows without a label, or with a class the model does not know, are an error. */
export function labels(table: Table, info: ModelInfo): { y: Uint8Array | Int32Array; values?: Float64Array } {
  const target = table.columns.find((c) => c.name === info.target);
  if (!target) {
    throw new SluiceError('DATA_INVALID', `The evaluation data has no target column '${info.target}'`, { hint: 'Evaluate on data prepared the same way as the training data.' });
  }
  if (info.task === 'regression') {
    const values = target.type === 'number' ? target.values : Float64Array.from(target.values, (v) => (v === null ? Number.NaN : Number(v)));
    const missing = values.reduce((n, v) => n + (Number.isFinite(v) ? 0 : 1), 0);
    if (missing > 0) throw new SluiceError('DATA_INVALID', `Target column '${info.target}' has ${missing} row(s) without a finite value`, { hint: 'Drop or fill them in preparation.' });
    return { y: new Int32Array(0), values };
  }
  const index = new Map(info.classes.map((c, i) => [c, i]));
  const y = info.task === 'binary' ? new Uint8Array(table.rowCount) : new Int32Array(table.rowCount);
  let missing = 0;
  const unknown = new Set<string>();
  for (let i = 0; i < table.rowCount; i++) {
    const v = target.type === 'string' ? target.values[i] : Number.isNaN(target.values[i]) ? null : String(target.values[i]);
    if (v === null) missing++;
    else if (info.task === 'binary') {
      if (v === info.positive) y[i] = 1;
      else if (v !== info.negative) unknown.add(v);
    } else {
      const k = index.get(v);
      if (k === undefined) unknown.add(v);
      else y[i] = k;
    }
  }
  if (missing > 0 || unknown.size > 0) {
    const parts = [missing ? `${missing} row(s) with no label` : '', unknown.size ? `labels never seen in training: ${[...unknown].slice(0, 5).map((v) => `'${v}'`).join(', ')}` : ''];
    throw new SluiceError('DATA_INVALID', `Target column '${info.target}' has ${parts.filter(Boolean).join(' and ')}`, {
      hint: `The model knows the classes ${info.classes.map((c) => `'${c}'`).join(', ')}; prepare the data so that every row has one of them.`,
    });
  }
  return { y };
}
