/** Worker-side implementations of train and evaluate. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDuckDB } from '../../data/duckdb.js';
import { readTable } from '../../data/read-table.js';
import type { Table } from '../../data/table.js';
import { SluiceError } from '../../errors.js';
import {
  averagePrecision,
  binaryClassificationMetrics,
  binaryConfusionRows,
  brierScore,
  calibrationCurve,
  calibrationSvg,
  confusionMatrixSvg,
  expectedCalibrationError,
  fairnessReport,
  metricsBySlice,
  precisionRecallCurve,
  precisionRecallSvg,
  rocCurve,
  rocCurveSvg,
} from '../../evaluation/index.js';
import { predictProba, trainLogisticRegression, type LogisticModel } from '../../training/index.js';
import { DEFAULT_PARAMS, predictGbdt, trainGbdt, type GbdtModel, type GbdtParams } from '../../training/gbdt/index.js';
import { toOnnx } from '../../training/onnx/index.js';
import { predictTable, readModelPackage, writeModelPackage } from '../../training/package/index.js';
import type { StepResult, StepTask } from '../task.js';

export interface TrainSpec {
  trainer: 'logistic_regression' | 'gbdt';
  target: string;
  positive: string;
  features?: string[];
  exclude: string[];
  params: Record<string, number | string | boolean | null>;
  seed: number;
}

/** A trained model as stored in model.json: either built-in trainer's format. */
export type TrainedModel = LogisticModel | GbdtModel;

export function isGbdt(model: TrainedModel): model is GbdtModel {
  return (model as GbdtModel).format === 'sluice-gbdt';
}

/** What evaluation needs to know of any model: its target, classes and input columns. */
export function modelInfo(model: TrainedModel): { target: string; positive: string; negative: string; classes: string[]; features: string[] } {
  if (isGbdt(model)) {
    return { target: model.target, positive: model.classes[1], negative: model.classes[0], classes: model.classes, features: model.features.map((f) => f.name) };
  }
  return { target: model.target, positive: model.positive, negative: model.negative, classes: model.classes, features: model.encoder.features.map((f) => f.name) };
}

export function predictPositive(model: TrainedModel, table: Table): Float64Array {
  return isGbdt(model) ? predictGbdt(model, table) : predictProba(model, table);
}

export interface EvaluateSpec {
  threshold: number;
  slices: string[];
  sensitive: string[];
  privileged?: Record<string, string>;
  bootstrap: number;
}

/**
 * A model output is a model package (model.onnx, signature.json, metadata.json, MODEL_CARD.md)
 * and, for built-in trainers, model.json: the same model for Sluice's TypeScript evaluator.
 */
export const NATIVE_MODEL_FILE = 'model.json';

async function loadTrainData(task: StepTask): Promise<{ train: Table; validation?: Table }> {
  return withDuckDB(async (conn) => ({
    train: await readTable(conn, task.inputs.train.path),
    validation: task.inputs.validation ? await readTable(conn, task.inputs.validation.path) : undefined,
  }));
}

interface FitOutcome {
  fitted: Fitted;
  metrics: Record<string, number>;
  history: NonNullable<StepResult['history']>;
}

/** Trains once and measures: training time, losses, and validation accuracy and ROC AUC. */
function fitAndScore(step: string, spec: TrainSpec, train: Table, validation: Table | undefined, quiet = false): FitOutcome {
  const started = performance.now();
  const log = console.log;
  if (quiet) console.log = () => {};
  let fitted: Fitted;
  try {
    fitted = spec.trainer === 'gbdt' ? trainGbdtStep(step, spec, train, validation) : trainLogisticStep(step, spec, train, validation);
  } finally {
    console.log = log;
  }
  const seconds = (performance.now() - started) / 1000;
  const history: FitOutcome['history'] = [];
  for (const h of fitted.history) {
    history.push({ key: 'train_loss', value: h.loss, step: h.iteration });
    if (h.validationLoss !== undefined) history.push({ key: 'validation_loss', value: h.validationLoss, step: h.iteration });
  }
  const last = fitted.history.at(-1);
  const metrics: Record<string, number> = { training_seconds: seconds, iterations: fitted.iterations };
  if (last) metrics.train_loss = last.loss;
  if (last?.validationLoss !== undefined) metrics.validation_loss = last.validationLoss;
  if (validation) {
    const v = scoreTable(fitted.model, validation, 0.5);
    metrics.validation_accuracy = v.accuracy;
    metrics.validation_roc_auc = v.roc_auc;
    metrics.validation_log_loss = v.log_loss;
  }
  if (!quiet) console.log(`${fitted.note} in ${seconds.toFixed(2)} s`);
  return { fitted, metrics, history };
}

