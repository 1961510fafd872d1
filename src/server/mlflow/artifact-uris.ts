/**
 * Artifact URIs as MLflow clients see them. Runs keep their files in the content-addressed
 * store; clients reach them through this server's proxied artifact API, so every URI handed out
 * is `mlflow-artifacts:/…`, which a client resolves against its tracking URI:
 *   run artifacts         mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>
 *   Sluice model packages mlflow-artifacts:/_sluice/<manifest digest>/<path>  (read-only)
 */
import type { RunInfo } from '../../tracking/index.js';

export const SLUICE_PACKAGES = '_sluice';

export function experimentArtifactLocation(experimentId: string, stored: string): string {
  return stored.startsWith('sluice-artifacts:') ? `mlflow-artifacts:/${experimentId}` : stored;
}

/** Runs recorded by a pipeline carry `sluice-artifacts:/<run_id>`; MLflow-created ones what they were given. */
export function runArtifactUri(info: Pick<RunInfo, 'runId' | 'experimentId' | 'artifactUri'>): string {
  return info.artifactUri.startsWith('sluice-artifacts:') ? `mlflow-artifacts:/${info.experimentId}/${info.runId}/artifacts` : info.artifactUri;
}

/** A model version's source: Sluice's are manifest digests, shown as a downloadable URI. */
export function modelSource(source: string): string {
  return /^[0-9a-f]{64}$/.test(source) ? `mlflow-artifacts:/${SLUICE_PACKAGES}/${source}` : source;
}

export type ArtifactPath =
  | { kind: 'run'; runId: string; path: string }
  | { kind: 'package'; digest: string; path: string }
  | { kind: 'other' };

/** Where a path below /mlflow-artifacts/artifacts/ points. */
export function parseArtifactPath(path: string): ArtifactPath {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts[0] === SLUICE_PACKAGES && /^[0-9a-f]{64}$/.test(parts[1] ?? '')) return { kind: 'package', digest: parts[1], path: parts.slice(2).join('/') };
  if (parts.length >= 3 && parts[2] === 'artifacts') return { kind: 'run', runId: parts[1], path: parts.slice(3).join('/') };
  return { kind: 'other' };
}
