/** Deploy: environments, strategies, traffic routing, smoke tests, canary analysis, rollback. */
export { startEnvironment, unknownEnvironment, type Environment, type DeployRequest } from './environment.js';
export { startRouter, ADMIN_PREFIX, type Router, type TrafficSplit } from './router.js';
export { listRevisions, currentRevision, STRATEGIES, type Revision, type Strategy, type TrafficTarget } from './revisions.js';
export { analyze, parseMetrics, type AnalysisResult } from './analysis.js';
export { healthCheck, runSmokeTests, type CheckResult } from './smoke.js';
export { deployClient } from './client.js';
export { renderKubernetes, manifestsToYaml, type RenderInput } from './render-k8s.js';
