/** What every handler works with: the project's stores and who acts through the API. */
import type { ArtifactStore } from '../artifacts/index.js';
import type { ProjectConfig } from '../config/index.js';
import type { Store } from '../store/index.js';

export interface ServerContext {
  store: Store;
  artifacts: ArtifactStore;
  /** The project's name (Sluice API filters its pipeline runs and datasets by it). */
  project: string;
  /** Recorded as the actor of registry changes made through the MLflow API. */
  actor: string;
  /**
   * The opened project, when the server runs for one (`sluice server`): its workspace holds the
   * live logs of running steps, its config the pipeline's DAG and the environments' routers.
   */
  local?: LocalProject;
  /** The scheduler of `sluice server` (src/pipeline/triggers): manual runs go through it; absent with --no-scheduler. */
  triggers?: TriggerService;
}

/** What the API asks of the scheduler: start a run by hand, show the schedules. */
export interface TriggerService {
  trigger(request: { kind?: 'manual' | 'ci'; reason?: string; actor?: string; force?: boolean }): Promise<{ eventId: number; runId: Promise<string | undefined> }>;
  schedules(): Promise<{ name: string; cron: string; timezone: string; last: number | null; next: number | null }[]>;
}

export interface LocalProject {
  workspace: string;
  dir: string;
  config: ProjectConfig;
}
