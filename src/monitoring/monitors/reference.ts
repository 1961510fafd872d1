/**
 * A monitor's reference, prepared once per dataset version and model package: the dataset's
 * columns as numbers or strings, and the model's scores on it (for prediction drift). Stored
 * as a JSON artifact named in `monitor_references`, so later runs (and other replicas) reuse it
 * instead of reading the Parquet file and running the model again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactStore } from '../../artifacts/index.js';
import { withDuckDB } from '../../data/duckdb.js';
import { readTable } from '../../data/read-table.js';
import type { Table } from '../../data/table.js';
import { SluiceError } from '../../errors.js';
import { getDatasetVersion } from '../../pipeline/index.js';
import type { ModelVersion } from '../../registry/index.js';
import type { Store } from '../../store/index.js';
import { referenceExpectations } from './expectations.js';
import type { Expectation } from '../../data/expectations/index.js';
import { predictTable, readModelPackage, type ModelSignature } from '../../training/package/index.js';

export const REFERENCE_FORMAT = 'sluice-monitor-reference/v1';

export interface ReferenceColumn {
  name: string;
  type: 'number' | 'string';
  /** Numbers (null = missing) or strings (null = missing). */
  values: (number | string | null)[];
}

export interface PreparedReference {
  format: typeof REFERENCE_FORMAT;
  dataset: string;
  modelSource: string;
  rows: number;
  columns: ReferenceColumn[];
  /** The model's inputs, task and classes. */
  inputs: string[];
  task: ModelSignature['task'];
  classes: string[];
  positiveClass: string | null;
  /** The model's score per reference row: P(positive) (binary) or the value (regression). */
  scores: (number | null)[] | null;
  /** The model's predicted label per reference row (classification). */
  labels: string[] | null;
  /** The rules the reference (or its nearest checked ancestor) was validated against, and which dataset that was. */
  expectations: Expectation[];
  expectationsFrom: string | null;
}

/** The dataset version a monitor compares with: the one named, or the model version's training data. */
export async function referenceDatasetId(store: Store, mv: ModelVersion, named: string | undefined, project: string): Promise<string> {
  if (named !== undefined) return (await getDatasetVersion(store.db, named, project)).id;
  const train = mv.datasets.train;
  if (!train) {
    throw new SluiceError('NOT_FOUND', `Model ${mv.name}@${mv.version} records no training dataset to compare with`, {
      hint: "Name a dataset version in the monitor's `reference:` (an id or a dataset name).",
    });
  }
  return train;
}

/** The prepared reference: from the cache, or built now and cached. `built` says which. */
export async function loadReference(stores: { store: Store; artifacts: ArtifactStore }, datasetId: string, mv: ModelVersion): Promise<{ reference: PreparedReference; built: boolean; digest: string }> {
  const { store, artifacts } = stores;
  const cached = await store.db.selectFrom('monitor_references').select(['digest']).where('dataset_id', '=', datasetId).where('model_source', '=', mv.source).executeTakeFirst();
  if (cached && (await artifacts.has(cached.digest))) {
    const reference = JSON.parse((await artifacts.readBytes(cached.digest)).toString('utf8')) as PreparedReference;
    if (reference.format === REFERENCE_FORMAT) return { reference, built: false, digest: cached.digest };
  }
  const reference = await buildReference(stores, datasetId, mv);
  const ref = await artifacts.putBytes(JSON.stringify(reference));
  // Two monitors (or replicas) may build it at once: the same content, so either row will do.
  await store.db
    .insertInto('monitor_references')
    .values({ dataset_id: datasetId, model_source: mv.source, digest: ref.digest, rows: reference.rows, created_at: Date.now() })
    .onConflict((oc) => oc.columns(['dataset_id', 'model_source']).doUpdateSet({ digest: ref.digest, rows: reference.rows }))
    .execute();
  return { reference, built: true, digest: ref.digest };
}

async function buildReference(stores: { store: Store; artifacts: ArtifactStore }, datasetId: string, mv: ModelVersion): Promise<PreparedReference> {
  const dataset = await getDatasetVersion(stores.store.db, datasetId);
  const tmp = await mkdtemp(join(tmpdir(), 'sluice-monitor-'));
  try {
    const file = join(tmp, 'reference.parquet');
    await stores.artifacts.materialize(dataset.digest, file);
    const table = await withDuckDB((conn) => readTable(conn, file));
    const modelDir = join(tmp, 'model');
    await stores.artifacts.materializeDirectory(mv.source, modelDir);
    const pkg = await readModelPackage(modelDir);
    const { signature } = pkg;
    const scored = await scoreReference(pkg, table);
    const declared = await referenceExpectations(stores.store.db, dataset.id);
    return {
      format: REFERENCE_FORMAT,
      dataset: dataset.id,
      modelSource: mv.source,
      rows: table.rowCount,
      columns: table.columns.map((c) => ({ name: c.name, type: c.type, values: c.type === 'number' ? Array.from(c.values, (v) => (Number.isFinite(v) ? v : null)) : c.values })),
      inputs: signature.inputs.map((i) => i.name),
      task: signature.task,
      classes: signature.classes ?? [],
      positiveClass: signature.positiveClass ?? null,
      ...scored,
      expectations: declared.expectations,
      expectationsFrom: declared.from,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The model's scores on the reference; none when the reference lacks an input of the model. */
async function scoreReference(pkg: Awaited<ReturnType<typeof readModelPackage>>, table: Table): Promise<Pick<PreparedReference, 'scores' | 'labels'>> {
  const { signature } = pkg;
  if (!signature.inputs.every((i) => table.columns.some((c) => c.name === i.name))) return { scores: null, labels: null };
  const session = await pkg.session();
  try {
    const p = await predictTable(session, signature, table);
    const positive = signature.positiveClass ? (signature.classes ?? []).indexOf(signature.positiveClass) : -1;
    const scores = p.values ? p.values.map((v) => (Number.isFinite(v) ? v : null)) : p.probabilities && positive >= 0 ? p.probabilities.map((row) => row[positive]) : null;
    return { scores, labels: p.labels ?? null };
  } finally {
    await session.release();
  }
}
