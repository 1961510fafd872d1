/**
 * The executor seam: runs one step's process with its resource request honoured. The local
 * executor runs processes on this machine, never more at once than the CPUs (and memory) allow,
 * and stops a process group that goes over its time or memory limit. A distributed executor
 * (a Redis queue, Kubernetes Jobs) will implement the same interface.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, totalmem } from 'node:os';
import { treeRssBytes } from './process-tree.js';

export interface ExecRequest {
  /** Program and arguments, or a shell command line. */
  command: { argv: string[] } | { shell: string };
  cwd: string;
  env: Record<string, string>;
  cpus: number;
  memoryBytes: number;
  timeoutMs: number;
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Called once the process has started (after waiting for resources). */
  onStart?: () => void;
  signal?: AbortSignal;
}

export type ExecFailure = 'error' | 'timeout' | 'out-of-memory' | 'killed';

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  failure: ExecFailure | null;
  peakRssBytes: number;
  durationMs: number;
}

export interface Executor {
  readonly capacity: { cpus: number; memoryBytes: number };
  run(request: ExecRequest): Promise<ExecResult>;
}

const MEMORY_POLL_MS = 100;

export class LocalExecutor implements Executor {
  readonly capacity: { cpus: number; memoryBytes: number };
  private usedCpus = 0;
  private usedMemory = 0;
  private waiters: Array<() => void> = [];

  constructor(options: { cpus?: number; memoryBytes?: number } = {}) {
    this.capacity = {
      cpus: options.cpus ?? availableParallelism(),
      memoryBytes: options.memoryBytes ?? totalmem(),
    };
  }

  async run(request: ExecRequest): Promise<ExecResult> {
    const cpus = Math.min(request.cpus, this.capacity.cpus);
    const memory = Math.min(request.memoryBytes, this.capacity.memoryBytes);
    await this.acquire(cpus, memory);
    try {
      request.onStart?.();
      return await this.spawnLimited(request);
    } finally {
      this.usedCpus -= cpus;
      this.usedMemory -= memory;
      this.wake();
    }
  }

  private async acquire(cpus: number, memory: number): Promise<void> {
    // Wait until the request fits; one running step may always start, so nothing deadlocks.
    while (this.usedCpus > 0 && (this.usedCpus + cpus > this.capacity.cpus || this.usedMemory + memory > this.capacity.memoryBytes)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.usedCpus += cpus;
    this.usedMemory += memory;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private spawnLimited(request: ExecRequest): Promise<ExecResult> {
    const started = performance.now();
    const [file, args] =
      'argv' in request.command ? [request.command.argv[0], request.command.argv.slice(1)] : ['/bin/sh', ['-c', request.command.shell]];
    const child = spawn(file, args, {
      cwd: request.cwd,
      env: request.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a limit stops the step and everything it started.
      detached: true,
    });
    let failure: ExecFailure | null = null;
    let peak = 0;
    const killTree = (why: ExecFailure) => {
      if (failure === null) failure = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    child.stdout.setEncoding('utf8').on('data', (t: string) => request.onOutput(t, 'stdout'));
    child.stderr.setEncoding('utf8').on('data', (t: string) => request.onOutput(t, 'stderr'));
    const timer = setTimeout(() => killTree('timeout'), request.timeoutMs);
    const poll = setInterval(() => {
      if (!child.pid) return;
      const rss = treeRssBytes(child.pid);
      if (rss > peak) peak = rss;
      if (rss > request.memoryBytes) killTree('out-of-memory');
    }, MEMORY_POLL_MS);
    const onAbort = () => killTree('killed');
    request.signal?.addEventListener('abort', onAbort);
    return new Promise<ExecResult>((resolve) => {
      const finish = (exitCode: number | null, signal: string | null) => {
        clearTimeout(timer);
        clearInterval(poll);
        request.signal?.removeEventListener('abort', onAbort);
        // Anything the step left running in its group goes with it.
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // nothing left
        }
        if (failure === null && exitCode !== 0) failure = 'error';
        resolve({ exitCode, signal, failure, peakRssBytes: peak, durationMs: performance.now() - started });
      };
      child.on('error', (e) => {
        request.onOutput(`cannot start ${file}: ${e.message}\n`, 'stderr');
        finish(127, null);
      });
      child.on('close', (code, signal) => finish(code, signal));
    });
  }
}
