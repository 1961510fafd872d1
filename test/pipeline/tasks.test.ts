/** Every built-in trainer and task through the pipeline: binary, multiclass and regression. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incomeProject, sluiceJson } from '../helpers/cli.js';

function project(steps: string): string {
  const dir = incomeProject();
  const path = join(dir, 'sluice.yaml');
  // Keep the data part of the income example, replace what follows the split.
  const text = readFileSync(path, 'utf8');
  const head = text.slice(0, text.indexOf('  train:\n    kind: train'));
  writeFileSync(path, `${head}${steps}`);
  return dir;
}

interface Shown {
  tracking: { info: { runName: string }; metrics: Record<string, { value: number }> }[];
}

describe('trainers and tasks', () => {
  it('regression with linear_regression and gbdt: MAE, RMSE, R², MAPE', () => {
    const dir = project(`  linear:
    kind: train
    trainer: linear_regression
    train: split.train
    target: hours-per-week
    exclude: [fnlwgt, income]
  boosted:
    kind: train
    trainer: gbdt
    task: regression
    train: split.train
    validation: split.validation
    target: hours-per-week
    exclude: [fnlwgt, income]
    params: { max_iter: 40 }
  test_linear: { kind: evaluate, model: linear, data: checked_test }
  test_boosted: { kind: evaluate, model: boosted, data: checked_test }
`);
    const r = sluiceJson<{ runId: string; errors: unknown[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    const shown = sluiceJson<Shown>(dir, ['runs', 'show', r.data.runId]).data;
    const metricsOf = (prefix: string) => shown.tracking.find((t) => t.info.runName.startsWith(prefix))!.metrics;
    const linear = metricsOf('linear-');
    const boosted = metricsOf('boosted-');
    for (const m of [linear, boosted]) {
      expect(m.test_linear_mae ?? m.test_boosted_mae).toBeDefined();
    }
    expect(linear.test_linear_rmse.value).toBeGreaterThan(5);
    expect(linear.test_linear_rmse.value).toBeLessThan(15);
    expect(linear.test_linear_r2.value).toBeGreaterThan(0.1);
    // Boosting captures the non-linear effects of age and occupation better.
    expect(boosted.test_boosted_r2.value).toBeGreaterThan(linear.test_linear_r2.value);
    expect(boosted.validation_rmse.value).toBeGreaterThan(0);
  });

  it('multiclass with random_forest and gbdt: accuracy, macro F1, log loss', () => {
    const dir = project(`  forest:
    kind: train
    trainer: random_forest
    task: multiclass
    train: split.train
    target: relationship
    exclude: [fnlwgt, marital-status]
    params: { n_estimators: 20, max_depth: 12 }
    seed: 3
  boosted:
    kind: train
    trainer: gbdt
    task: multiclass
    train: split.train
    validation: split.validation
    target: relationship
    exclude: [fnlwgt, marital-status]
    params: { max_iter: 30 }
  test_forest: { kind: evaluate, model: forest, data: checked_test }
  test_boosted: { kind: evaluate, model: boosted, data: checked_test }
`);
    const r = sluiceJson<{ runId: string; errors: unknown[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    const shown = sluiceJson<Shown>(dir, ['runs', 'show', r.data.runId]).data;
    const forest = shown.tracking.find((t) => t.info.runName.startsWith('forest-'))!.metrics;
    const boosted = shown.tracking.find((t) => t.info.runName.startsWith('boosted-'))!.metrics;
    // Six classes, the largest (Husband) about 40%: both must do far better than guessing it.
    expect(forest.test_forest_accuracy.value).toBeGreaterThan(0.6);
    expect(boosted.test_boosted_accuracy.value).toBeGreaterThan(0.6);
    expect(boosted.test_boosted_f1_macro.value).toBeGreaterThan(0.3);
    expect(boosted.test_boosted_log_loss.value).toBeLessThan(1.2);
  });

  it('a binary random forest evaluates with fairness like the other classifiers', () => {
    const dir = project(`  forest:
    kind: train
    trainer: random_forest
    train: split.train
    target: income
    positive: ">50K"
    exclude: [fnlwgt]
    params: { n_estimators: 30 }
  test:
    kind: evaluate
    model: forest
    data: checked_test
    sensitive: [sex]
    bootstrap: 0
`);
    const r = sluiceJson<{ runId: string; errors: unknown[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    const m = sluiceJson<Shown>(dir, ['runs', 'show', r.data.runId]).data.tracking[0].metrics;
    expect(m.test_roc_auc.value).toBeGreaterThan(0.88);
    expect(m['test_sex.demographic_parity_ratio'].value).toBeGreaterThan(0);
  });
});
