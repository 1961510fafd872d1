/**
 * Public types of the GBDT trainer: options, parameters and the model. A GbdtModel is plain
 * JSON (no typed arrays, no Infinity, no NaN) so it can be stored as an artifact as is, and its
 * node structure maps one to one onto ONNX ai.onnx.ml TreeEnsembleClassifier/Regressor.
 */

export type GbdtTask = 'binary' | 'multiclass' | 'regression';

export interface GbdtParams {
  /** Shrinkage applied to every leaf value. */
  learning_rate: number;
  /** Boosting iterations (multiclass: one tree per class per iteration). */
  max_iter: number;
  /** Leaf-wise growth stops at this many leaves. */
  max_leaf_nodes: number;
  /** Edges from the root to the deepest leaf; null = no limit. */
  max_depth: number | null;
  /** Fewest training rows a leaf may hold. */
  min_samples_leaf: number;
  /** L2 penalty on leaf values (added to the hessian sum). */
  l2_regularization: number;
  /** Value bins per numeric feature (at most 255; the missing-value bin is extra). */
  max_bins: number;
  /** Categories with fewer training rows than this are folded into the 'other' bin. */
  min_category_count: number;
  /** Early stopping: the validation loss must improve by more than tol ... */
  tol: number;
  /** ... at least once in this many iterations, else training stops. */
  n_iter_no_change: number;
}

export const DEFAULT_PARAMS: GbdtParams = {
  learning_rate: 0.1,
  max_iter: 200,
  max_leaf_nodes: 31,
  max_depth: null,
  min_samples_leaf: 20,
  l2_regularization: 0,
  max_bins: 255,
  min_category_count: 10,
  tol: 1e-7,
  n_iter_no_change: 10,
};

export interface GbdtOptions {
  task: GbdtTask;
  /** Name of the label column. */
  target: string;
  /** Binary only: the class whose probability is predicted (default: the second class in sorted order). */
  positive?: string;
  /** Feature columns; default: every column but the target and `exclude`. */
  features?: string[];
  exclude?: string[];
  params?: Partial<GbdtParams>;
  /** Seeds the row subsample used for quantile binning (only used above 200k rows). */
  seed?: number;
}

/** How one feature's raw values are mapped; what prediction needs besides the trees. */
export type FeatureInfo =
  | {
      name: string;
      kind: 'numeric';
      /** Ascending bin upper edges: value bin b holds thresholds[b-1] < x <= thresholds[b]. */
      thresholds: number[];
      /** Whether the training column had missing values (NaN). */
      hadMissing: boolean;
    }
  | {
      name: string;
      kind: 'categorical';
      /**
       * Kept categories, most frequent first: code i is categories[i]. Code categories.length is
       * 'other': rare training categories and, at prediction, categories never seen in training.
       */
      categories: string[];
      hadMissing: boolean;
    };

/**
 * One tree node. A leaf has feature -1 (left = right = -1). A numeric split sends a row left when
 * `x <= threshold` (ONNX BRANCH_LEQ); a categorical split sends it left when the row's category
 * code is in `categories` (ONNX: LabelEncoder to codes, then BRANCH_EQ chains or BRANCH_MEMBER).
 * A missing value (NaN / null) goes left iff missingGoesLeft (ONNX nodes_missing_value_tracks_true).
 */
export interface GbdtNode {
  feature: number;
  threshold?: number;
  categories?: number[];
  missingGoesLeft: boolean;
  left: number;
  right: number;
  /** Leaf: its output, learning rate included. Internal node: what it would output as a leaf. */
  value: number;
  /** Training rows that reached the node. */
  count: number;
  /** Loss reduction of the split (0 for leaves): for feature importance. */
  gain: number;
}

export interface GbdtTree {
  /** Which raw score the tree adds to: the class index for multiclass, else 0. */
  output: number;
  /** nodes[0] is the root. */
  nodes: GbdtNode[];
}

export interface GbdtModel {
  format: 'sluice-gbdt';
  version: 1;
  task: GbdtTask;
  target: string;
  /** Classification: class labels as strings, sorted; binary: [negative, positive]; regression: []. */
  classes: string[];
  features: FeatureInfo[];
  /** One raw score per output (1 for binary and regression, K for multiclass). */
  baseScore: number[];
  /** Iteration-major: trees[i * outputs + k]. */
  trees: GbdtTree[];
  /** Trees per iteration (= baseScore.length). */
  outputs: number;
  params: GbdtParams;
  seed: number;
}

export interface GbdtHistoryEntry {
  iteration: number;
  trainLoss: number;
  valLoss?: number;
}

export interface GbdtResult {
  model: GbdtModel;
  /** One entry per iteration run, including those after the best one when early stopping. */
  history: GbdtHistoryEntry[];
  /** 0-based index of the last iteration kept in the model. */
  bestIteration: number;
  /** Things the user should know that did not stop training (a constant column, ...). */
  warnings: string[];
}

export type OnIteration = (iteration: number, trainLoss: number, valLoss?: number) => void;
