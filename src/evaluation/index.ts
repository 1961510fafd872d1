/** Evaluation: metrics, slices, fairness, gates and plots. */
export {
  binaryClassificationMetrics,
  LOG_LOSS_EPS,
  rocAuc,
  type BinaryClassificationMetrics,
  type ConfusionMatrix,
} from './metrics.js';
export { averagePrecision, precisionRecallCurve, rocCurve, type PrecisionRecallCurve, type RocCurve } from './curves.js';
export {
  brierScore,
  calibrationCurve,
  expectedCalibrationError,
  type CalibrationCurve,
  type CalibrationOptions,
  type CalibrationStrategy,
} from './calibration.js';
export { multiclassMetrics, type MulticlassMetrics } from './multiclass.js';
export { regressionMetrics, type RegressionMetrics } from './regression.js';
export { MAX_SLICES, metricsBySlice, type ColumnSlices, type Slice, type SliceColumn } from './slices.js';
export type { GroupKey, GroupValues } from './_groups.js';
export {
  FAIRNESS_METRICS,
  FOUR_FIFTHS,
  fairnessReport,
  type AttributeFairness,
  type BootstrapOptions,
  type ConfidenceInterval,
  type FairnessMetricName,
  type FairnessMetrics,
  type FairnessOptions,
  type FairnessReport,
  type GroupRates,
  type PrivilegedComparison,
  type SensitiveAttribute,
} from './fairness.js';
export {
  absoluteCheckSchema,
  fairnessCheckSchema,
  gateCheckSchema,
  gateOpSchema,
  metricThresholdCheckSchema,
} from './gate-schemas.js';
export {
  evaluateGate,
  formatGateResult,
  formatNumber,
  type AbsoluteCheck,
  type FairnessCheck,
  type GateCheck,
  type GateCheckKind,
  type GateCheckResult,
  type GateContext,
  type GateOp,
  type GateResult,
  type GateSeverity,
  type GateStatus,
  type MetricThresholdCheck,
} from './gates.js';
export * from './plots/index.js';
