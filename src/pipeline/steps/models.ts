/**
 * Built-in models as the pipeline sees them: one union of the trainers' JSON models, what any of
 * them predicts, and what evaluation needs to know (task, target, classes, input columns).
 */
import type { Table } from '../../data/table.js';
import { predictForest, type ForestModel } from '../../training/forest/index.js';
import { predictGbdt, type GbdtModel } from '../../training/gbdt/index.js';
import { predictProba, type LogisticModel } from '../../training/index.js';
import { predictLinear, type LinearModel } from '../../training/linear.js';

export type Task = 'binary' | 'multiclass' | 'regression';

/** A trained model as stored in model.json, any built-in trainer's format. */
export type TrainedModel = LogisticModel | GbdtModel | ForestModel | LinearModel;

/**
 * A model output is a model package (model.onnx, signature.json, metadata.json, MODEL_CARD.md)
 * and, for built-in trainers, model.json: the same model for Sluice's TypeScript evaluator.
 */
export const NATIVE_MODEL_FILE = 'model.json';

export interface ModelInfo {
  task: Task;
  target: string;
  /** Classification: the class labels, sorted; binary: [negative, positive]. */
  classes: string[];
  positive?: string;
  negative?: string;
  features: string[];
}

export function modelInfo(model: TrainedModel): ModelInfo {
  if ('format' in model) {
    const binary = model.task === 'binary';
    return {
      task: model.task,
      target: model.target,
      classes: model.classes,
      ...(binary ? { positive: model.classes[1], negative: model.classes[0] } : {}),
      features: model.features.map((f) => f.name),
    };
  }
  if (model.type === 'linear_regression') return { task: 'regression', target: model.target, classes: [], features: model.encoder.features.map((f) => f.name) };
  return { task: 'binary', target: model.target, classes: model.classes, positive: model.positive, negative: model.negative, features: model.encoder.features.map((f) => f.name) };
}

/** Binary: P(positive) per row; multiclass: probabilities row-major in class order; regression: values. */
export function predictScores(model: TrainedModel, table: Table): Float64Array {
  if ('format' in model) return model.format === 'sluice-gbdt' ? predictGbdt(model, table) : predictForest(model, table);
  return model.type === 'linear_regression' ? predictLinear(model, table) : predictProba(model, table);
}
