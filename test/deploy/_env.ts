/**
 * The income example with environments declared, run once (income@1, alias champion), plus
 * income@2 (the same model package, a new version) and income@3 (a package that is not ONNX).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openProject } from '../../src/project.js';
import { getModelVersion, registerModelVersion } from '../../src/registry/index.js';
import { RECORD, registeredIncomeDir } from '../serving/_income.js';

export { RECORD };

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function deployProject(ports: { staging: number } = { staging: 0 }): Promise<string> {
  const dir = registeredIncomeDir();
  const smoke = `[{ request: { records: [${JSON.stringify(RECORD)}] }, expect: { probability: { min: 0, max: 1 } } }]`;
  const steps = `[{ weight: 20 }, { pause: 400ms }, { weight: 50 }, { pause: 400ms }]`;
  // The example declares its own environments; these tests bring theirs.
  const path = join(dir, 'sluice.yaml');
  const text = readFileSync(path, 'utf8');
  const at = text.search(/^(# [^\n]*\n)*environments:/m);
  if (at >= 0) writeFileSync(path, text.slice(0, at));
  appendFileSync(
    path,
    `
environments:
  staging: { port: ${ports.staging}, smoke: ${smoke} }
  production:
    port: 0
    smoke: ${smoke}
    canary: { steps: ${steps}, analysis: { max_error_rate: 0, max_p99_ms: 2500, max_prediction_shift: 0.5, min_requests: 1 } }
  qa:
    port: 0
    smoke: ${smoke}
    canary: { steps: ${steps}, analysis: { max_error_rate: 0, max_p99_ms: 2500, max_prediction_shift: 0.5, min_requests: 1 } }
  fragile:
    port: 0
    canary: { steps: ${steps}, analysis: { max_error_rate: 0, max_p99_ms: 0.0001, min_requests: 1 } }
  patient:
    port: 0
    canary: { steps: [{ weight: 50 }, { pause: 200ms }], analysis: { max_error_rate: 0, max_p99_ms: 2500, max_prediction_shift: 0.5, min_requests: 5, max_wait: 20s } }
  hasty:
    port: 0
    canary: { steps: [{ weight: 50 }, { pause: 200ms }], analysis: { max_error_rate: 0, max_p99_ms: 2500, max_prediction_shift: 0.5, min_requests: 5, max_wait: 300ms } }
  mirror: { port: 0, shadow: { percent: 100 } }
  picky:
    port: 0
    smoke: [{ request: { records: [${JSON.stringify(RECORD)}] }, expect: { label: "no such label" } }]
`,
  );
  const project = await openProject(dir);
  try {
    const mv = await getModelVersion(project.store.db, 'income', 1);
    await registerModelVersion(project.store, { name: 'income', runId: null, source: mv.source, datasets: {}, params: {}, metrics: {}, gates: [], actor: 'test' });
    const work = await mkdtemp(join(tmpdir(), 'sluice-bad-'));
    await project.artifacts.materializeDirectory(mv.source, join(work, 'p'));
    await writeFile(join(work, 'p', 'model.onnx'), 'not a model');
    const { digest } = await project.artifacts.putDirectory(join(work, 'p'));
    await registerModelVersion(project.store, { name: 'income', runId: null, source: digest, datasets: {}, params: {}, metrics: {}, gates: [], actor: 'test' });
    await rm(work, { recursive: true, force: true });
  } finally {
    await project.close();
  }
  return dir;
}

/** POSTs /predict with `concurrency` callers until stop() (or `maxMs`), counting every failure. */
export function loadGenerator(url: string, concurrency = 4, maxMs = 60_000, maxRequests = 50_000) {
  let running = true;
  const result = { ok: 0, failed: 0, versions: new Map<string, number>(), errors: [] as string[] };
  const started = Date.now();
  const worker = async () => {
    while (running && Date.now() - started < maxMs && result.ok + result.failed < maxRequests) {
      try {
        const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [RECORD] }) });
        await r.arrayBuffer();
        if (r.status === 200) {
          result.ok++;
          const v = r.headers.get('x-served-by-version') ?? '?';
          result.versions.set(v, (result.versions.get(v) ?? 0) + 1);
        } else {
          result.failed++;
          result.errors.push(`status ${r.status}`);
        }
      } catch (e) {
        result.failed++;
        result.errors.push((e as Error).message);
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    result,
    async stop() {
      running = false;
      await Promise.all(workers);
      return result;
    },
  };
}
