/**
 * The boosting loop: bin the training table, then each iteration compute gradients of the loss
 * at the current scores, grow one tree per output on them, and add its leaf values. With a
 * validation table, stop when its loss has not improved by more than tol for n_iter_no_change
 * iterations, and keep the trees up to the best iteration.
 *
 * Deterministic: nothing is random but the binning subsample (seeded), ties are broken by
 * index, and sums always run in the same order.
 */
import { SluiceError } from '../../errors.js';
import type { Column, Table } from '../../data/table.js';
import { binColumn, fitBinning, valueBinCount } from './bin-mapper.js';
import { Grower } from './grower.js';
import { HistogramBuilder, histogramLayout } from './histogram.js';
import { lossFor } from './loss.js';
import { resolveParams } from './params.js';
import { addTree, compileTrees, featureMatrix } from './predict.js';
import type { SplitFeature } from './split.js';
import { classesOf, encodeClasses, encodeRegression } from './target.js';
import { toModelTree } from './tree.js';
import type { FeatureInfo, GbdtHistoryEntry, GbdtModel, GbdtOptions, GbdtResult, GbdtTree, OnIteration } from './types.js';

const TASKS = ['binary', 'multiclass', 'regression'];

export function trainGbdt(train: Table, options: GbdtOptions, validation?: Table, onIteration?: OnIteration): GbdtResult {
  const { task, target } = options;
  if (!TASKS.includes(task)) throw new SluiceError('USAGE', `Unknown GBDT task '${String(task)}'; use one of ${TASKS.join(', ')}`);
  const params = resolveParams(options.params);
  const seed = options.seed ?? 0;
  const n = train.rowCount;
  if (n === 0) throw new SluiceError('DATA_INVALID', 'The training table has no rows');
  const warnings: string[] = [];

  // Target and features
  const targetCol = column(train, target, 'training');
  const featureCols = selectFeatures(train, options);
  const classes = task === 'regression' ? [] : classesOf(targetCol, task, options.positive);
  const y = task === 'regression' ? encodeRegression(targetCol, 'training') : encodeClasses(targetCol, classes, 'training');
  const loss = lossFor(task, classes.length);
  const K = loss.outputs;

  // Binning
  const infos = fitBinning(featureCols, params.max_bins, params.min_category_count, seed);
  const binned = featureCols.map((c, f) => binColumn(c, infos[f]));
  const bins = infos.map((info) => valueBinCount(info) + 1);
  const layout = histogramLayout(bins);
  const splitFeatures: SplitFeature[] = infos.map((info, f) => ({
    categorical: info.kind === 'categorical',
    valueBins: bins[f] - 1,
    offset: layout.offsets[f],
  }));
  const active = usableFeatures(binned, bins, infos, params.min_category_count, warnings);
  if (n < 2 * params.min_samples_leaf) {
    warnings.push(`Only ${n} training rows: with min_samples_leaf ${params.min_samples_leaf} no tree can split, the model predicts a constant`);
  }

  const grower = new Grower(binned, splitFeatures, active, new HistogramBuilder(binned, active, layout, n), {
    maxLeafNodes: params.max_leaf_nodes,
    maxDepth: params.max_depth,
    minSamplesLeaf: params.min_samples_leaf,
    l2: params.l2_regularization,
    learningRate: params.learning_rate,
  });

  // Scores
  const baseScore = loss.baseline(y);
  const raw = filled(n, baseScore);
  const grad = Array.from({ length: K }, () => new Float64Array(n));
  const hess = Array.from({ length: K }, () => new Float64Array(n));
  const val = validation ? validationSet(validation, options, infos, classes, baseScore) : null;

  const trees: GbdtTree[] = [];
  const history: GbdtHistoryEntry[] = [];
  let bestIteration = 0;
  let bestLoss = Infinity;
  // The training loss after iteration t comes with the gradients of iteration t+1 (same pass),
  // so an entry is reported one iteration late, and the last one after the loop.
  let pending: GbdtHistoryEntry | null = null;
  const report = (entry: GbdtHistoryEntry, trainLoss: number): void => {
    entry.trainLoss = trainLoss;
    onIteration?.(entry.iteration, entry.trainLoss, entry.valLoss);
  };
  for (let iter = 0; iter < params.max_iter; iter++) {
    const lossBefore = loss.gradients(y, raw, grad, hess);
    if (pending) report(pending, lossBefore);
    let anySplit = false;
    for (let k = 0; k < K; k++) {
      const grown = grower.grow(grad[k], hess[k]);
      const rows = grower.rows;
      for (const nd of grown) {
        if (nd.left >= 0) continue;
        for (let i = nd.start; i < nd.end; i++) raw[rows[i] * K + k] += nd.value;
      }
      const tree = toModelTree(grown, infos, k);
      anySplit ||= tree.nodes.length > 1;
      trees.push(tree);
      if (val) addTree(compileTrees([tree], infos), 0, val.X, val.raw, K);
    }
    const entry: GbdtHistoryEntry = { iteration: iter, trainLoss: NaN };
    if (val) entry.valLoss = loss.value(val.y, val.raw);
    history.push(entry);
    pending = entry;
    if (val) {
      if (entry.valLoss! < bestLoss - params.tol) {
        bestLoss = entry.valLoss!;
        bestIteration = iter;
      } else if (iter - bestIteration >= params.n_iter_no_change) {
        break;
      }
    } else {
      bestIteration = iter;
    }
    // Lone leaves: no feature can split any more, later iterations would only nudge a constant.
    if (!anySplit) {
      warnings.push(`Stopped after iteration ${iter}: no feature could split the data`);
      break;
    }
  }
  if (pending) report(pending, loss.value(y, raw));

  const model: GbdtModel = {
    format: 'sluice-gbdt',
    version: 1,
    task,
    target,
    classes,
    features: infos,
    baseScore,
    trees: trees.slice(0, (bestIteration + 1) * K),
    outputs: K,
    params,
    seed,
  };
  return { model, history, bestIteration, warnings };
}

