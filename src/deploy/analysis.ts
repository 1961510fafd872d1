/**
 * Canary analysis: over one window, the canary's error rate and p99 latency (from its model
 * server's /metrics) and the shift of its mean predicted probability from the stable one's
 * (from what the router saw). Argo Rollouts' semantics: any failed metric aborts; too few
 * canary requests is inconclusive, which aborts too (no human to resume here).
 */
import type { CanaryConfig } from '../config/environments.js';
import type { UpstreamStats } from './router.js';

export interface MetricsSnapshot {
  requests: number;
  errors: number;
  /** Cumulative counts by bucket upper bound in seconds, Infinity last. */
  buckets: [number, number][];
}

export interface AnalysisResult {
  status: 'successful' | 'failed' | 'inconclusive';
  canary: { requests: number; errorRate: number; p99Ms: number | null; meanProbability: number | null };
  stable: { requests: number; errorRate: number; p99Ms: number | null; meanProbability: number | null };
  shift: number | null;
  failures: string[];
}

export async function scrapeMetrics(url: string): Promise<MetricsSnapshot> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  return parseMetrics(text);
}

export function parseMetrics(text: string): MetricsSnapshot {
  let requests = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const value = Number(m[3]);
    if (m[1] === 'sluice_inference_requests_total') {
      requests += value;
      if (/^5|aborted/.test(labels.code ?? '')) errors += value;
    } else if (m[1] === 'sluice_inference_request_duration_seconds_bucket') {
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  return { requests, errors, buckets: [...buckets.entries()].sort((a, b) => a[0] - b[0]) };
}

/** p99 in milliseconds over the window between two snapshots: the upper bound of its bucket. */
export function p99Ms(before: MetricsSnapshot, after: MetricsSnapshot): number | null {
  const at = new Map(before.buckets);
  const delta = after.buckets.map(([le, n]) => [le, n - (at.get(le) ?? 0)] as const);
  const total = delta.length ? delta[delta.length - 1][1] : 0;
  if (total <= 0) return null;
  const found = delta.find(([, n]) => n >= 0.99 * total);
  if (!found) return null;
  return Number.isFinite(found[0]) ? found[0] * 1000 : Infinity;
}

export interface Window {
  metrics: MetricsSnapshot;
  seen: UpstreamStats;
}

export function analyze(config: CanaryConfig['analysis'], canary: { before: Window; after: Window }, stable: { before: Window; after: Window }): AnalysisResult {
  const side = (w: { before: Window; after: Window }) => {
    const requests = w.after.metrics.requests - w.before.metrics.requests;
    const errors = w.after.metrics.errors - w.before.metrics.errors + (w.after.seen.errors - w.before.seen.errors);
    const n = w.after.seen.probabilityCount - w.before.seen.probabilityCount;
    return {
      requests,
      errorRate: requests > 0 ? Math.min(1, errors / requests) : errors > 0 ? 1 : 0,
      p99Ms: p99Ms(w.before.metrics, w.after.metrics),
      meanProbability: n > 0 ? (w.after.seen.probabilitySum - w.before.seen.probabilitySum) / n : null,
    };
  };
  const c = side(canary);
  const s = side(stable);
  const shift = c.meanProbability !== null && s.meanProbability !== null ? Math.abs(c.meanProbability - s.meanProbability) : null;
  const failures: string[] = [];
  if (c.errorRate > config.max_error_rate) failures.push(`error rate ${c.errorRate.toFixed(4)} > ${config.max_error_rate}`);
  if (c.p99Ms !== null && c.p99Ms > config.max_p99_ms) failures.push(`p99 ${c.p99Ms} ms > ${config.max_p99_ms} ms`);
  if (shift !== null && shift > config.max_prediction_shift) failures.push(`prediction shift ${shift.toFixed(4)} > ${config.max_prediction_shift}`);
  const status = failures.length ? 'failed' : c.requests < config.min_requests ? 'inconclusive' : 'successful';
  if (status === 'inconclusive') failures.push(`only ${c.requests} canary requests, fewer than ${config.min_requests}`);
  return { status, canary: c, stable: s, shift, failures };
}
