/**
 * Prediction on raw values, the way an ONNX TreeEnsemble evaluates the model: numeric splits
 * compare the real value with the threshold (x <= t goes left), categorical splits test the
 * category code against the node's set, NaN / null follow missingGoesLeft. Categories never
 * seen in training get the 'other' code. Infinite numbers are ordinary values here (+Infinity
 * goes right of every threshold); only training rejects them.
 *
 * Trees are flattened once per model into typed arrays (cached), so walking them allocates nothing.
 */
import { SluiceError } from '../../errors.js';
import type { Table } from '../../data/table.js';
import { categoryCodes } from './bin-mapper.js';
import { sigmoid, softmaxInto } from './loss.js';
import type { FeatureInfo, GbdtModel, GbdtTree } from './types.js';

export interface CompiledTrees {
  /** Index of each tree's root in the flat arrays. */
  roots: Int32Array;
  outputs: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  value: Float64Array;
  /** Categorical node: offset of its code mask in `masks`; numeric node or leaf: -1. */
  maskAt: Int32Array;
  masks: Uint8Array;
}

export function compileTrees(trees: GbdtTree[], features: FeatureInfo[]): CompiledTrees {
  const total = trees.reduce((s, t) => s + t.nodes.length, 0);
  const c: CompiledTrees = {
    roots: new Int32Array(trees.length),
    outputs: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    missingLeft: new Uint8Array(total),
    value: new Float64Array(total),
    maskAt: new Int32Array(total).fill(-1),
    masks: new Uint8Array(0),
  };
  const masks: number[] = [];
  let at = 0;
  trees.forEach((tree, t) => {
    c.roots[t] = at;
    c.outputs[t] = tree.output;
    tree.nodes.forEach((nd, i) => {
      const j = at + i;
      c.feature[j] = nd.feature;
      c.value[j] = nd.value;
      if (nd.feature < 0) return;
      c.left[j] = at + nd.left;
      c.right[j] = at + nd.right;
      c.missingLeft[j] = nd.missingGoesLeft ? 1 : 0;
      const info = features[nd.feature];
      if (info.kind === 'numeric') {
        c.threshold[j] = nd.threshold!;
      } else {
        // one byte per code 0..k ('other' = k)
        c.maskAt[j] = masks.length;
        const mask = new Array<number>(info.categories.length + 1).fill(0);
        for (const code of nd.categories!) mask[code] = 1;
        masks.push(...mask);
      }
    });
    at += tree.nodes.length;
  });
  c.masks = Uint8Array.from(masks);
  return c;
}

/**
 * Model inputs as one Float64Array per feature: numeric values as they are, categorical values
 * as codes (NaN when missing).
 */
export function featureMatrix(features: FeatureInfo[], table: Table): Float64Array[] {
  return features.map((info) => {
    const col = table.columns.find((c) => c.name === info.name);
    const want = info.kind === 'numeric' ? 'number' : 'string';
    if (!col) {
      throw new SluiceError('SCHEMA_MISMATCH', `Feature column '${info.name}' is missing from the table`, {
        hint: `The model needs the columns ${features.map((f) => f.name).join(', ')}`,
      });
    }
    if (col.type !== want) {
      throw new SluiceError('SCHEMA_MISMATCH', `Feature column '${info.name}' holds ${col.type}s; the model was trained on ${want}s`);
    }
    if (col.type === 'number') return col.values;
    const codes = categoryCodes(col.values, (info as { categories: string[] }).categories);
    return Float64Array.from(codes, (k) => (k < 0 ? NaN : k));
  });
}

/** Adds tree t's output for every row to raw[row * stride + output]. */
export function addTree(c: CompiledTrees, t: number, X: Float64Array[], raw: Float64Array, stride: number): void {
  const n = raw.length / stride;
  const root = c.roots[t];
  const out = c.outputs[t];
  const { feature, threshold, left, right, missingLeft, value, maskAt, masks } = c;
  for (let r = 0; r < n; r++) {
    let i = root;
    let f = feature[i];
    while (f >= 0) {
      const x = X[f][r];
      let goLeft: boolean;
      if (x !== x) goLeft = missingLeft[i] === 1;
      else if (maskAt[i] >= 0) goLeft = masks[maskAt[i] + x] === 1;
      else goLeft = x <= threshold[i];
      i = goLeft ? left[i] : right[i];
      f = feature[i];
    }
    raw[r * stride + out] += value[i];
  }
}

const compiled = new WeakMap<GbdtModel, CompiledTrees>();

/** Raw scores (margins), row-major with model.outputs per row, before sigmoid / softmax. */
export function predictRawGbdt(model: GbdtModel, table: Table): Float64Array {
  let c = compiled.get(model);
  if (!c) {
    c = compileTrees(model.trees, model.features);
    compiled.set(model, c);
  }
  const X = featureMatrix(model.features, table);
  const K = model.outputs;
  const raw = new Float64Array(table.rowCount * K);
  for (let r = 0; r < table.rowCount; r++) for (let k = 0; k < K; k++) raw[r * K + k] = model.baseScore[k];
  for (let t = 0; t < model.trees.length; t++) addTree(c, t, X, raw, K);
  return raw;
}

/**
 * binary: P(positive class) per row; multiclass: class probabilities, row-major
 * (out[row * K + k], classes in model.classes order); regression: predicted values.
 */
export function predictGbdt(model: GbdtModel, table: Table): Float64Array {
  const raw = predictRawGbdt(model, table);
  return scoresToOutput(model, raw);
}

export function scoresToOutput(model: Pick<GbdtModel, 'task' | 'outputs'>, raw: Float64Array): Float64Array {
  if (model.task === 'regression') return raw;
  const out = new Float64Array(raw.length);
  if (model.task === 'binary') {
    for (let i = 0; i < raw.length; i++) out[i] = sigmoid(raw[i]);
    return out;
  }
  const K = model.outputs;
  for (let o = 0; o < raw.length; o += K) softmaxInto(raw, o, K, out, o);
  return out;
}
