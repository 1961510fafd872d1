/**
 * The contract between the engine and a step's process: the engine writes a StepTask as JSON,
 * the step reads its inputs (files materialised from the artifact store), writes its outputs
 * into `outputDir` and a StepResult into `outputDir/_result.json`. The engine then moves the
 * outputs into the artifact store. A step never touches the store or the records itself, so a
 * step killed at any moment leaves nothing behind but its private work directory.
 */
export type OutputKind = 'dataset' | 'model' | 'report' | 'file' | 'dir';

export interface TaskInput {
  path: string;
  kind: OutputKind;
  digest: string;
  /** What the producing step recorded (for datasets: columns, row count, profile, PII scan). */
  meta?: Record<string, unknown>;
}

export interface StepTask {
  pipelineRunId: string;
  step: string;
  kind: 'acquire' | 'validate' | 'prepare' | 'sql' | 'module' | 'split' | 'train' | 'evaluate' | 'command' | 'check' | 'search';
  /** Kind-specific settings, checked by the step itself. */
  spec: Record<string, unknown>;
  inputs: Record<string, TaskInput>;
  workdir: string;
  outputDir: string;
  cpus: number;
  memoryBytes: number;
  /** The project's PII policy: every dataset the step writes is scanned under it. */
  pii?: unknown;
}

export interface DatasetMeta {
  columns: { name: string; type: string }[];
  rowCount: number;
}

export interface StepOutput {
  /** Path relative to outputDir: a file, or a directory for kind 'model' / 'dir'. */
  path: string;
  kind: OutputKind;
  meta?: Record<string, unknown>;
}

export interface StepResult {
  outputs: Record<string, StepOutput>;
  metrics?: Record<string, number>;
  /** Metric histories, e.g. training loss per iteration. */
  history?: { key: string; value: number; step: number }[];
  params?: Record<string, string>;
  /** Facts worth showing and keeping (validation report, counts). */
  summary?: Record<string, unknown>;
}

export const RESULT_FILE = '_result.json';
