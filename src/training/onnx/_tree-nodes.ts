/**
 * The nodes_* attributes shared by ONNX's TreeEnsembleClassifier and TreeEnsembleRegressor, as
 * flat arrays built one node at a time (the GBDT and the random forest both write them).
 */
import { attr, doubles, type Attribute } from './proto.js';

export interface TreeNodes {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
}

export function emptyTreeNodes(): TreeNodes {
  return { treeIds: [], nodeIds: [], featureIds: [], modes: [], values: [], trueIds: [], falseIds: [], missingTrue: [] };
}

export function pushNode(e: TreeNodes, tree: number, id: number, feature: number, mode: string, value: number, t: number, f: number, missingTrue: number): void {
  e.treeIds.push(tree);
  e.nodeIds.push(id);
  e.featureIds.push(feature);
  e.modes.push(mode);
  e.values.push(value);
  e.trueIds.push(t);
  e.falseIds.push(f);
  e.missingTrue.push(missingTrue);
}

export function nodeAttributes(e: TreeNodes): Record<string, Attribute> {
  return {
    nodes_treeids: attr.ints(e.treeIds),
    nodes_nodeids: attr.ints(e.nodeIds),
    nodes_featureids: attr.ints(e.featureIds),
    nodes_modes: attr.strings(e.modes),
    nodes_values_as_tensor: attr.tensor(doubles(e.values)),
    nodes_truenodeids: attr.ints(e.trueIds),
    nodes_falsenodeids: attr.ints(e.falseIds),
    nodes_missing_value_tracks_true: attr.ints(e.missingTrue),
  };
}
