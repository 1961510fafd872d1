/**
 * GBDT to ONNX. One input per feature column, in the model's feature order:
 *
 *   numeric column  x [N,1] double ─────────────────────────────────────────────┐
 *   string column   c [N,1] string → LabelEncoder (category → code, '' → NaN,    ├→ Concat [N,F] double → TreeEnsemble…
 *                                     anything else → the 'other' code) → Cast ──┘
 *
 * Numbers stay float64 end to end (double input, *_as_tensor thresholds and leaf weights,
 * onnxruntime sums the trees in double), so every split decides exactly as in TypeScript;
 * only the final probabilities or values are float32, which is what the operators output.
 *
 * Splits: a numeric split is BRANCH_LEQ on the threshold. A categorical split "code in S" is a
 * chain of BRANCH_EQ nodes, one per code of S, whose true branches all point to the same
 * subtree and whose last false branch is the other subtree (a DAG: LightGBM's converter writes
 * categorical splits the same way, and onnxruntime supports it). The chain tests whichever of S
 * and its complement is smaller. Missing values follow nodes_missing_value_tracks_true, set from
 * missingGoesLeft; NaN never equals a code, so in a chain it reaches the false end unless the
 * chain's nodes send it to the true branch.
 *
 * Outputs:
 *   binary      TreeEnsembleClassifier, weights on one class, post_transform LOGISTIC: onnxruntime
 *               writes [sigmoid(-s), sigmoid(s)]. A multiclass model with two classes is written
 *               the same way (softmax of two scores is the sigmoid of their difference).
 *   multiclass  TreeEnsembleClassifier, one class id per tree, post_transform SOFTMAX.
 *   regression  TreeEnsembleRegressor, output `value` [N,1] (float32 by the operator's definition).
 */
import { SluiceError } from '../../errors.js';
import type { FeatureInfo, GbdtModel, GbdtTree } from '../gbdt/types.js';
import type { ModelSignature } from '../package/signature.js';
import { treeEnsembleFront, treeEnsembleSignature } from './_tree-front.js';
import { attr, doubles, encodeModel, type Node } from './proto.js';
import { emptyTreeNodes, nodeAttributes, pushNode, type TreeNodes } from './_tree-nodes.js';

const ML = 'ai.onnx.ml';

export function gbdtToOnnx(model: GbdtModel): Uint8Array {
  if (model.format !== 'sluice-gbdt' || model.version !== 1) {
    throw new SluiceError('ARTIFACT_CORRUPT', `Not a Sluice GBDT model (format '${String(model.format)}', version ${String(model.version)})`);
  }
  const regression = model.task === 'regression';
  const { inputs, outputs, nodes, features: X } = treeEnsembleFront('GBDT', model);
  nodes.push(regression ? _regressor(model, X) : _classifier(model, X));

  return encodeModel(
    { name: `sluice_gbdt_${model.task}`, inputs, outputs, nodes },
    { doc: `Sluice GBDT (${model.task}) predicting '${model.target}'`, metadata: { target: model.target } },
  );
}

/** The signature of gbdtToOnnx's model. */
export function gbdtSignature(model: GbdtModel): ModelSignature {
  return treeEnsembleSignature(model);
}

/** Flat attribute arrays of a TreeEnsemble: nodes_* and the leaf weights (class_* or target_*). */
interface Ensemble extends TreeNodes {
  leafTree: number[];
  leafNode: number[];
  leafTarget: number[];
  leafWeight: number[];
}

function _classifier(model: GbdtModel, X: string): Node {
  const K = model.classes.length;
  const twoScores = model.task === 'multiclass' && K === 2;
  // Binary (and 2-class multiclass): every weight goes to class id 0, which onnxruntime reads as the
  // score of classes[1]; for 2-class multiclass, class 0's trees count negatively: s = r1 - r0.
  const e = _ensemble(model.trees, model.features, (tree) =>
    K > 2 ? { target: tree.output, sign: 1 } : { target: 0, sign: twoScores && tree.output === 0 ? -1 : 1 },
  );
  const base = K > 2 ? model.baseScore : [twoScores ? model.baseScore[1] - model.baseScore[0] : model.baseScore[0]];
  if (K === 2 && !e.leafWeight.some((w) => w < 0)) {
    // onnxruntime treats a binary ensemble whose weights are all >= 0 as holding probabilities:
    // its label becomes "score > 0.5" instead of "score > 0" (and versions before 1.30 also skip
    // the sigmoid). A degenerate model (no split at all) can be like that: add a tree whose one
    // leaf adds -1 and then +1, an error of at most one ulp of 1 on the score.
    const tree = model.trees.length;
    pushNode(e, tree, 0, 0, 'LEAF', 0, 0, 0, 0);
    e.leafTree.push(tree, tree);
    e.leafNode.push(0, 0);
    e.leafTarget.push(0, 0);
    e.leafWeight.push(-1, 1);
  }
  return {
    op: 'TreeEnsembleClassifier',
    domain: ML,
    inputs: [X],
    outputs: ['label', 'probabilities'],
    attributes: {
      ...nodeAttributes(e),
      class_treeids: attr.ints(e.leafTree),
      class_nodeids: attr.ints(e.leafNode),
      class_ids: attr.ints(e.leafTarget),
      class_weights_as_tensor: attr.tensor(doubles(e.leafWeight)),
      classlabels_strings: attr.strings(model.classes),
      base_values_as_tensor: attr.tensor(doubles(base)),
      post_transform: attr.string(K > 2 ? 'SOFTMAX' : 'LOGISTIC'),
    },
  };
}