export async function runTrain(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as TrainSpec;
  const { train, validation } = await loadTrainData(task);
  console.log(`training ${spec.trainer} on ${train.rowCount} rows${validation ? `, validating on ${validation.rowCount}` : ''}`);
  const outcome = fitAndScore(task.step, spec, train, validation);
  return writeTrainedPackage(task, spec, outcome, train, validation);
}

async function writeTrainedPackage(task: StepTask, spec: TrainSpec, outcome: FitOutcome, train: Table, validation: Table | undefined, summary?: Record<string, unknown>): Promise<StepResult> {
  const { fitted, metrics, history } = outcome;
  const modelDir = join(task.outputDir, 'model');
  await mkdir(modelDir, { recursive: true });
  const info = modelInfo(fitted.model);
  const params = {
    trainer: spec.trainer,
    target: spec.target,
    positive: spec.positive,
    seed: String(spec.seed),
    ...fitted.params,
    features: info.features.join(','),
    train_rows: String(train.rowCount),
  };
  const { onnx, signature } = toOnnx(fitted.model);
  await writeModelPackage(modelDir, {
    onnx,
    signature,
    metadata: { trainer: `sluice.${spec.trainer}`, params, metrics, createdAt: new Date().toISOString() },
    card: {
      name: task.step,
      intendedUse: `Predicts whether '${info.target}' is '${info.positive}' (binary classification), from ${info.features.length} input columns.`,
      data: {
        training: { rows: train.rowCount, description: `The training split given to step '${task.step}'.` },
        evaluation: validation
          ? { rows: validation.rowCount, description: 'The validation split; the evaluation step adds the test data when the model is registered.' }
          : { description: 'Evaluated in a later step; see the registered version for the test data.' },
      },
      metrics,
      limitations: ['Trained on the data named above only; check the evaluation and fairness sections before use on other populations.'],
      trainer: spec.trainer,
      params,
    },
  });
  await writeFile(join(modelDir, NATIVE_MODEL_FILE), JSON.stringify(fitted.model));
  console.log(`wrote the model package: model.onnx (${onnx.length} bytes), signature, metadata, model card`);
  return {
    outputs: { model: { path: 'model', kind: 'model', meta: { trainer: spec.trainer, features: info.features.length } } },
    metrics,
    history,
    params,
    ...(summary ? { summary } : {}),
  };
}

export interface SearchSpec extends TrainSpec {
  space: Record<string, (number | string | boolean)[] | { min: number; max: number; log?: boolean; integer?: boolean }>;
  strategy: 'grid' | 'random';
  trials: number;
  metric: string;
  goal: 'maximize' | 'minimize';
}

export interface Trial {
  params: Record<string, number | string | boolean>;
  metrics: Record<string, number>;
}

/**
 * A hyperparameter search: every combination of the listed values (grid), or `trials` draws
 * (random; ranges drawn uniformly or log-uniformly, seeded), each trained and scored on the
 * validation data; the best by the declared metric becomes the step's model.
 */
export async function runSearch(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as SearchSpec;
  const { train, validation } = await loadTrainData(task);
  if (!validation) throw new SluiceError('CONFIG_INVALID', `Step '${task.step}': a search needs validation data to compare its trials`, { where: `steps.${task.step}.validation` });
  const candidates = searchCandidates(spec);
  console.log(`searching ${candidates.length} ${spec.strategy} trial(s) of ${spec.trainer} for the best ${spec.metric} (${spec.goal})`);
  const trials: Trial[] = [];
  let best: { index: number; outcome: FitOutcome } | undefined;
  for (const [i, candidate] of candidates.entries()) {
    const outcome = fitAndScore(task.step, { ...spec, params: { ...spec.params, ...candidate } }, train, validation, true);
    const score = outcome.metrics[spec.metric];
    if (score === undefined) {
      throw new SluiceError('CONFIG_INVALID', `Step '${task.step}': trials have no metric '${spec.metric}'`, {
        where: `steps.${task.step}.metric`,
        hint: `Choose one of ${Object.keys(outcome.metrics).map((k) => `'${k}'`).join(', ')}.`,
      });
    }
    trials.push({ params: candidate, metrics: outcome.metrics });
    console.log(`trial ${i + 1}/${candidates.length} ${JSON.stringify(candidate)}: ${spec.metric} ${score.toFixed(5)}`);
    const better = !best || (spec.goal === 'maximize' ? score > best.outcome.metrics[spec.metric] : score < best.outcome.metrics[spec.metric]);
    if (better) best = { index: i, outcome };
  }
  if (!best) throw new SluiceError('CONFIG_INVALID', `Step '${task.step}': the search space is empty`, { where: `steps.${task.step}.space` });
  console.log(`best: trial ${best.index + 1} ${JSON.stringify(candidates[best.index])} with ${spec.metric} ${best.outcome.metrics[spec.metric].toFixed(5)}`);
  const result = await writeTrainedPackage(task, { ...spec, params: { ...spec.params, ...candidates[best.index] } }, best.outcome, train, validation, { trials, best: best.index });
  return { ...result, metrics: { ...result.metrics, trials: trials.length, best_trial: best.index + 1 } };
}

