/**
 * Random forest to ONNX, the same graph as the GBDT's (see gbdt.ts): one input per feature
 * column, string columns through a LabelEncoder to category codes, all concatenated as float64,
 * then one TreeEnsemble whose trees are the forest's. Thresholds and leaf weights are float64
 * tensors and onnxruntime sums in double, so every split decides exactly as in TypeScript; only
 * the final output is float32.
 *
 * The forest averages its trees:
 *   regression  TreeEnsembleRegressor, aggregate_function AVERAGE, leaf weights = leaf means.
 *   binary      TreeEnsembleClassifier, leaf weight P(positive) / T on class id 0, no post
 *               transform. With one class id and weights all >= 0, onnxruntime reads the sum as
 *               the positive class's probability: probabilities [1 - p, p], label "p > 0.5". At a
 *               tie of votes (p = 0.5 in exact arithmetic, common when leaves are pure) the label
 *               depends on rounding. A two-class multiclass forest is written the same way.
 *   multiclass  TreeEnsembleClassifier (no aggregate_function: it always sums), leaf weight
 *               share_k / T on class id k (zero shares left out), no post transform.
 */
import { SluiceError } from '../../errors.js';
import type { FeatureInfo, ForestModel, ForestTree } from '../forest/types.js';
import type { ModelSignature } from '../package/signature.js';
import { treeEnsembleFront, treeEnsembleSignature } from './_tree-front.js';
import { attr, doubles, encodeModel } from './proto.js';
import { emptyTreeNodes, nodeAttributes, pushNode, type TreeNodes } from './_tree-nodes.js';

const ML = 'ai.onnx.ml';

export function forestToOnnx(model: ForestModel): Uint8Array {
  if (model.format !== 'sluice-forest' || model.version !== 1) {
    throw new SluiceError('ARTIFACT_CORRUPT', `Not a Sluice random forest model (format '${String(model.format)}', version ${String(model.version)})`);
  }
  const regression = model.task === 'regression';
  const { inputs, outputs, nodes, features: X } = treeEnsembleFront('random forest', model);

  const T = model.trees.length;
  const K = model.outputs;
  const e = _ensemble(model.trees, model.features);
  // Leaf weights: (tree, node id, class id or target, weight) for every leaf.
  const leafTree: number[] = [];
  const leafNode: number[] = [];
  const leafTarget: number[] = [];
  const leafWeight: number[] = [];
  e.leaves.forEach(([t, id, i]) => {
    const value = model.trees[t].value;
    if (regression || K === 1 || K === 2) {
      // binary: P(positive); two-class multiclass: the share of classes[1]
      leafTree.push(t);
      leafNode.push(id);
      leafTarget.push(0);
      leafWeight.push(regression ? value[i] : value[i * K + K - 1] / T);
      return;
    }
    for (let k = 0; k < K; k++) {
      if (value[i * K + k] === 0) continue;
      leafTree.push(t);
      leafNode.push(id);
      leafTarget.push(k);
      leafWeight.push(value[i * K + k] / T);
    }
  });
  nodes.push(
    regression
      ? {
          op: 'TreeEnsembleRegressor',
          domain: ML,
          inputs: [X],
          outputs: ['value'],
          attributes: {
            ...nodeAttributes(e),
            target_treeids: attr.ints(leafTree),
            target_nodeids: attr.ints(leafNode),
            target_ids: attr.ints(leafTarget),
            target_weights_as_tensor: attr.tensor(doubles(leafWeight)),
            n_targets: attr.int(1),
            aggregate_function: attr.string('AVERAGE'),
            post_transform: attr.string('NONE'),
          },
        }
      : {
          op: 'TreeEnsembleClassifier',
          domain: ML,
          inputs: [X],
          outputs: ['label', 'probabilities'],
          attributes: {
            ...nodeAttributes(e),
            class_treeids: attr.ints(leafTree),
            class_nodeids: attr.ints(leafNode),
            class_ids: attr.ints(leafTarget),
            class_weights_as_tensor: attr.tensor(doubles(leafWeight)),
            classlabels_strings: attr.strings(model.classes),
            post_transform: attr.string('NONE'),
          },
        },
  );

  return encodeModel(
    { name: `sluice_forest_${model.task}`, inputs, outputs, nodes },
    { doc: `Sluice random forest (${model.task}, ${T} trees) predicting '${model.target}'`, metadata: { target: model.target } },
  );
}

