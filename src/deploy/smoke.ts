/** Health checks and smoke tests, run against a new model server before it takes traffic. */
import type { SmokeTest } from '../config/environments.js';

export interface CheckResult {
  name: string;
  passed: boolean;
  message: string;
}

/** Ready within `timeoutMs` (GET /v2/health/ready answers 200). */
export async function healthCheck(url: string, timeoutMs = 10_000): Promise<CheckResult> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/v2/health/ready`);
      if (r.ok) return { name: 'health', passed: true, message: 'ready' };
      last = `status ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { name: 'health', passed: false, message: `not ready after ${timeoutMs} ms: ${last}` };
}

export async function runSmokeTests(url: string, tests: SmokeTest[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [i, t] of tests.entries()) results.push(await runOne(url, t, t.name ?? `smoke ${i + 1}`));
  return results;
}

async function runOne(url: string, t: SmokeTest, name: string): Promise<CheckResult> {
  const fail = (message: string) => ({ name, passed: false, message });
  let status: number;
  let body: any;
  try {
    const r = await fetch(`${url}${t.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(t.request), signal: AbortSignal.timeout(10_000) });
    status = r.status;
    const text = await r.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } catch (e) {
    return fail(`request failed: ${(e as Error).message}`);
  }
  if (status !== t.expect.status) return fail(`expected status ${t.expect.status}, got ${status}: ${JSON.stringify(body).slice(0, 200)}`);
  const first = body?.predictions?.[0] as { label?: unknown; probabilities?: Record<string, number> } | undefined;
  if (t.expect.label !== undefined && String(first?.label) !== t.expect.label) return fail(`expected label '${t.expect.label}', got '${String(first?.label)}'`);
  if (t.expect.probability) {
    const { min, max } = t.expect.probability;
    const probabilities = first?.probabilities ?? {};
    const keys = Object.keys(probabilities);
    const cls = t.expect.probability.class ?? keys[keys.length - 1];
    const p = cls === undefined ? undefined : probabilities[cls];
    if (typeof p !== 'number') return fail(`no probability of class '${cls}' in the answer`);
    if (p < min || p > max) return fail(`probability of '${cls}' is ${p.toFixed(4)}, expected ${min} to ${max}`);
  }
  return { name, passed: true, message: 'ok' };
}
