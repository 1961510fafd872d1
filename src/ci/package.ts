/**
 * The model package of a registered version, written out as a folder (model.onnx, signature,
 * metadata, MODEL_CARD.md) for a CI job to keep as a build artifact. It is read back and checked
 * (signature against the graph) before it is handed over.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SluiceError } from '../errors.js';
import type { Project } from '../project.js';
import { getModelVersion, parseModelRef } from '../registry/index.js';
import { readModelPackage } from '../training/package/index.js';

export interface BuiltPackage {
  model: string;
  version: number;
  dir: string;
  digest: string;
}

export async function buildModelPackage(project: Project, ref: string, options: { outDir: string }): Promise<BuiltPackage> {
  const { outDir } = options;
  const { name, versionOrAlias } = parseModelRef(ref);
  const mv = await getModelVersion(project.store.db, name, versionOrAlias);
  const dir = resolve(project.dir, outDir);
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await project.artifacts.materializeDirectory(mv.source, staging);
    await readModelPackage(staging);
    await writeFile(join(staging, 'sluice-model.json'), `${JSON.stringify({ model: mv.name, version: mv.version, source: mv.source, runId: mv.runId, pipelineRunId: mv.pipelineRunId, aliases: mv.aliases, tags: mv.tags }, null, 2)}\n`);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (e instanceof SluiceError) throw e;
    throw new SluiceError('ARTIFACT_CORRUPT', `Cannot write the package of ${mv.name}@${mv.version}: ${(e as Error).message}`, { cause: e });
  }
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return { model: mv.name, version: mv.version, dir, digest: mv.source };
}
