/** Tracking records as the rest of Sluice sees them (MLflow's entities, in camelCase). */

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
  creationTime: number;
  lastUpdateTime: number;
  tags: Record<string, string>;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  lifecycleStage: string;
  /** `sluice-artifacts:/<run_id>`: a name in the artifact store, never a local path. */
  artifactUri: string;
  pipelineRunId: string | null;
  stepName: string | null;
}

/** One logged metric value. `value` is NaN when NaN was logged. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

/** A metric to log; step defaults to 0 and timestamp to now (epoch ms). */
export interface MetricInput {
  key: string;
  value: number;
  step?: number;
  timestamp?: number;
}

export interface RunInput {
  datasetId: string;
  /** training | validation | test */
  context: string;
}

export interface RunArtifact {
  /** Relative path within the run's artifacts. */
  path: string;
  digest: string;
  size: number;
}

export interface Run {
  info: RunInfo;
  params: Record<string, string>;
  /** The latest value of each metric (highest step, then timestamp, then value). */
  metrics: Record<string, MetricPoint>;
  tags: Record<string, string>;
  inputs: RunInput[];
  artifacts: RunArtifact[];
}

/** A dataset a run read, as MLflow's log-inputs records it. */
export interface DatasetInput {
  dataset: {
    name: string;
    digest: string;
    sourceType: string;
    source: string;
    schema?: string;
    profile?: string;
  };
  /** Includes mlflow.data.context (training, validation, ...) when given. */
  tags: Record<string, string>;
}