/** The signature of forestToOnnx's model. */
export function forestSignature(model: ForestModel): ModelSignature {
  return treeEnsembleSignature(model);
}

interface Ensemble extends TreeNodes {
  /** [tree, ONNX node id, model node index] of every leaf. */
  leaves: [number, number, number][];
}

/**
 * The nodes of every tree in ONNX form. A categorical split "code in S" becomes a chain of
 * BRANCH_EQ nodes over the smaller of S and its complement, whose true branches all point to the
 * same child (as gbdt.ts does). ONNX ids follow the model's node order, a categorical node taking
 * as many ids as its chain, so the root (model node 0) is id 0 and comes first.
 */
function _ensemble(trees: ForestTree[], features: FeatureInfo[]): Ensemble {
  const e: Ensemble = { ...emptyTreeNodes(), leaves: [] };
  const push = (tree: number, id: number, feature: number, mode: string, value: number, t: number, f: number, missing: number): void =>
    pushNode(e, tree, id, feature, mode, value, t, f, missing);
  trees.forEach((tree, t) => {
    const nNodes = tree.feature.length;
    // Per categorical node: the codes its chain tests, whether they are the left set, and whether
    // its chain needs a bridge (see below).
    const chains = new Map<number, { codes: number[]; left: boolean; bridge: boolean }>();
    const isCategorical = (i: number): boolean => tree.feature[i] >= 0 && features[tree.feature[i]].kind === 'categorical';
    const firstId = new Int32Array(nNodes + 1);
    for (let i = 0; i < nNodes; i++) {
      let size = 1;
      const f = tree.feature[i];
      if (isCategorical(i)) {
        const info = features[f] as { categories: string[] };
        const inLeft = new Set(tree.categories[i]);
        const all = Array.from({ length: info.categories.length + 1 }, (_, c) => c);
        const left = all.filter((c) => inLeft.has(c));
        const right = all.filter((c) => !inLeft.has(c));
        const chainLeft = left.length <= right.length;
        const codes = chainLeft ? left : right;
        const falseChild = chainLeft ? tree.left[i] + 1 : tree.left[i];
        // onnxruntime (1.21 and later) fuses BRANCH_EQ nodes on one feature that follow each other
        // through false branches into one set-membership test, assuming they share their true
        // branch; a chain ending in the chain of a child on the same feature breaks that
        // assumption, and rows go astray. A bridge node in between (x <= MAX_VALUE, missing
        // true: every row passes) keeps the two chains apart.
        const bridge = isCategorical(falseChild) && tree.feature[falseChild] === f;
        // An empty set (every code on one side, only missing on the other) tests the code -1, which never matches.
        chains.set(i, { codes: codes.length > 0 ? codes : [-1], left: chainLeft, bridge });
        size = chains.get(i)!.codes.length + (bridge ? 1 : 0);
      }
      firstId[i + 1] = firstId[i] + size;
    }
    for (let i = 0; i < nNodes; i++) {
      const id = firstId[i];
      const f = tree.feature[i];
      if (f < 0) {
        push(t, id, 0, 'LEAF', 0, 0, 0, 0);
        e.leaves.push([t, id, i]);
        continue;
      }
      const leftId = firstId[tree.left[i]];
      const rightId = firstId[tree.left[i] + 1];
      const missingLeft = tree.missingGoesLeft[i];
      const chain = chains.get(i);
      if (!chain) {
        push(t, id, f, 'BRANCH_LEQ', tree.threshold[i], leftId, rightId, missingLeft);
        continue;
      }
      const [trueId, falseId] = chain.left ? [leftId, rightId] : [rightId, leftId];
      const missingTrue = (chain.left ? missingLeft === 1 : missingLeft === 0) ? 1 : 0;
      const n = chain.codes.length;
      const end = chain.bridge ? id + n : falseId;
      chain.codes.forEach((c, j) => push(t, id + j, f, 'BRANCH_EQ', c, trueId, j + 1 < n ? id + j + 1 : end, missingTrue));
      if (chain.bridge) push(t, id + n, f, 'BRANCH_LEQ', Number.MAX_VALUE, falseId, falseId, 1);
    }
  });
  return e;
}
