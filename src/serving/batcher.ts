/**
 * Adaptive micro-batching: requests that arrive together share one onnxruntime call.
 *
 * One model call runs at a time (onnxruntime-node runs on the JavaScript thread, so two calls
 * could not overlap anyway). A request that finds the model idle goes at the end of the
 * current event-loop turn, with whatever else was queued in that turn: alone, it waits for
 * nothing. Requests that arrive while a call runs queue up and go together as the next call,
 * so batches grow with the load. A batch never exceeds `maxBatch` rows (a full one goes at
 * once), except a single request larger than that, which runs whole.
 *
 * The one deliberate wait: while other requests have been received but are still being read
 * or parsed (`announce()`), a batch waits for them, at most `maxWaitMs` after its first request.
 */
import { concatBatches, type Batch } from './columns.js';
import { sliceOutputs, type ModelOutputs } from './session.js';

export interface BatcherOptions {
  maxBatch: number;
  maxWaitMs: number;
  /** Probabilities per row (the number of classes), to slice outputs per request. */
  width: number;
  run(batch: Batch): Promise<ModelOutputs>;
  /** Called after each model call with its rows and duration. */
  onBatch?(rows: number, seconds: number): void;
}

interface Job {
  batch: Batch;
  queuedAt: number;
  resolve(out: ModelOutputs): void;
  reject(e: unknown): void;
}

export class Batcher {
  private queue: Job[] = [];
  private queuedRows = 0;
  private arriving = 0;
  private running = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  constructor(private readonly options: BatcherOptions) {}

  /** Rows waiting for a model call. */
  get depth(): number {
    return this.queuedRows;
  }

  /** A request is on its way to submit(); call the returned function (once or more) when it is there or gone. */
  announce(): () => void {
    this.arriving++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.arriving === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.schedule();
      }
    };
  }

  submit(batch: Batch): Promise<ModelOutputs> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, queuedAt: performance.now(), resolve, reject });
      this.queuedRows += batch.rows;
      if (this.queuedRows >= this.options.maxBatch) this.dispatch();
      else this.schedule();
    });
  }

  /** Resolves when no request is queued or running. */
  drained(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    // A running call schedules the next batch when it ends.
    if (this.scheduled || this.timer || this.running > 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.queue.length === 0) return;
      const waited = performance.now() - this.queue[0].queuedAt;
      if (this.arriving > 0 && waited < this.options.maxWaitMs) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.dispatch();
        }, this.options.maxWaitMs - waited);
        return;
      }
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) {
      const jobs: Job[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (jobs.length === 0 || rows + this.queue[0].batch.rows <= this.options.maxBatch)) {
        const job = this.queue.shift()!;
        jobs.push(job);
        rows += job.batch.rows;
      }
      this.queuedRows -= rows;
      void this.runJobs(jobs, rows);
      // What is left is less than a full batch: it waits for company like any new request.
      if (this.queuedRows < this.options.maxBatch) break;
    }
    if (this.queue.length > 0) this.schedule();
  }

  private async runJobs(jobs: Job[], rows: number): Promise<void> {
    this.running++;
    const started = performance.now();
    try {
      const out = await this.options.run(concatBatches(jobs.map((j) => j.batch)));
      this.options.onBatch?.(rows, (performance.now() - started) / 1000);
      let at = 0;
      for (const job of jobs) {
        job.resolve(sliceOutputs(out, at, job.batch.rows, this.options.width));
        at += job.batch.rows;
      }
    } catch (e) {
      for (const job of jobs) job.reject(e);
    } finally {
      this.running--;
      if (this.queue.length > 0) this.schedule();
      else if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}
