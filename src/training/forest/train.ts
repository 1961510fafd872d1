/**
 * The forest: bin the training table once (the GBDT's binning), then grow n_estimators trees,
 * each on its own bootstrap sample with its own seed. After each tree, the out-of-bag loss (each
 * training row predicted by the trees that did not see it) and the validation loss are updated.
 */
import { SluiceError } from '../../errors.js';
import type { Table } from '../../data/table.js';
import { binColumn, fitBinning, valueBinCount } from '../gbdt/bin-mapper.js';
import { featureMatrix } from '../gbdt/predict.js';
import { classesOf, encodeClasses, encodeRegression } from '../gbdt/target.js';
import { column, selectFeatures, usableFeatures } from '../gbdt/train.js';
import { featuresPerSplit, resolveParams } from './params.js';
import { addTree, compileTrees } from './predict.js';
import { addBinned, growTree, toForestTree, type TrainingData } from './tree.js';
import type { ForestHistoryEntry, ForestModel, ForestOptions, ForestResult, ForestTree, OnIteration } from './types.js';

const TASKS = ['binary', 'multiclass', 'regression'];

export function trainForest(train: Table, options: ForestOptions, validation?: Table, onIteration?: OnIteration): ForestResult {
  const { task, target } = options;
  if (!TASKS.includes(task)) throw new SluiceError('USAGE', `Unknown random forest task '${String(task)}'; use one of ${TASKS.join(', ')}`);
  const params = resolveParams(options.params);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new SluiceError('USAGE', `The random forest seed must be an integer; got ${seed}`);
  const n = train.rowCount;
  if (n === 0) throw new SluiceError('DATA_INVALID', 'The training table has no rows');
  const warnings: string[] = [];

  const targetCol = column(train, target, 'training');
  const featureCols = selectFeatures(train, options);
  const classes = task === 'regression' ? [] : classesOf(targetCol, task, options.positive);
  const y = task === 'regression' ? encodeRegression(targetCol, 'training') : encodeClasses(targetCol, classes, 'training');
  if (task === 'multiclass' && classes.length > 255) {
    throw new SluiceError('DATA_INVALID', `Target column '${target}' has ${classes.length} classes; the random forest takes at most 255`);
  }

  const infos = fitBinning(featureCols, params.max_bins, params.min_category_count, seed);
  const binned = featureCols.map((c, f) => binColumn(c, infos[f]));
  const valueBins = Int32Array.from(infos, valueBinCount);
  const usable = usableFeatures(binned, Array.from(valueBins, (v) => v + 1), infos, params.min_category_count, warnings);
  if (usable.length === 0) warnings.push('No feature can split the data: every tree is one leaf, the model predicts the training ' + (task === 'regression' ? 'mean' : 'class shares'));

  const K = task === 'multiclass' ? classes.length : 1;
  const mean = task === 'regression' ? y.reduce((s, v) => s + v, 0) / n : 0;
  const data: TrainingData = {
    n,
    binned,
    valueBins,
    categorical: Uint8Array.from(infos, (i) => (i.kind === 'categorical' ? 1 : 0)),
    usable,
    K,
    channel: task === 'multiclass' ? Uint8Array.from(y) : new Uint8Array(n),
    amount: task === 'multiclass' ? new Float64Array(n).fill(1) : task === 'binary' ? y : Float64Array.from(y, (v) => v - mean),
    label: y,
    offset: mean,
  };
  const perSplit = featuresPerSplit(params.max_features, task, featureCols.length);
  const settings = { maxDepth: params.max_depth, minSamplesLeaf: params.min_samples_leaf, featuresPerSplit: perSplit, bootstrap: params.bootstrap };

  const val = validation ? validationSet(validation, options, infos, classes) : null;
  const valSum = val ? new Float64Array(validation!.rowCount * K) : null;
  const oobSum = new Float64Array(n * K);
  const oobTrees = new Uint32Array(n);
  const importance = new Float64Array(featureCols.length);
  const trees: ForestTree[] = [];
  const history: ForestHistoryEntry[] = [];
  for (let t = 0; t < params.n_estimators; t++) {
    const grown = growTree(data, settings, treeSeed(seed, t));
    const tree = toForestTree(grown, infos);
    trees.push(tree);

    let total = 0;
    for (let i = 0; i < grown.nodes; i++) total += grown.gain[i];
    for (let i = 0; total > 0 && i < grown.nodes; i++) if (grown.feature[i] >= 0) importance[grown.feature[i]] += grown.gain[i] / total;

    if (params.bootstrap) {
      for (let r = 0; r < n; r++) {
        if (grown.weight[r] > 0) continue;
        addBinned(grown, binned, K, r, oobSum);
        oobTrees[r]++;
      }
    }
    const entry: ForestHistoryEntry = { iteration: t, oobLoss: meanLoss(task, K, y, oobSum, oobTrees, null) };
    if (val && valSum) {
      addTree(compileTrees([tree], infos, K), 0, val.X, valSum, K);
      entry.valLoss = meanLoss(task, K, val.y, valSum, null, t + 1);
    }
    history.push(entry);
    onIteration?.(t, entry.oobLoss, entry.valLoss);
  }

  const sum = importance.reduce((s, v) => s + v, 0);
  const model: ForestModel = {
    format: 'sluice-forest',
    version: 1,
    task,
    target,
    classes,
    features: infos,
    outputs: K,
    trees,
    importance: Array.from(importance, (v) => (sum > 0 ? v / sum : 0)),
    params,
    featuresPerSplit: perSplit,
    seed,
  };
  const result: ForestResult = { model, history, warnings };
  if (params.bootstrap) {
    const rows = oobTrees.reduce((s, c) => s + (c > 0 ? 1 : 0), 0);
    result.oob = { loss: history[history.length - 1].oobLoss, rows };
  }
  return result;
}

/**
 * Mean log loss (probabilities clipped to [1e-15, 1 - 1e-15]: a forest often says 0 or 1) or mean
 * squared error of summed tree outputs, each row divided by its tree count; rows with no tree skipped.
 */
function meanLoss(task: string, K: number, y: Float64Array, sums: Float64Array, perRow: Uint32Array | null, trees: number | null): number {
  const clip = (p: number): number => Math.min(1 - 1e-15, Math.max(1e-15, p));
  let s = 0;
  let rows = 0;
  for (let r = 0; r < y.length; r++) {
    const T = perRow ? perRow[r] : trees!;
    if (T === 0) continue;
    rows++;
    if (task === 'regression') s += (sums[r] / T - y[r]) ** 2;
    else if (task === 'binary') s -= Math.log(clip(y[r] === 1 ? sums[r] / T : 1 - sums[r] / T));
    else s -= Math.log(clip(sums[r * K + y[r]] / T));
  }
  return rows === 0 ? NaN : s / rows;
}

function validationSet(v: Table, o: ForestOptions, infos: ForestModel['features'], classes: string[]) {
  if (v.rowCount === 0) throw new SluiceError('DATA_INVALID', 'The validation table has no rows');
  const col = column(v, o.target, 'validation');
  const y = o.task === 'regression' ? encodeRegression(col, 'validation') : encodeClasses(col, classes, 'validation');
  return { X: featureMatrix(infos, v), y };
}

/** A well-mixed 32-bit seed per tree (murmur3's finaliser), so neighbouring trees share nothing. */
function treeSeed(seed: number, t: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
