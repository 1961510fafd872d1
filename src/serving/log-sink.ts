/**
 * Where prediction-log rows go. PostgreSQL's driver is asynchronous, so rows are inserted from
 * the server's thread. On SQLite they go to a worker thread with its own connection
 * (./log-writer.ts), because a synchronous insert or WAL checkpoint would stall every request;
 * the worker is started on the first write.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store/index.js';

export interface LogRow {
  request_id: string;
  row_index: number;
  model: string;
  version: number;
  route: string;
  at: number;
  latency_ms: number;
  inputs: string;
  outputs: string;
}

export interface LogSink {
  /** Resolves once the rows are stored; rejects when they could not be. */
  write(rows: LogRow[]): Promise<void>;
  close(): Promise<void>;
}

export function openLogSink(store: Store): LogSink {
  const file = store.dialect === 'sqlite' && store.location !== ':memory:' ? _writerFile() : undefined;
  if (file) return new WorkerSink(file, store.location);
  return {
    write: async (rows) => {
      await store.transaction((trx) => trx.insertInto('prediction_log').values(rows).execute());
    },
    close: async () => {},
  };
}

/**
 * The compiled worker: beside this module in dist/serving, under serving/ beside the CLI bundle
 * (dist/sluice.js), or, when this module runs from the TypeScript sources (tests), in the build.
 */
function _writerFile(): URL | undefined {
  for (const relative of ['./log-writer.js', './serving/log-writer.js', '../../dist/serving/log-writer.js']) {
    const url = new URL(relative, import.meta.url);
    if (existsSync(url)) return url;
  }
  return undefined;
}

class WorkerSink implements LogSink {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private exited: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly file: URL,
    private readonly location: string,
  ) {}

  write(rows: LogRow[]): Promise<void> {
    const worker = this.start();
    const id = this.next++;
    // Held open (ref) only while it has work, so an idle writer never keeps the process alive.
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.worker) return;
    this.worker.ref();
    this.worker.postMessage({ close: true });
    await this.exited;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (this.closed) throw new Error('The prediction log writer is closed');
    const worker = new Worker(this.file, { workerData: { url: this.location, workspace: '.' } });
    worker.unref();
    worker.on('message', (m: { id?: number; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0 && !this.closed) worker.unref();
      if (m.error === undefined) p?.resolve();
      else p?.reject(new Error(m.error));
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', () => {
        for (const p of this.pending.values()) p.reject(new Error('The prediction log writer stopped'));
        this.pending.clear();
        this.worker = undefined; // the next write starts a new one
        resolve();
      });
      worker.once('error', () => {}); // its pending writes are rejected on exit
    });
    this.worker = worker;
    return worker;
  }
}
