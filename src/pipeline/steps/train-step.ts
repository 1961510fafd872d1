/** Worker-side `train` and `search` steps: fit, measure on validation data, write the model package. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDuckDB } from '../../data/duckdb.js';
import { readTable } from '../../data/read-table.js';
import type { Table } from '../../data/table.js';
import { SluiceError } from '../../errors.js';
import { binaryClassificationMetrics, multiclassMetrics, regressionMetrics } from '../../evaluation/index.js';
import { toOnnx } from '../../training/onnx/index.js';
import { writeModelPackage } from '../../training/package/index.js';
import type { StepResult, StepTask } from '../task.js';
import { modelInfo, NATIVE_MODEL_FILE, predictScores, type TrainedModel } from './models.js';
import { labels } from './scoring.js';
import { fit, type Fitted, type TrainSpec } from './trainers.js';

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

/** Metrics of a model on a table, named as the evaluate step names them, for its task. */
export function quickMetrics(model: TrainedModel, table: Table): Record<string, number> {
  const info = modelInfo(model);
  const scored = labels(table, info);
  const scores = predictScores(model, table);
  if (info.task === 'regression') {
    const m = regressionMetrics(scored.values as Float64Array, scores);
    return { rmse: m.rmse, mae: m.mae, r2: m.r2 };
  }
  if (info.task === 'multiclass') {
    const m = multiclassMetrics(scored.y, scores);
    return { accuracy: m.accuracy, f1_macro: m.f1_macro, log_loss: m.log_loss };
  }
  const m = binaryClassificationMetrics(scored.y as Uint8Array, scores, 0.5);
  return { accuracy: m.accuracy, roc_auc: m.roc_auc, log_loss: m.log_loss };
}

/** Trains once and measures: training time, losses, and metrics on the validation data. */
function fitAndScore(step: string, spec: TrainSpec, train: Table, validation: Table | undefined, quiet = false): FitOutcome {
  const started = performance.now();
  const log = console.log;
  if (quiet) console.log = () => {};
  let fitted: Fitted;
  try {
    fitted = fit(step, spec, train, validation);
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
  if (last && Number.isFinite(last.loss)) metrics.train_loss = last.loss;
  if (last?.validationLoss !== undefined) metrics.validation_loss = last.validationLoss;
  if (validation) for (const [k, v] of Object.entries(quickMetrics(fitted.model, validation))) metrics[`validation_${k}`] = v;
  if (!quiet) console.log(`${fitted.note} in ${seconds.toFixed(2)} s`);
  return { fitted, metrics, history };
}

export async function runTrain(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as TrainSpec;
  const { train, validation } = await loadTrainData(task);
  console.log(`training ${spec.trainer} (${spec.task}) on ${train.rowCount} rows${validation ? `, validating on ${validation.rowCount}` : ''}`);
  return writeTrainedPackage(task, spec, fitAndScore(task.step, spec, train, validation), train, validation);
}

async function writeTrainedPackage(task: StepTask, spec: TrainSpec, outcome: FitOutcome, train: Table, validation: Table | undefined, summary?: Record<string, unknown>): Promise<StepResult> {
  const { fitted, metrics, history } = outcome;
  const modelDir = join(task.outputDir, 'model');
  await mkdir(modelDir, { recursive: true });
  const info = modelInfo(fitted.model);
  const params = {
    trainer: spec.trainer,
    task: spec.task,
    target: spec.target,
    ...(spec.positive !== undefined ? { positive: spec.positive } : {}),
    seed: String(spec.seed),
    ...fitted.params,
    features: info.features.join(','),
    train_rows: String(train.rowCount),
  };
  const purpose =
    info.task === 'regression'
      ? `Predicts '${info.target}' (regression)`
      : info.task === 'binary'
        ? `Predicts whether '${info.target}' is '${info.positive}' (binary classification)`
        : `Predicts '${info.target}' among ${info.classes.length} classes`;
  const { onnx, signature } = toOnnx(fitted.model);
  await writeModelPackage(modelDir, {
    onnx,
    signature,
    metadata: { trainer: `sluice.${spec.trainer}`, params, metrics, createdAt: new Date().toISOString() },
    card: {
      name: task.step,
      intendedUse: `${purpose}, from ${info.features.length} input columns.`,
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
    outputs: { model: { path: 'model', kind: 'model', meta: { trainer: spec.trainer, task: spec.task, features: info.features.length } } },
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
