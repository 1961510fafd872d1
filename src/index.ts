/** Sluice as a library: open a project, run its pipeline, read its records. */
export { openProject, type Project } from './project.js';
export { runPipeline, type RunOptions, type RunSummary, type RunEvent } from './pipeline/index.js';
export { loadProject, parseProject, initProject, type ProjectConfig } from './config/index.js';
export { openStore, type Store } from './store/index.js';
export { openArtifactStore, type ArtifactStore } from './artifacts/index.js';
export { SluiceError, type ErrorCode } from './errors.js';
