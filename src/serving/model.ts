/**
 * The model a server serves: a registered version resolved from the registry, its package
 * materialized from the artifact store into a private folder, checked, loaded into
 * onnxruntime and run once on a sample record. Any failure is a SluiceError and leaves
 * nothing behind, so a server never starts half-loaded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/index.js';
import { SluiceError, errorMessage, isSluiceError } from '../errors.js';
import { getModelVersion, parseModelRef } from '../registry/index.js';
import type { Store } from '../store/index.js';
import { readModelPackage, type ModelMetadata, type ModelSignature } from '../training/package/index.js';
import { emptyColumn, setCell, type Batch } from './columns.js';
import { openModelRuntime, type ModelRuntime } from './session.js';

export interface ServedModel {
  name: string;
  version: number;
  /** Artifact digest of the model package. */
  source: string;
  signature: ModelSignature;
  metadata: ModelMetadata;
  runtime: ModelRuntime;
  /** Releases the session and deletes the materialized package. */
  dispose(): Promise<void>;
}

export async function loadServedModel(stores: { store: Store; artifacts: ArtifactStore }, ref: string): Promise<ServedModel> {
  const { name, versionOrAlias } = parseModelRef(ref);
  const mv = await getModelVersion(stores.store.db, name, versionOrAlias);
  const where = `${mv.name}@${mv.version}`;
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-serve-'));
  let runtime: ModelRuntime | undefined;
  try {
    const dir = join(tmp, 'model');
    await stores.artifacts.materializeDirectory(mv.source, dir);
    const pkg = await readModelPackage(dir);
    runtime = await openModelRuntime(dir, pkg.signature);
    await _smokeTest(runtime, pkg.signature);
    const loaded = runtime;
    return {
      name: mv.name,
      version: mv.version,
      source: mv.source,
      signature: pkg.signature,
      metadata: pkg.metadata,
      runtime: loaded,
      async dispose() {
        await loaded.dispose().catch(() => {});
        await rm(tmp, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await runtime?.dispose().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
    if (isSluiceError(e)) throw new SluiceError(e.code, `Cannot serve ${where}: ${e.message}`, { where: e.where ?? where, hint: e.hint, details: e.details, cause: e });
    throw new SluiceError('ARTIFACT_CORRUPT', `Cannot serve ${where}: ${errorMessage(e)}`, { where, cause: e });
  }
}

/** One record of plausible values, through the same path as requests: a model that loads but cannot run fails here. */
async function _smokeTest(runtime: ModelRuntime, signature: ModelSignature): Promise<void> {
  const batch: Batch = {
    rows: 1,
    columns: signature.inputs.map((input) => {
      const column = emptyColumn(input, 1);
      setCell(input, column, 0, input.type === 'string' ? (input.categories?.[0] ?? '') : 0);
      return column;
    }),
  };
  let out;
  try {
    out = await runtime.run(batch);
  } catch (e) {
    throw new SluiceError('ARTIFACT_CORRUPT', `The model loads but fails on a sample record: ${errorMessage(e)}`, {
      hint: 'Check that model.onnx and signature.json come from the same export.',
      cause: e,
    });
  }
  const width = signature.classes?.length ?? 0;
  if ((out.labels && out.labels.length !== 1) || (out.probabilities && width > 0 && out.probabilities.length !== width) || (out.values && out.values.length !== 1)) {
    throw new SluiceError('ARTIFACT_CORRUPT', 'The model gives outputs of another shape than its signature says, for one sample record');
  }
}
