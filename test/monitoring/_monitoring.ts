/**
 * Shared by the monitoring tests: the income example with monitors, alerts and channels added,
 * registered by the real `sluice run` into a store of one backend, opened in-process; and a
 * webhook receiver on loopback that records what it is sent.
 */
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openProject, type Project } from '../../src/project.js';
import type { StoreBackend, StoreTarget } from '../helpers/backends.js';
import { incomeProject, sluice } from '../helpers/cli.js';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Paths answered with this status instead of 200. */
  fail: Map<string, number>;
  /** Paths that never answer (for timeouts). */
  hang: Set<string>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const fail = new Map<string, number>();
  const hang = new Set<string>();
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: text ? JSON.parse(text) : null });
      if (hang.has(path)) return;
      res.writeHead(fail.get(path) ?? 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    fail,
    hang,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The income project with `extra` YAML appended, run by the built CLI against the backend's store. */
export function registeredIncome(target: StoreTarget, extra: string): string {
  const dir = incomeProject();
  appendFileSync(join(dir, 'sluice.yaml'), `\n${extra}\n`);
  const r = sluice(dir, ['run'], { SLUICE_DATABASE_URL: target.url });
  if (r.code !== 0) throw new Error(`sluice run failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return dir;
}

/** Opens a project whose store is the target's (openProject reads SLUICE_DATABASE_URL). */
export async function openOn(dir: string, target: StoreTarget): Promise<Project> {
  const saved = process.env.SLUICE_DATABASE_URL;
  process.env.SLUICE_DATABASE_URL = target.url;
  try {
    return await openProject(dir);
  } finally {
    if (saved === undefined) delete process.env.SLUICE_DATABASE_URL;
    else process.env.SLUICE_DATABASE_URL = saved;
  }
}

export type { StoreBackend, StoreTarget };
