/**
 * An opened project: its sluice.yaml, metadata store and artifact store, located from the
 * project folder. Every command that works on a project starts here.
 */
import { resolve } from 'node:path';
import { openArtifactStore, type ArtifactStore } from './artifacts/index.js';
import { loadProject, type ProjectConfig } from './config/index.js';
import { openStore } from './store/index.js';
import type { Store } from './store/store.js';

export interface Project {
  config: ProjectConfig;
  /** Absolute project folder. */
  dir: string;
  file: string;
  configHash: string;
  /** Absolute workspace folder (`.sluice` by default): local store, artifacts, logs, work dirs. */
  workspace: string;
  store: Store;
  artifacts: ArtifactStore;
  close(): Promise<void>;
}

export async function openProject(dir: string): Promise<Project> {
  const loaded = await loadProject(dir);
  const workspace = resolve(loaded.dir, loaded.config.workspace);
  const store = await openStore({ workspace });
  const artifacts = openArtifactStore({ workspace, url: process.env.SLUICE_ARTIFACTS_URL });
  return {
    config: loaded.config,
    dir: loaded.dir,
    file: loaded.file,
    configHash: loaded.hash,
    workspace,
    store,
    artifacts,
    close: () => store.close(),
  };
}
