/**
 * The prediction log: every prediction (or a sample of requests) written to the metadata store
 * off the request path. A request only appends a reference to its validated input and its
 * outputs to a bounded buffer; rows are built later, in chunks, and handed to the log sink
 * (./log-sink.ts: a worker thread on SQLite), each chunk one transaction. A full buffer or a
 * failed write drops rows and counts them: logging never slows a request down nor fails it.
 */
import type { Store } from '../store/index.js';
import type { ModelSignature } from '../training/package/index.js';
import type { Batch } from './columns.js';
import { openLogSink, type LogRow, type LogSink } from './log-sink.js';
import { outputRecord } from './outputs.js';
import type { ModelOutputs } from './session.js';

export interface LoggedRequest {
  requestId: string;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  latencyMs: number;
  batch: Batch;
  outputs: ModelOutputs;
}

export interface PredictionLogOptions {
  store: Store;
  signature: ModelSignature;
  model: string;
  version: number;
  route: string;
  /** Share of requests logged, 0 to 1 (default 1: all). Decided per request: its rows go together. */
  sample?: number;
  /** Rows held at most before new ones are dropped (default 20,000). */
  capacity?: number;
  /** Rows per write (default 128). */
  chunkRows?: number;
  /** How long a row may wait for its chunk to fill (default 200 ms). */
  flushIntervalMs?: number;
  onWritten?(rows: number): void;
  onDropped?(rows: number): void;
  onError?(e: unknown): void;
}

export class PredictionLog {
  private pending: LoggedRequest[] = [];
  private rows = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly sample: number;
  private readonly capacity: number;
  private readonly chunkRows: number;
  private sink: LogSink | undefined;

  constructor(private readonly options: PredictionLogOptions) {
    this.sample = options.sample ?? 1;
    this.capacity = options.capacity ?? 20_000;
    this.chunkRows = options.chunkRows ?? 128;
  }

  /** Rows waiting to be written. */
  get buffered(): number {
    return this.rows;
  }

  record(entry: LoggedRequest): void {
    if (this.sample < 1 && !(Math.random() < this.sample)) return;
    const n = entry.batch.rows;
    if (this.closed || this.rows + n > this.capacity) {
      this.options.onDropped?.(n);
      return;
    }
    this.pending.push(entry);
    this.rows += n;
    if (this.writing) return;
    if (this.rows >= this.chunkRows) this.startWriting();
    else this.timer ??= setTimeout(() => this.startWriting(), this.options.flushIntervalMs ?? 200);
  }

  /** Writes everything buffered so far. */
  async flush(): Promise<void> {
    while (this.writing || this.pending.length > 0) {
      if (!this.writing) this.startWriting();
      await this.writing;
    }
  }

  /** Stops taking rows and writes those buffered. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.sink?.close();
  }

  private startWriting(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writeAll().finally(() => {
      this.writing = undefined;
      if (this.pending.length > 0) this.timer ??= setTimeout(() => this.startWriting(), 0);
    });
  }

  private async writeAll(): Promise<void> {
    const entries = this.pending;
    this.pending = [];
    let chunk: LogRow[] = [];
    for (const entry of entries) {
      for (let r = 0; r < entry.batch.rows; r++) {
        chunk.push(this.row(entry, r));
        if (chunk.length >= this.chunkRows) {
          await this.write(chunk);
          chunk = [];
        }
      }
    }
    if (chunk.length > 0) await this.write(chunk);
  }

  private async write(chunk: LogRow[]): Promise<void> {
    try {
      this.sink ??= openLogSink(this.options.store);
      await this.sink.write(chunk);
      this.options.onWritten?.(chunk.length);
    } catch (e) {
      this.options.onDropped?.(chunk.length);
      this.options.onError?.(e);
    } finally {
      this.rows -= chunk.length;
    }
    // Let requests run between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private row(entry: LoggedRequest, r: number): LogRow {
    const { signature, model, version, route } = this.options;
    const inputs: Record<string, unknown> = {};
    signature.inputs.forEach((input, j) => {
      const v = entry.batch.columns[j][r];
      inputs[input.name] = typeof v === 'bigint' ? Number(v) : typeof v === 'number' && Number.isNaN(v) ? null : v;
    });
    return {
      request_id: entry.requestId,
      row_index: r,
      model,
      version,
      route,
      at: entry.at,
      latency_ms: entry.latencyMs,
      inputs: JSON.stringify(inputs),
      outputs: JSON.stringify(outputRecord(signature, entry.outputs, r)),
    };
  }
}
