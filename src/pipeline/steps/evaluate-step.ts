/**
 * Worker-side `evaluate` step. Binary classification: the full set (accuracy to log loss, PR
 * AUC, Brier, calibration), slices, fairness per sensitive attribute and four plots;
 * multiclass: accuracy, macro and weighted precision/recall/F1, log loss, confusion matrix;
 * regression: MAE, RMSE, R², MAPE.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  multiclassMetrics,
  precisionRecallCurve,
  precisionRecallSvg,
  regressionMetrics,
  rocCurve,
  rocCurveSvg,
} from '../../evaluation/index.js';
import type { StepResult, StepTask } from '../task.js';
import { scorePackage, type Scored } from './scoring.js';

export interface EvaluateSpec {
  threshold: number;
  slices: string[];
  sensitive: string[];
  privileged?: Record<string, string>;
  bootstrap: number;
}

export async function runEvaluate(task: StepTask): Promise<StepResult> {
  const spec = task.spec as unknown as EvaluateSpec;
  const scored = await scorePackage(task.inputs.model.path, task.inputs.data.path, [...spec.slices, ...spec.sensitive]);
  const reportDir = join(task.outputDir, 'report');
  await mkdir(join(reportDir, 'plots'), { recursive: true });
  const { metrics, report, summary } =
    scored.info.task === 'binary' ? await binary(scored, spec, reportDir) : scored.info.task === 'multiclass' ? await multiclass(scored, spec, reportDir) : regression(scored, spec);
  await writeFile(join(reportDir, 'evaluation.json'), JSON.stringify({ task: scored.info.task, metrics, ...report }, null, 2));
  return { outputs: { report: { path: 'report', kind: 'dir' } }, metrics, summary };
}

interface Evaluated {
  metrics: Record<string, number>;
  report: Record<string, unknown>;
  summary: Record<string, unknown>;
}

function onlyBinary(spec: EvaluateSpec, task: string): void {
  if (spec.sensitive.length > 0 || spec.slices.length > 0) {
    throw new SluiceError('CONFIG_INVALID', `Slices and fairness are computed for binary classifiers; this model does ${task}`, {
      hint: 'Remove `slices` and `sensitive` from the evaluate step.',
    });
  }
}

function regression(scored: Scored, spec: EvaluateSpec): Evaluated {
  onlyBinary(spec, 'regression');
  const m = regressionMetrics(scored.values as Float64Array, scored.scores);
  console.log(`evaluated on ${m.rows} rows: MAE ${m.mae.toPrecision(5)}, RMSE ${m.rmse.toPrecision(5)}, R² ${m.r2.toFixed(4)}, MAPE ${m.mape.toPrecision(4)}`);
  return { metrics: { mae: m.mae, rmse: m.rmse, r2: m.r2, mape: m.mape, rows: m.rows }, report: {}, summary: {} };
}

async function multiclass(scored: Scored, spec: EvaluateSpec, reportDir: string): Promise<Evaluated> {
  onlyBinary(spec, 'multiclass classification');
  const m = multiclassMetrics(scored.y, scored.scores);
  console.log(`evaluated on ${m.rows} rows: accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.f1_macro.toFixed(4)}, log loss ${m.log_loss.toFixed(4)}`);
  await writeFile(join(reportDir, 'plots', 'confusion.svg'), confusionMatrixSvg(m.confusion_matrix, { labels: scored.info.classes, title: 'Confusion matrix' }));
  return {
    metrics: {
      accuracy: m.accuracy,
      error_rate: 1 - m.accuracy,
      precision_macro: m.precision_macro,
      recall_macro: m.recall_macro,
      f1_macro: m.f1_macro,
      precision_weighted: m.precision_weighted,
      recall_weighted: m.recall_weighted,
      f1_weighted: m.f1_weighted,
      log_loss: m.log_loss,
      rows: m.rows,
    },
    report: { classes: scored.info.classes, confusion_matrix: m.confusion_matrix },
    summary: {},
  };
}

async function binary(scored: Scored, spec: EvaluateSpec, reportDir: string): Promise<Evaluated> {
  const y = scored.y as Uint8Array;
  const proba = scored.scores;
  const metrics = binaryClassificationMetrics(y, proba, spec.threshold);
  const { confusion_matrix: cm } = metrics;
  const prAuc = averagePrecision(y, proba);
  const brier = brierScore(y, proba);
  const ece = expectedCalibrationError(y, proba, { bins: 10 });
  console.log(`evaluated on ${metrics.rows} rows: accuracy ${metrics.accuracy.toFixed(4)}, ROC AUC ${metrics.roc_auc.toFixed(4)}, PR AUC ${prAuc.toFixed(4)}, F1 ${metrics.f1.toFixed(4)}`);
  console.log(`confusion matrix: tp ${cm.tp}  fp ${cm.fp}  fn ${cm.fn}  tn ${cm.tn}`);
  const column = (name: string) => {
    const c = scored.table.columns.find((x) => x.name === name);
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
    const f = a.metrics;
    console.log(
      `fairness ${a.attribute}: demographic parity ratio ${f.demographic_parity_ratio.toFixed(3)}, equalized odds difference ${f.equalized_odds_difference.toFixed(3)}, ` +
        `four-fifths rule ${a.four_fifths.passed ? 'met' : 'not met'}`,
    );
  }
  const roc = rocCurve(y, proba);
  const pr = precisionRecallCurve(y, proba);
  const cal = calibrationCurve(y, proba, { bins: 10 });
  const negative = scored.info.negative ?? '0';
  const positive = scored.info.positive ?? '1';
  await writeFile(join(reportDir, 'plots', 'roc.svg'), rocCurveSvg([{ label: `ROC AUC ${metrics.roc_auc.toFixed(3)}`, fpr: roc.fpr, tpr: roc.tpr }], { title: 'ROC curve' }));
  await writeFile(join(reportDir, 'plots', 'pr.svg'), precisionRecallSvg([{ label: `PR AUC ${prAuc.toFixed(3)}`, precision: pr.precision, recall: pr.recall }], { title: 'Precision–recall curve', prevalence: metrics.positives / metrics.rows }));
  await writeFile(join(reportDir, 'plots', 'calibration.svg'), calibrationSvg([{ label: 'model', probPred: cal.probPred, probTrue: cal.probTrue }], { title: 'Calibration' }));
  await writeFile(join(reportDir, 'plots', 'confusion.svg'), confusionMatrixSvg(binaryConfusionRows(cm), { labels: [negative, positive], title: 'Confusion matrix' }));
  const flat: Record<string, number> = {
    accuracy: metrics.accuracy,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    roc_auc: metrics.roc_auc,
    pr_auc: prAuc,
    log_loss: metrics.log_loss,
    brier,
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
  return { metrics: flat, report: { threshold: spec.threshold, confusion_matrix: cm, slices, fairness }, summary: { fairness, slices } };
}
