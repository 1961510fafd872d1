/** What every handler works with: the project's stores and who acts through the API. */
import type { ArtifactStore } from '../artifacts/index.js';
import type { Store } from '../store/index.js';

export interface ServerContext {
  store: Store;
  artifacts: ArtifactStore;
  /** The project's name (Sluice API filters its pipeline runs and datasets by it). */
  project: string;
  /** Recorded as the actor of registry changes made through the MLflow API. */
  actor: string;
}