export function searchCandidates(spec: Pick<SearchSpec, 'space' | 'strategy' | 'trials' | 'seed'>): Record<string, number | string | boolean>[] {
  const keys = Object.keys(spec.space);
  if (spec.strategy === 'grid') {
    let out: Record<string, number | string | boolean>[] = [{}];
    for (const k of keys) {
      const values = spec.space[k];
      if (!Array.isArray(values)) throw new SluiceError('CONFIG_INVALID', `A grid search needs a list of values for '${k}', not a range`, { hint: 'Use strategy: random for ranges.' });
      out = out.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
    }
    return out;
  }
  // mulberry32: a small seeded generator, so a search can be repeated exactly.
  let state = spec.seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: spec.trials }, () =>
    Object.fromEntries(
      keys.map((k) => {
        const d = spec.space[k];
        if (Array.isArray(d)) return [k, d[Math.floor(random() * d.length)]];
        const u = random();
        let v = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))) : d.min + u * (d.max - d.min);
        if (d.integer) v = Math.round(v);
        return [k, v];
      }),
    ),
  );
}

export async function runEvaluate(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as EvaluateSpec;
  const scored = await scorePackage(task.inputs.model.path, task.inputs.data.path, spec.threshold, [...spec.slices, ...spec.sensitive]);
  const { y, proba, table } = scored;
  const metrics = binaryClassificationMetrics(y, proba, spec.threshold);
  const { confusion_matrix: cm } = metrics;
  const prAuc = averagePrecision(y, proba);
  const brier = brierScore(y, proba);
  const ece = expectedCalibrationError(y, proba, { bins: 10 });
  console.log(`evaluated on ${metrics.rows} rows: accuracy ${metrics.accuracy.toFixed(4)}, ROC AUC ${metrics.roc_auc.toFixed(4)}, PR AUC ${prAuc.toFixed(4)}, F1 ${metrics.f1.toFixed(4)}`);
  console.log(`confusion matrix: tp ${cm.tp}  fp ${cm.fp}  fn ${cm.fn}  tn ${cm.tn}`);
  const column = (name: string) => {
    const c = table.columns.find((x) => x.name === name);
    if (!c) throw new SluiceError('DATA_INVALID', `The evaluation data has no column '${name}'`, { hint: 'Slices and sensitive attributes must be columns of the evaluation data.' });
    return { name, values: c.values };
  };
  const slices = spec.slices.length > 0 ? metricsBySlice(spec.slices.map(column), y, proba, spec.threshold) : [];
  const fairness =
    spec.sensitive.length > 0
      ? fairnessReport(spec.sensitive.map(column), y, proba, {
          threshold: spec.threshold,
          privileged: spec.privileged,
          bootstrap: spec.bootstrap > 0 ? { resamples: spec.bootstrap, seed: 0 } : false,
        })
      : null;
  for (const a of fairness?.attributes ?? []) {
    const m = a.metrics;
    console.log(
      `fairness ${a.attribute}: demographic parity ratio ${m.demographic_parity_ratio.toFixed(3)}, equalized odds difference ${m.equalized_odds_difference.toFixed(3)}, ` +
        `four-fifths rule ${a.four_fifths.passed ? 'met' : 'not met'}`,
    );
  }
  const reportDir = join(task.outputDir, 'report');
  await mkdir(join(reportDir, 'plots'), { recursive: true });
  const roc = rocCurve(y, proba);
  const pr = precisionRecallCurve(y, proba);
  const cal = calibrationCurve(y, proba, { bins: 10 });
  await writeFile(join(reportDir, 'plots', 'roc.svg'), rocCurveSvg([{ label: `ROC AUC ${metrics.roc_auc.toFixed(3)}`, fpr: roc.fpr, tpr: roc.tpr }], { title: 'ROC curve' }));
  await writeFile(join(reportDir, 'plots', 'pr.svg'), precisionRecallSvg([{ label: `PR AUC ${prAuc.toFixed(3)}`, precision: pr.precision, recall: pr.recall }], { title: 'Precision–recall curve', prevalence: metrics.positives / metrics.rows }));
  await writeFile(join(reportDir, 'plots', 'calibration.svg'), calibrationSvg([{ label: 'model', probPred: cal.probPred, probTrue: cal.probTrue }], { title: 'Calibration' }));
  await writeFile(join(reportDir, 'plots', 'confusion.svg'), confusionMatrixSvg(binaryConfusionRows(cm), { labels: [scored.negative, scored.positive], title: 'Confusion matrix' }));
  const flat: Record<string, number> = {
    accuracy: metrics.accuracy,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    roc_auc: metrics.roc_auc,
    pr_auc: prAuc,
    log_loss: metrics.log_loss,
    brier: brier,
    ece,
    error_rate: 1 - metrics.accuracy,
    tp: cm.tp,
    fp: cm.fp,
    tn: cm.tn,
    fn: cm.fn,
    rows: metrics.rows,
  };
  // Fairness figures as metrics too, so they are tracked and comparable across runs.
  for (const a of fairness?.attributes ?? []) for (const [k, v] of Object.entries(a.metrics)) if (Number.isFinite(v)) flat[`${a.attribute}.${k}`] = v;
  await writeFile(join(reportDir, 'evaluation.json'), JSON.stringify({ threshold: spec.threshold, metrics: flat, confusion_matrix: cm, slices, fairness }, null, 2));
  return { outputs: { report: { path: 'report', kind: 'dir' } }, metrics: flat, summary: { fairness, slices } };
}

