/** Registry records as the rest of Sluice sees them. */

export interface ModelVersion {
  name: string;
  version: number;
  runId: string | null;
  /** Artifact digest of the model package manifest. */
  source: string;
  status: string;
  description: string;
  creationTime: number;
  lastUpdatedTime: number;
  pipelineRunId: string | null;
  codeHash: string | null;
  /** Dataset version ids by role: {train, validation, test}. */
  datasets: Record<string, string>;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  /** Gate results recorded when the version was registered. */
  gates: unknown[];
  /** Aliases pointing at this version, sorted. */
  aliases: string[];
  tags: Record<string, string>;
  /** MLflow's deprecated stage: None, Staging, Production or Archived. */
  currentStage: string;
  userId: string;
  runLink: string;
  statusMessage: string;
}

export interface RegisteredModel {
  name: string;
  description: string;
  creationTime: number;
  lastUpdatedTime: number;
  /** Highest version number; null for a model without versions. */
  latestVersion: number | null;
  /** alias -> version */
  aliases: Record<string, number>;
  tags: Record<string, string>;
}

/** A model reference: `income` (latest), `income@3`, `income@champion`. */
export interface ModelRef {
  name: string;
  /** A version number, an alias, or 'latest'. */
  versionOrAlias: number | string;
}

export type RegistryAction =
  | 'register'
  | 'alias'
  | 'tag'
  | 'untag'
  | 'create'
  | 'rename'
  | 'describe'
  | 'stage'
  | 'delete'
  | 'model-tag'
  | 'model-untag';

/** One line of a model's append-only history: who changed what, when, and why. */
export interface RegistryEvent {
  id: number;
  name: string;
  version: number | null;
  action: RegistryAction;
  /**
   * register: {runId, source, pipelineRunId}; alias: {alias, from, to} (to null = deleted);
   * tag: {key, value, previous}; untag: {key, previous}; create: {description}; rename: {from, to};
   * describe: {description, previous}; stage: {stage, previous}; delete: {} (model or version);
   * model-tag: {key, value, previous}; model-untag: {key, previous}.
   */
  detail: Record<string, unknown>;
  actor: string;
  reason: string;
  at: number;
}

/** Who makes a change and why, recorded in the history. */
export interface Attribution {
  actor: string;
  reason?: string;
}
