/**
 * A real registered model for the serving tests: the income example run by the built `sluice`
 * (income@1, the GBDT), opened in-process, with helpers to serve it and call it.
 */
import { rmSync } from 'node:fs';
import { openProject, type Project } from '../../src/project.js';
import { startModelServer, type ModelServer, type ModelServerOptions } from '../../src/serving/index.js';
import { incomeProject, sluice } from '../helpers/cli.js';

export const RECORD = {
  age: 39,
  workclass: 'State-gov',
  education: 'Bachelors',
  'education-num': 13,
  'marital-status': 'Never-married',
  occupation: 'Adm-clerical',
  relationship: 'Not-in-family',
  race: 'White',
  sex: 'Male',
  'capital-gain': 2174,
  'capital-loss': 0,
  'hours-per-week': 40,
  'native-country': 'United-States',
};

/** RECORD with a different age and hours per record, so each record has its own answer. */
export function records(n: number, offset = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ ...RECORD, age: 18 + ((i + offset) % 70), 'hours-per-week': 10 + ((i + offset) % 60) }));
}

/** The income example, run once: its folder holds income@1. */
export function registeredIncomeDir(): string {
  const dir = incomeProject();
  const r = sluice(dir, ['run']);
  if (r.code !== 0) throw new Error(`sluice run failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return dir;
}

export interface Served {
  dir: string;
  project: Project;
  server: ModelServer;
  url: string;
  close(): Promise<void>;
}

export async function serveIncome(options: Partial<ModelServerOptions> = {}, dir = registeredIncomeDir()): Promise<Served> {
  const project = await openProject(dir);
  const server = await startModelServer({ model: 'income@1', project, port: 0, ...options });
  return {
    dir,
    project,
    server,
    url: server.url,
    async close() {
      await server.close();
      await project.close();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** One HTTP call: JSON bodies are serialized unless given as a string; the answer parsed when it is JSON. */
export async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The value of one sample of the Prometheus text format, or undefined. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}
