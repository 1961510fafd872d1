/**
 * The model a candidate is compared with: the registered version the gates' champion alias
 * points at. It must still load — its package read back and verified, its ONNX graph opened —
 * or the report says why it cannot be compared (the gates still judge what they can).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { Project } from '../project.js';
import { getModelVersion, type ModelVersion } from '../registry/index.js';
import { readModelPackage } from '../training/package/index.js';

export interface Champion {
  name: string;
  alias: string;
  /** null when the alias points nowhere (no champion yet). */
  version: ModelVersion | null;
  /** The model card, when the package loads. */
  card: string | null;
  /** Why the champion cannot be used, when it cannot. */
  problem: string | null;
}

export function championAlias(project: Project): string {
  return Object.values(project.config.gates)[0]?.champion ?? 'champion';
}

export async function loadChampion(project: Project): Promise<Champion | null> {
  const name = project.config.register?.model;
  if (!name) return null;
  const alias = championAlias(project);
  let version: ModelVersion;
  try {
    version = await getModelVersion(project.store.db, name, alias);
  } catch {
    return { name, alias, version: null, card: null, problem: null };
  }
  const dir = await mkdtemp(join(tmpdir(), 'sluice-champion-'));
  try {
    const pkgDir = join(dir, 'model');
    await project.artifacts.materializeDirectory(version.source, pkgDir);
    const pkg = await readModelPackage(pkgDir);
    await pkg.session();
    return { name, alias, version, card: pkg.card, problem: null };
  } catch (e) {
    return { name, alias, version, card: null, problem: `${name}@${version.version} (${alias}) does not load: ${errorMessage(e)}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The model card of a package in the artifact store, or why it cannot be read. */
export async function readCard(project: Project, digest: string): Promise<{ card: string | null; problem: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-card-'));
  try {
    await project.artifacts.materializeDirectory(digest, join(dir, 'model'));
    const pkg = await readModelPackage(join(dir, 'model'));
    return { card: pkg.card, problem: null };
  } catch (e) {
    return { card: null, problem: errorMessage(e) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
