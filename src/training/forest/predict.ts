/**
 * Prediction on raw values, as an ONNX TreeEnsemble evaluates the model: numeric splits compare
 * the value with the threshold (x <= t goes left), categorical splits test the category code
 * against the node's set, NaN / null follow missingGoesLeft, and a category never seen in
 * training gets the 'other' code. The forest's output is the mean of its trees' leaf values.
 */
import { SluiceError } from '../../errors.js';
import type { Table } from '../../data/table.js';
import { featureMatrix } from '../gbdt/predict.js';
import type { FeatureInfo, ForestModel, ForestTree } from './types.js';

/** All trees' nodes in flat typed arrays; children and masks are absolute indices. */
interface Compiled {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  missingLeft: Uint8Array;
  /** Categorical node: offset of its code mask in `masks`; else -1. */
  maskAt: Int32Array;
  masks: Uint8Array;
  value: Float64Array;
}

export function compileTrees(trees: ForestTree[], features: FeatureInfo[], K: number): Compiled {
  const total = trees.reduce((s, t) => s + t.feature.length, 0);
  const c: Compiled = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    missingLeft: new Uint8Array(total),
    maskAt: new Int32Array(total).fill(-1),
    masks: new Uint8Array(0),
    value: new Float64Array(total * K),
  };
  const masks: number[] = [];
  let at = 0;
  trees.forEach((tree, t) => {
    c.roots[t] = at;
    c.value.set(tree.value, at * K);
    tree.feature.forEach((f, i) => {
      const j = at + i;
      c.feature[j] = f;
      if (f < 0) return;
      c.left[j] = at + tree.left[i];
      c.threshold[j] = tree.threshold[i];
      c.missingLeft[j] = tree.missingGoesLeft[i];
      const info = features[f];
      if (info.kind === 'categorical') {
        c.maskAt[j] = masks.length;
        const mask = new Array<number>(info.categories.length + 1).fill(0);
        for (const code of tree.categories[i]) mask[code] = 1;
        masks.push(...mask);
      }
    });
    at += tree.feature.length;
  });
  c.masks = Uint8Array.from(masks);
  return c;
}

/** Adds tree t's leaf values for every row to out[row * K + k]. */
export function addTree(c: Compiled, t: number, X: Float64Array[], out: Float64Array, K: number): void {
  const n = out.length / K;
  const { feature, threshold, left, missingLeft, maskAt, masks, value } = c;
  for (let r = 0; r < n; r++) {
    let i = c.roots[t];
    let f = feature[i];
    while (f >= 0) {
      const x = X[f][r];
      let goLeft: boolean;
      if (x !== x) goLeft = missingLeft[i] === 1;
      else if (maskAt[i] >= 0) goLeft = masks[maskAt[i] + x] === 1;
      else goLeft = x <= threshold[i];
      i = goLeft ? left[i] : left[i] + 1;
      f = feature[i];
    }
    for (let k = 0; k < K; k++) out[r * K + k] += value[i * K + k];
  }
}

const compiled = new WeakMap<ForestModel, Compiled>();

/**
 * binary: P(positive class) per row; multiclass: class probabilities, row-major
 * (out[row * K + k], classes in model.classes order); regression: predicted values.
 */
export function predictForest(model: ForestModel, table: Table): Float64Array {
  if (model.format !== 'sluice-forest' || model.version !== 1 || !Array.isArray(model.trees) || model.trees.length === 0) {
    throw new SluiceError('ARTIFACT_CORRUPT', `Not a Sluice random forest model (format '${String(model.format)}', version ${String(model.version)})`);
  }
  let c = compiled.get(model);
  if (!c) {
    c = compileTrees(model.trees, model.features, model.outputs);
    compiled.set(model, c);
  }
  const X = featureMatrix(model.features, table);
  const K = model.outputs;
  const out = new Float64Array(table.rowCount * K);
  for (let t = 0; t < model.trees.length; t++) addTree(c, t, X, out, K);
  const T = model.trees.length;
  for (let i = 0; i < out.length; i++) out[i] /= T;
  return out;
}
