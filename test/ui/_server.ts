/** `sluice server` on a free loopback port, as a user starts it, for the browser tests. */
import type { ChildProcess } from 'node:child_process';
import { sluiceSpawn } from '../helpers/cli.js';

export async function startSluiceServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = sluiceSpawn(dir, ['server', '--port', '0', '--log-level', 'warn', '--json']);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.on('close', (code) => reject(new Error(`sluice server exited with ${code}: ${err}`)));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // --json prints one (indented) object once the server listens.
      try {
        resolve({ url: (JSON.parse(out) as { url: string }).url, child });
      } catch {
        // not all of it yet
      }
    });
  });
}

export function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