/**
 * Scores a model package on a dataset: with the built-in model when the package has one (exact,
 * in TypeScript), otherwise through onnxruntime (any ONNX model, e.g. from scikit-learn).
 * Returns the labels as 0/1, P(positive), and the table (with any extra columns asked for).
 */
async function scorePackage(modelDir: string, dataPath: string, threshold: number, extra: string[]) {
  void threshold;
  const native = await readFile(join(modelDir, NATIVE_MODEL_FILE), 'utf8').then((t) => JSON.parse(t) as TrainedModel, () => undefined);
  if (native) {
    const info = modelInfo(native);
    const table = await withDuckDB((conn) => readTable(conn, dataPath, [...new Set([...info.features, info.target, ...extra])]));
    return { ...labelsOf(table, info.target, info.positive, info.negative), proba: predictPositive(native, table), table, positive: info.positive, negative: info.negative };
  }
  const pkg = await readModelPackage(modelDir);
  const target = String(pkg.metadata.params?.target ?? '');
  const positive = String(pkg.metadata.params?.positive ?? '');
  if (!target || !positive) {
    throw new SluiceError('DATA_INVALID', 'The model package does not say its target and positive class', {
      hint: "Record params.target and params.positive in the package's metadata.json.",
    });
  }
  const table = await withDuckDB((conn) => readTable(conn, dataPath, [...new Set([...pkg.signature.inputs.map((i) => i.name), target, ...extra])]));
  const predictions = await predictTable(await pkg.session(), pkg.signature, table);
  const probabilities = predictions.probabilities;
  if (!probabilities) throw new SluiceError('DATA_INVALID', 'The ONNX model has no probabilities output', { hint: 'Export the classifier with its probabilities.' });
  const classes = pkg.signature.classes ?? [];
  const negative = classes.find((l) => l !== positive) ?? '';
  const col = classes.indexOf(positive);
  const proba = new Float64Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const row = probabilities[i];
    proba[i] = row[col < 0 ? row.length - 1 : col];
  }
  return { ...labelsOf(table, target, positive, negative), proba, table, positive, negative };
}

function scoreTable(model: TrainedModel, table: Table, threshold: number) {
  const info = modelInfo(model);
  const { y } = labelsOf(table, info.target, info.positive, info.negative);
  return binaryClassificationMetrics(y, predictPositive(model, table), threshold);
}

