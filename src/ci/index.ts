/** The CI part: `sluice ci` reports, pull-request comments, declared checks, workflow templates, local runs. */
export { runCi, type CiOptions, type CiResult } from './run-ci.js';
export { renderMarkdown, REPORT_MARKER, type CiReport, type ComparedMetric } from './report.js';
export { postComment, type CommentOutcome, type CommentTarget } from './comment.js';
export { runChecks, type CheckResult, type CheckStatus } from './checks.js';
export { insertCheckResults, lastRunOnBranch, listCheckResults, type CiFigures, type CiRunRecord } from './records.js';
export { detectContext, type CiContext, type Platform } from './vcs.js';
export { buildModelPackage, type BuiltPackage } from './package.js';
export { compareMetrics, compareFairness, compareValue, lineDiff, metricDirection, fairnessDirection, type Delta, type Direction, type Verdict } from './compare.js';
export { workflowFor, workflowPath, type WorkflowOptions } from './workflow/index.js';
export { writeWorkflow } from './workflow/write.js';
export { runIntegration } from './integration.js';
export { runWorkflowLocally, type LocalRunOptions, type LocalRunResult } from './local.js';
