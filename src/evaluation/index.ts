/** Evaluation: metrics and gates. */
export {
  binaryClassificationMetrics,
  LOG_LOSS_EPS,
  rocAuc,
  type BinaryClassificationMetrics,
  type ConfusionMatrix,
} from './metrics.js';
export {
  evaluateGate,
  formatGateResult,
  formatNumber,
  type GateCheck,
  type GateCheckResult,
  type GateOp,
  type GateResult,
  type GateSeverity,
  type GateStatus,
} from './gates.js';
