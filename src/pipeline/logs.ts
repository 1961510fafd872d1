/**
 * Step output: streamed live into a file under the workspace while the step runs, then stored
 * in the artifact store (content-addressed) and referenced by the step run.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export function liveLogPath(workspace: string, pipelineRunId: string, step: string): string {
  return join(workspace, 'logs', pipelineRunId, `${step.replaceAll('/', '__')}.log`);
}

export class StepLog {
  private stream: WriteStream | undefined;
  constructor(readonly path: string) {}

  async open(): Promise<void> {
    await mkdir(join(this.path, '..'), { recursive: true });
    this.stream = createWriteStream(this.path, { flags: 'a' });
  }

  write(text: string): void {
    this.stream?.write(text);
  }

  async close(): Promise<void> {
    const s = this.stream;
    if (!s) return;
    this.stream = undefined;
    await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