export function column(table: Table, name: string, where: string): Column {
  const col = table.columns.find((c) => c.name === name);
  if (!col) {
    throw new SluiceError('SCHEMA_MISMATCH', `Column '${name}' is not in the ${where} table`, {
      hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}`,
    });
  }
  if (col.values.length !== table.rowCount) {
    throw new SluiceError('DATA_INVALID', `Column '${name}' has ${col.values.length} values but the ${where} table has ${table.rowCount} rows`);
  }
  return col;
}

export function selectFeatures(train: Table, o: Pick<GbdtOptions, 'target' | 'features' | 'exclude'>): Column[] {
  const exclude = new Set(o.exclude ?? []);
  for (const name of exclude) column(train, name, 'training');
  const names = o.features ?? train.columns.map((c) => c.name).filter((name) => name !== o.target && !exclude.has(name));
  if (names.includes(o.target)) throw new SluiceError('USAGE', `The target '${o.target}' cannot also be a feature`);
  if (new Set(names).size !== names.length) throw new SluiceError('USAGE', 'A feature is listed twice');
  if (names.length === 0) throw new SluiceError('USAGE', 'No feature columns: the table holds only the target (or all columns are excluded)');
  return names.map((name) => column(train, name, 'training'));
}

/** Features with at least two non-empty bins; the others can never split, which is worth a warning. */
export function usableFeatures(binned: Uint8Array[], bins: number[], infos: FeatureInfo[], minCount: number, warnings: string[]): Int32Array {
  const out: number[] = [];
  binned.forEach((col, f) => {
    const seen = new Uint8Array(bins[f]);
    let distinct = 0;
    for (let i = 0; i < col.length && distinct < 2; i++) {
      if (seen[col[i]] === 0) {
        seen[col[i]] = 1;
        distinct++;
      }
    }
    if (distinct >= 2) out.push(f);
    else {
      const info = infos[f];
      const why =
        seen[bins[f] - 1] === 1 ? 'all its values are missing'
        : info.kind === 'categorical' && info.categories.length === 0 ? `no category has min_category_count (${minCount}) rows`
        : 'it is constant';
      warnings.push(`Feature '${info.name}' is never used: ${why}`);
    }
  });
  return Int32Array.from(out);
}

function validationSet(v: Table, o: GbdtOptions, infos: FeatureInfo[], classes: string[], baseScore: number[]) {
  const col = column(v, o.target, 'validation');
  const y = o.task === 'regression' ? encodeRegression(col, 'validation') : encodeClasses(col, classes, 'validation');
  if (v.rowCount === 0) throw new SluiceError('DATA_INVALID', 'The validation table has no rows');
  return { X: featureMatrix(infos, v), y, raw: filled(v.rowCount, baseScore) };
}

function filled(n: number, base: number[]): Float64Array {
  const K = base.length;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = base[k];
  return out;
}