function _regressor(model: GbdtModel, X: string): Node {
  const e = _ensemble(model.trees, model.features, () => ({ target: 0, sign: 1 }));
  return {
    op: 'TreeEnsembleRegressor',
    domain: ML,
    inputs: [X],
    outputs: ['value'],
    attributes: {
      ...nodeAttributes(e),
      target_treeids: attr.ints(e.leafTree),
      target_nodeids: attr.ints(e.leafNode),
      target_ids: attr.ints(e.leafTarget),
      target_weights_as_tensor: attr.tensor(doubles(e.leafWeight)),
      n_targets: attr.int(1),
      base_values_as_tensor: attr.tensor(doubles(model.baseScore)),
      aggregate_function: attr.string('SUM'),
      post_transform: attr.string('NONE'),
    },
  };
}

/**
 * Renumbers every tree depth-first (a categorical split becomes several nodes) and lists its
 * nodes in id order, root first: onnxruntime takes the first node of each tree id as its root.
 */
function _ensemble(trees: GbdtTree[], features: FeatureInfo[], leafOf: (tree: GbdtTree) => { target: number; sign: number }): Ensemble {
  const e: Ensemble = { ...emptyTreeNodes(), leafTree: [], leafNode: [], leafTarget: [], leafWeight: [] };
  trees.forEach((tree, t) => {
    const { target, sign } = leafOf(tree);
    type Row = { feature: number; mode: string; value: number; t: number; f: number; missing: number };
    const rows: Row[] = [];
    const emit = (i: number): number => {
      const nd = tree.nodes[i];
      const id = rows.length;
      if (nd.feature < 0) {
        rows.push({ feature: 0, mode: 'LEAF', value: 0, t: 0, f: 0, missing: 0 });
        e.leafTree.push(t);
        e.leafNode.push(id);
        e.leafTarget.push(target);
        e.leafWeight.push(sign * nd.value);
        return id;
      }
      const info = features[nd.feature];
      if (info.kind === 'numeric') {
        const row: Row = { feature: nd.feature, mode: 'BRANCH_LEQ', value: nd.threshold!, t: 0, f: 0, missing: nd.missingGoesLeft ? 1 : 0 };
        rows.push(row);
        row.t = emit(nd.left);
        row.f = emit(nd.right);
        return id;
      }
      // Categorical: codes 0..k (k = 'other'); the node's set goes left.
      const left = new Set(nd.categories!);
      const all = Array.from({ length: info.categories.length + 1 }, (_, c) => c);
      const inLeft = all.filter((c) => left.has(c));
      const inRight = all.filter((c) => !left.has(c));
      const chainLeft = inLeft.length <= inRight.length;
      // An empty set (every code on one side, only missing on the other) tests the code -1, which never matches.
      const codes = (chainLeft ? inLeft : inRight).length > 0 ? (chainLeft ? inLeft : inRight) : [-1];
      const missingToTrue = chainLeft === nd.missingGoesLeft ? 1 : 0;
      const chain = codes.map((c) => {
        const row: Row = { feature: nd.feature, mode: 'BRANCH_EQ', value: c, t: 0, f: 0, missing: missingToTrue };
        rows.push(row);
        return row;
      });
      const trueId = emit(chainLeft ? nd.left : nd.right);
      const falseId = emit(chainLeft ? nd.right : nd.left);
      chain.forEach((row, j) => {
        row.t = trueId;
        row.f = j + 1 < chain.length ? id + j + 1 : falseId;
      });
      return id;
    };
    emit(0);
    rows.forEach((r, id) => pushNode(e, t, id, r.feature, r.mode, r.value, r.t, r.f, r.missing));
  });
  return e;
}
