/** What a pipeline run reports as it goes; the CLI renders these, tests read them. */
import type { GateResult } from '../evaluation/index.js';

export type StepEndStatus = 'succeeded' | 'cached' | 'failed' | 'skipped';

export type RunEvent =
  | { type: 'run-start'; runId: string; project: string; steps: { id: string; kind: string }[]; abandoned: string[] }
  | { type: 'step-start'; step: string; kind: string }
  | { type: 'step-output'; step: string; text: string; stream: 'stdout' | 'stderr' }
  | { type: 'step-end'; step: string; kind: string; status: StepEndStatus; durationMs: number; error?: string; failure?: string | null; reason?: string }
  | { type: 'gate'; result: GateResult }
  | { type: 'registered'; name: string; version: number; existing: boolean }
  | { type: 'run-end'; runId: string; status: 'succeeded' | 'failed' | 'blocked'; error?: string; durationMs: number };
