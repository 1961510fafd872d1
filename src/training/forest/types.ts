/**
 * Public types of the random forest: options, parameters and the model. A ForestModel is plain
 * JSON (no typed arrays, no Infinity, no NaN). Trees are stored as arrays per attribute rather
 * than one object per node: a forest of fully grown trees has about a million nodes, and
 * repeating the key names would multiply the artifact's size several times.
 */
import type { FeatureInfo } from '../gbdt/types.js';

export type { FeatureInfo } from '../gbdt/types.js';
export type ForestTask = 'binary' | 'multiclass' | 'regression';

/** 'sqrt' and 'log2' of the feature count, 'all', a count (integer >= 1) or a share (0 < x < 1). */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

export interface ForestParams {
  /** Trees in the forest. */
  n_estimators: number;
  /** Features drawn at each split; null = 'sqrt' for classification, a third for regression. */
  max_features: MaxFeatures | null;
  /** Edges from the root to the deepest leaf; null = no limit. */
  max_depth: number | null;
  /** Fewest distinct training rows a leaf may hold. */
  min_samples_leaf: number;
  /** Each tree trains on a bootstrap sample of the rows (else on every row). */
  bootstrap: boolean;
  /** Value bins per numeric feature (at most 255; the missing-value bin is extra). */
  max_bins: number;
  /** Categories with fewer training rows than this are folded into the 'other' code. */
  min_category_count: number;
}

export const DEFAULT_PARAMS: ForestParams = {
  n_estimators: 100,
  max_features: null,
  max_depth: null,
  min_samples_leaf: 1,
  bootstrap: true,
  max_bins: 255,
  min_category_count: 10,
};

export interface ForestOptions {
  task: ForestTask;
  /** Name of the label column. */
  target: string;
  /** Binary only: the class whose probability is predicted (default: the second class in sorted order). */
  positive?: string;
  /** Feature columns; default: every column but the target and `exclude`. */
  features?: string[];
  exclude?: string[];
  params?: Partial<ForestParams>;
  /** Seeds the bootstrap samples and feature draws (and the binning subsample above 200k rows). */
  seed?: number;
}

/**
 * One tree, one entry per node in every array; node 0 is the root. An internal node's right
 * child is `left + 1`. A numeric split sends a row left when `x <= threshold` (ONNX BRANCH_LEQ);
 * a categorical split sends it left when the row's category code is in `categories[node]`.
 * A missing value (NaN / null) goes left iff missingGoesLeft is 1.
 */
export interface ForestTree {
  /** Split feature, -1 for a leaf. */
  feature: number[];
  /** Numeric split: the threshold; otherwise 0. */
  threshold: number[];
  /** Categorical splits only, keyed by node index: the codes that go left ('other' = categories.length). */
  categories: Record<string, number[]>;
  missingGoesLeft: (0 | 1)[];
  /** Index of the left child, -1 for a leaf. */
  left: number[];
  /**
   * `outputs` numbers per node (node i at i * outputs): binary, P(positive); multiclass, the class
   * shares; regression, the mean target. For a leaf this is its prediction; for an internal node,
   * what it would predict as a leaf. Shares are of the tree's bootstrap draws that reach the node.
   */
  value: number[];
  /** Bootstrap draws that reached the node (a row drawn twice counts twice). */
  count: number[];
}

export interface ForestModel {
  format: 'sluice-forest';
  version: 1;
  task: ForestTask;
  target: string;
  /** Classification: class labels as strings, sorted; binary: [negative, positive]; regression: []. */
  classes: string[];
  features: FeatureInfo[];
  /** Numbers per node value and per predicted row: K for multiclass, else 1. */
  outputs: number;
  trees: ForestTree[];
  /** Mean decrease in impurity per feature (Gini, or variance for regression), summing to 1. */
  importance: number[];
  params: ForestParams;
  /** max_features resolved to a count. */
  featuresPerSplit: number;
  seed: number;
}

export interface ForestHistoryEntry {
  /** 0-based index of the tree just added. */
  iteration: number;
  /**
   * Out-of-bag loss of the forest so far (log loss, or mean squared error for regression): each
   * training row predicted by the trees whose bootstrap sample left it out. NaN without bootstrap,
   * or while no row has been left out yet.
   */
  oobLoss: number;
  valLoss?: number;
}

export interface ForestResult {
  model: ForestModel;
  history: ForestHistoryEntry[];
  /** The final out-of-bag loss and how many training rows it covers (absent without bootstrap). */
  oob?: { loss: number; rows: number };
  /** Things the user should know that did not stop training (a constant column, ...). */
  warnings: string[];
}

export type OnIteration = (iteration: number, oobLoss: number, valLoss?: number) => void;