/** The target column as 0/1; rows without a label or with a class the model does not know are an error. */
function labelsOf(table: Table, targetName: string, positive: string, negative: string): { y: Uint8Array } {
  const target = table.columns.find((c) => c.name === targetName);
  if (!target) {
    throw new SluiceError('DATA_INVALID', `The evaluation data has no target column '${targetName}'`, {
      hint: 'Evaluate on data prepared the same way as the training data.',
    });
  }
  const y = new Uint8Array(table.rowCount);
  let missing = 0;
  const unknown = new Set<string>();
  for (let i = 0; i < table.rowCount; i++) {
    const v = target.type === 'string' ? target.values[i] : String(target.values[i]);
    if (v === null || v === 'NaN') missing++;
    else if (v === positive) y[i] = 1;
    else if (v !== negative) unknown.add(v);
  }
  if (missing > 0 || unknown.size > 0) {
    const parts = [missing ? `${missing} row(s) with no label` : '', unknown.size ? `labels never seen in training: ${[...unknown].slice(0, 5).map((v) => `'${v}'`).join(', ')}` : ''];
    throw new SluiceError('DATA_INVALID', `Target column '${targetName}' has ${parts.filter(Boolean).join(' and ')}`, {
      hint: `The model knows the classes '${negative}' and '${positive}'; prepare the data so that every row has one of them.`,
    });
  }
  return { y };
}

interface Fitted {
  model: TrainedModel;
  history: { iteration: number; loss: number; validationLoss?: number }[];
  iterations: number;
  note: string;
  params: Record<string, string>;
}

function checkParams(step: string, trainer: string, params: TrainSpec['params'], known: string[]): void {
  const unknown = Object.keys(params).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new SluiceError('CONFIG_INVALID', `Step '${step}': ${trainer} has no parameter ${unknown.map((k) => `'${k}'`).join(', ')}`, {
      where: `steps.${step}.params`,
      hint: `Its parameters are ${known.map((k) => `'${k}'`).join(', ')}.`,
    });
  }
}

function numberParam(step: string, params: TrainSpec['params'], key: string): number | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') {
    throw new SluiceError('CONFIG_INVALID', `Step '${step}': params.${key} must be a number, got ${JSON.stringify(v)}`, { where: `steps.${step}.params.${key}` });
  }
  return v;
}

function trainLogisticStep(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  checkParams(step, 'logistic_regression', spec.params, ['l2', 'max_iter', 'tolerance']);
  const l2 = numberParam(step, spec.params, 'l2');
  const maxIter = numberParam(step, spec.params, 'max_iter');
  const tolerance = numberParam(step, spec.params, 'tolerance');
  const r = trainLogisticRegression(
    train,
    { target: spec.target, positive: spec.positive, features: spec.features, exclude: spec.exclude, l2, maxIter, tolerance },
    validation,
    (it, loss, valLoss) => console.log(`iteration ${it}: train loss ${loss.toFixed(6)}${valLoss === undefined ? '' : `, validation loss ${valLoss.toFixed(6)}`}`),
  );
  return {
    model: r.model,
    history: r.history,
    iterations: r.iterations,
    note: `${r.converged ? 'converged' : 'stopped'} after ${r.iterations} iterations`,
    params: { l2: String(l2 ?? 1e-3), max_iter: String(maxIter ?? 100), tolerance: String(tolerance ?? 1e-9) },
  };
}

function trainGbdtStep(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  checkParams(step, 'gbdt', spec.params, Object.keys(DEFAULT_PARAMS));
  const params: Partial<GbdtParams> = {};
  for (const key of Object.keys(DEFAULT_PARAMS) as (keyof GbdtParams)[]) {
    const v = spec.params[key];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'number') {
      throw new SluiceError('CONFIG_INVALID', `Step '${step}': params.${key} must be a number, got ${JSON.stringify(v)}`, { where: `steps.${step}.params.${key}` });
    }
    (params as Record<string, number | null>)[key] = v;
  }
  const r = trainGbdt(
    train,
    { task: 'binary', target: spec.target, positive: spec.positive, features: spec.features, exclude: spec.exclude, params, seed: spec.seed },
    validation,
    (it, loss, valLoss) => {
      if (it === 1 || it % 10 === 0) console.log(`iteration ${it}: train loss ${loss.toFixed(6)}${valLoss === undefined ? '' : `, validation loss ${valLoss.toFixed(6)}`}`);
    },
  );
  for (const w of r.warnings) console.log(`warning: ${w}`);
  const merged = { ...DEFAULT_PARAMS, ...params };
  return {
    model: r.model,
    history: r.history.map((h) => ({ iteration: h.iteration, loss: h.trainLoss, validationLoss: h.valLoss })),
    iterations: r.model.trees.length / r.model.outputs,
    note: `${r.model.trees.length} trees (best iteration ${r.bestIteration})`,
    params: Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, String(v)])),
  };
}
