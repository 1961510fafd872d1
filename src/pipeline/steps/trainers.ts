/**
 * The built-in trainers behind the `train` and `search` steps, each checked against its own
 * parameters, with one result shape: the model, its loss history and the parameters used.
 */
import type { Table } from '../../data/table.js';
import { SluiceError } from '../../errors.js';
import { DEFAULT_PARAMS as FOREST_DEFAULTS, trainForest, type ForestParams } from '../../training/forest/index.js';
import { DEFAULT_PARAMS as GBDT_DEFAULTS, trainGbdt, type GbdtParams } from '../../training/gbdt/index.js';
import { trainLogisticRegression } from '../../training/index.js';
import { trainLinearRegression } from '../../training/linear.js';
import type { Task, TrainedModel } from './models.js';

export type TrainerName = 'logistic_regression' | 'linear_regression' | 'gbdt' | 'random_forest';

export interface TrainSpec {
  trainer: TrainerName;
  task: Task;
  target: string;
  positive?: string;
  features?: string[];
  exclude: string[];
  params: Record<string, number | string | boolean | null>;
  seed: number;
}

export interface Fitted {
  model: TrainedModel;
  history: { iteration: number; loss: number; validationLoss?: number }[];
  iterations: number;
  note: string;
  params: Record<string, string>;
}

const TASKS: Record<TrainerName, Task[]> = {
  logistic_regression: ['binary'],
  linear_regression: ['regression'],
  gbdt: ['binary', 'multiclass', 'regression'],
  random_forest: ['binary', 'multiclass', 'regression'],
};

export function fit(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  if (!TASKS[spec.trainer].includes(spec.task)) {
    throw new SluiceError('CONFIG_INVALID', `Step '${step}': ${spec.trainer} does not do ${spec.task} tasks`, {
      where: `steps.${step}.task`,
      hint: `It does ${TASKS[spec.trainer].join(', ')}; gbdt and random_forest do all three.`,
    });
  }
  switch (spec.trainer) {
    case 'logistic_regression':
      return logistic(step, spec, train, validation);
    case 'linear_regression':
      return linear(step, spec, train, validation);
    case 'gbdt':
      return gbdt(step, spec, train, validation);
    case 'random_forest':
      return forest(step, spec, train, validation);
  }
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

const progress = (it: number, loss: number, valLoss?: number) =>
  console.log(`iteration ${it}: train loss ${loss.toFixed(6)}${valLoss === undefined ? '' : `, validation loss ${valLoss.toFixed(6)}`}`);

function requirePositive(step: string, spec: TrainSpec): string {
  if (spec.positive === undefined) throw new SluiceError('CONFIG_INVALID', `Step '${step}': a binary task needs 'positive', the class to predict`, { where: `steps.${step}.positive` });
  return spec.positive;
}

function logistic(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  checkParams(step, 'logistic_regression', spec.params, ['l2', 'max_iter', 'tolerance']);
  const l2 = numberParam(step, spec.params, 'l2');
  const maxIter = numberParam(step, spec.params, 'max_iter');
  const tolerance = numberParam(step, spec.params, 'tolerance');
  const r = trainLogisticRegression(train, { target: spec.target, positive: requirePositive(step, spec), features: spec.features, exclude: spec.exclude, l2, maxIter, tolerance }, validation, progress);
  return {
    model: r.model,
    history: r.history,
    iterations: r.iterations,
    note: `${r.converged ? 'converged' : 'stopped'} after ${r.iterations} iterations`,
    params: { l2: String(l2 ?? 1e-3), max_iter: String(maxIter ?? 100), tolerance: String(tolerance ?? 1e-9) },
  };
}

function linear(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  checkParams(step, 'linear_regression', spec.params, ['l2']);
  const l2 = numberParam(step, spec.params, 'l2');
  const r = trainLinearRegression(train, { target: spec.target, features: spec.features, exclude: spec.exclude, l2 }, validation);
  if (r.aliased.length > 0) console.log(`warning: collinear features given weight 0: ${r.aliased.join(', ')}`);
  return {
    model: r.model,
    history: [{ iteration: 1, loss: r.loss, validationLoss: r.validationLoss }],
    iterations: 1,
    note: `solved exactly: training MSE ${r.loss.toPrecision(5)}`,
    params: { l2: String(l2 ?? 1e-3) },
  };
}

/** Number parameters of the tree trainers, checked against their defaults' keys. */
function treeParams<T extends object>(step: string, trainer: string, spec: TrainSpec, defaults: T): Partial<T> {
  checkParams(step, trainer, spec.params, Object.keys(defaults));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const v = spec.params[key];
    if (v === undefined) continue;
    const d = (defaults as Record<string, unknown>)[key];
    // A null default (max_depth: no limit) takes a number; max_features also takes 'sqrt' etc.
    const expected = d === null ? 'number' : typeof d;
    if (v !== null && typeof v !== expected && !(key === 'max_features' && typeof v === 'string')) {
      throw new SluiceError('CONFIG_INVALID', `Step '${step}': params.${key} must be a ${expected}, got ${JSON.stringify(v)}`, { where: `steps.${step}.params.${key}` });
    }
    out[key] = v;
  }
  return out as Partial<T>;
}

/** What both tree ensembles take besides their own params. */
function treeOptions<P>(step: string, spec: TrainSpec, params: Partial<P>) {
  return { task: spec.task, target: spec.target, positive: spec.task === 'binary' ? requirePositive(step, spec) : undefined, features: spec.features, exclude: spec.exclude, params, seed: spec.seed };
}

/** Progress of an ensemble: its first iteration, then every tenth. */
function everyTenthIteration(it: number, loss: number, valLoss?: number): void {
  if (it === 1 || it % 10 === 0) progress(it, loss, valLoss);
}

const paramStrings = (params: object): Record<string, string> => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));

function gbdt(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  const params = treeParams<GbdtParams>(step, 'gbdt', spec, GBDT_DEFAULTS);
  const r = trainGbdt(
    train,
    treeOptions(step, spec, params),
    validation,
    everyTenthIteration,
  );
  for (const w of r.warnings) console.log(`warning: ${w}`);
  return {
    model: r.model,
    history: r.history.map((h) => ({ iteration: h.iteration, loss: h.trainLoss, validationLoss: h.valLoss })),
    iterations: r.model.trees.length / r.model.outputs,
    note: `${r.model.trees.length} trees (best iteration ${r.bestIteration})`,
    params: paramStrings({ ...GBDT_DEFAULTS, ...params }),
  };
}

function forest(step: string, spec: TrainSpec, train: Table, validation?: Table): Fitted {
  const params = treeParams<ForestParams>(step, 'random_forest', spec, FOREST_DEFAULTS);
  const r = trainForest(
    train,
    treeOptions(step, spec, params),
    validation,
    everyTenthIteration,
  );
  for (const w of r.warnings) console.log(`warning: ${w}`);
  return {
    model: r.model,
    history: r.history.map((h) => ({ iteration: h.iteration + 1, loss: h.oobLoss, validationLoss: h.valLoss })),
    iterations: r.model.trees.length,
    note: `${r.model.trees.length} trees${r.oob ? `, out-of-bag loss ${r.oob.loss.toFixed(5)}` : ''}`,
    params: paramStrings({ ...FOREST_DEFAULTS, ...params }),
  };
}
