/** Worker-side implementations of train and evaluate. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDuckDB } from '../../data/duckdb.js';
import { readTable } from '../../data/read-table.js';
import type { Table } from '../../data/table.js';
import { SluiceError } from '../../errors.js';
import { binaryClassificationMetrics } from '../../evaluation/index.js';
import { predictProba, trainLogisticRegression, type LogisticModel } from '../../training/index.js';
import type { StepResult, StepTask } from '../task.js';

export interface TrainSpec {
  trainer: 'logistic_regression';
  target: string;
  positive: string;
  features?: string[];
  exclude: string[];
  params: Record<string, number | string | boolean>;
}

export interface EvaluateSpec {
  threshold: number;
}

export const MODEL_FILE = 'model.json';
export const SIGNATURE_FILE = 'signature.json';

export async function runTrain(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as TrainSpec;
  const { train, validation } = await withDuckDB(async (conn) => ({
    train: await readTable(conn, task.inputs.train.path),
    validation: task.inputs.validation ? await readTable(conn, task.inputs.validation.path) : undefined,
  }));
  const params = spec.params;
  const numberParam = (key: string): number | undefined => {
    const v = params[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number') {
      throw new SluiceError('CONFIG_INVALID', `Step '${task.step}': params.${key} must be a number, got ${JSON.stringify(v)}`, {
        where: `steps.${task.step}.params.${key}`,
      });
    }
    return v;
  };
  const known = new Set(['l2', 'max_iter', 'tolerance']);
  const unknown = Object.keys(params).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new SluiceError('CONFIG_INVALID', `Step '${task.step}': logistic_regression has no parameter ${unknown.map((k) => `'${k}'`).join(', ')}`, {
      where: `steps.${task.step}.params`,
      hint: `Its parameters are ${[...known].map((k) => `'${k}'`).join(', ')}.`,
    });
  }
  console.log(`training logistic regression on ${train.rowCount} rows${validation ? `, validating on ${validation.rowCount}` : ''}`);
  const started = performance.now();
  const result = trainLogisticRegression(
    train,
    {
      target: spec.target,
      positive: spec.positive,
      features: spec.features,
      exclude: spec.exclude,
      l2: numberParam('l2'),
      maxIter: numberParam('max_iter'),
      tolerance: numberParam('tolerance'),
    },
    validation,
    (it, loss, valLoss) => console.log(`iteration ${it}: train loss ${loss.toFixed(6)}${valLoss === undefined ? '' : `, validation loss ${valLoss.toFixed(6)}`}`),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`${result.converged ? 'converged' : 'stopped'} after ${result.iterations} iterations in ${seconds.toFixed(2)} s`);

  const modelDir = join(task.outputDir, 'model');
  await mkdir(modelDir, { recursive: true });
  await writeFile(join(modelDir, MODEL_FILE), JSON.stringify(result.model));
  await writeFile(join(modelDir, SIGNATURE_FILE), JSON.stringify(signatureOf(result.model, train), null, 2));

  const history: NonNullable<StepResult['history']> = [];
  for (const h of result.history) {
    history.push({ key: 'train_loss', value: h.loss, step: h.iteration });
    if (h.validationLoss !== undefined) history.push({ key: 'validation_loss', value: h.validationLoss, step: h.iteration });
  }
  const last = result.history.at(-1);
  const metrics: Record<string, number> = { training_seconds: seconds, iterations: result.iterations };
  if (last) metrics.train_loss = last.loss;
  if (last?.validationLoss !== undefined) metrics.validation_loss = last.validationLoss;
  if (validation) {
    const v = scoreTable(result.model, validation, 0.5);
    metrics.validation_accuracy = v.accuracy;
    metrics.validation_roc_auc = v.roc_auc;
  }
  return {
    outputs: { model: { path: 'model', kind: 'model', meta: { trainer: spec.trainer, features: result.model.featureNames.length } } },
    metrics,
    history,
    params: {
      trainer: spec.trainer,
      target: spec.target,
      positive: spec.positive,
      l2: String(params.l2 ?? 1e-3),
      max_iter: String(params.max_iter ?? 100),
      tolerance: String(params.tolerance ?? 1e-9),
      features: String(result.model.encoder.features.map((f) => f.name).join(',')),
      train_rows: String(train.rowCount),
    },
  };
}

export async function runEvaluate(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as EvaluateSpec;
  const model = JSON.parse(await readFile(join(task.inputs.model.path, MODEL_FILE), 'utf8')) as LogisticModel;
  const needed = [...model.encoder.features.map((f) => f.name), model.target];
  const table = await withDuckDB((conn) => readTable(conn, task.inputs.data.path, needed));
  const metrics = scoreTable(model, table, spec.threshold);
  const { confusion_matrix: cm } = metrics;
  console.log(`evaluated on ${metrics.rows} rows: accuracy ${metrics.accuracy.toFixed(4)}, ROC AUC ${metrics.roc_auc.toFixed(4)}, F1 ${metrics.f1.toFixed(4)}`);
  console.log(`confusion matrix: tp ${cm.tp}  fp ${cm.fp}  fn ${cm.fn}  tn ${cm.tn}`);
  await writeFile(join(task.outputDir, 'evaluation.json'), JSON.stringify({ threshold: spec.threshold, ...metrics }, null, 2));
  return {
    outputs: { report: { path: 'evaluation.json', kind: 'report' } },
    metrics: {
      accuracy: metrics.accuracy,
      precision: metrics.precision,
      recall: metrics.recall,
      f1: metrics.f1,
      roc_auc: metrics.roc_auc,
      log_loss: metrics.log_loss,
      error_rate: 1 - metrics.accuracy,
      tp: cm.tp,
      fp: cm.fp,
      tn: cm.tn,
      fn: cm.fn,
      rows: metrics.rows,
    },
  };
}

function scoreTable(model: LogisticModel, table: Table, threshold: number) {
  const target = table.columns.find((c) => c.name === model.target);
  if (!target) {
    throw new SluiceError('DATA_INVALID', `The evaluation data has no target column '${model.target}'`, {
      hint: 'Evaluate on data prepared the same way as the training data.',
    });
  }
  const y = new Uint8Array(table.rowCount);
  let missing = 0;
  const unknown = new Set<string>();
  for (let i = 0; i < table.rowCount; i++) {
    const v = target.type === 'string' ? target.values[i] : String(target.values[i]);
    if (v === null || v === 'NaN') missing++;
    else if (v === model.positive) y[i] = 1;
    else if (v !== model.negative) unknown.add(v);
  }
  if (missing > 0 || unknown.size > 0) {
    const parts = [missing ? `${missing} row(s) with no label` : '', unknown.size ? `labels never seen in training: ${[...unknown].slice(0, 5).map((v) => `'${v}'`).join(', ')}` : ''];
    throw new SluiceError('DATA_INVALID', `Target column '${model.target}' has ${parts.filter(Boolean).join(' and ')}`, {
      hint: `The model knows the classes '${model.negative}' and '${model.positive}'; prepare the data so that every row has one of them.`,
    });
  }
  return binaryClassificationMetrics(y, predictProba(model, table), threshold);
}

function signatureOf(model: LogisticModel, train: Table) {
  const typeOf = (name: string) => train.columns.find((c) => c.name === name)?.type ?? 'string';
  return {
    inputs: model.encoder.features.map((f) => ({ name: f.name, type: typeOf(f.name) === 'number' ? 'double' : 'string' })),
    outputs: [
      { name: 'probability', type: 'double', description: `P(${model.target} = ${model.positive})` },
      { name: 'label', type: 'string', classes: model.classes },
    ],
  };
}
