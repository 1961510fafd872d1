/**
 * A dataset version as a drift reference or current window: its Parquet is copied out of the
 * artifact store (checked against its digest) into a private temporary folder, read, removed.
 * Its declared expectations come along, for the production quality checks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ArtifactStore } from '../../artifacts/index.js';
import type { Expectation, ExpectationsReport } from '../../data/expectations/index.js';
import { getDatasetVersion } from '../../pipeline/index.js';
import type { Db } from '../../store/store.js';
import { readDriftFile } from './file.js';
import type { LoadedTable, ReadRelationOptions } from './relation.js';

export interface DatasetVersionTable extends LoadedTable {
  dataset: { id: string; name: string; rows: number };
  /** The expectations the version was validated with (empty when none were declared). */
  expectations: Expectation[];
}

export interface DatasetVersionSource {
  db: Db;
  artifacts: ArtifactStore;
  project?: string;
}

/** `ref`: a version id, a unique id prefix, or a dataset name (its newest version). */
export async function readDatasetVersion(
  conn: DuckDBConnection,
  source: DatasetVersionSource,
  ref: string,
  options: ReadRelationOptions = {},
): Promise<DatasetVersionTable> {
  const version = await getDatasetVersion(source.db, ref, source.project);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-drift-'));
  try {
    const path = join(dir, 'data.parquet');
    await source.artifacts.materialize(version.digest, path);
    const table = await readDriftFile(conn, path, { ...options, format: 'parquet' });
    return {
      ...table,
      dataset: { id: version.id, name: version.name, rows: version.row_count },
      expectations: expectationsOf(version.validation),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function expectationsOf(validation: string | null): Expectation[] {
  if (!validation) return [];
  const parsed = JSON.parse(validation) as { expectations?: ExpectationsReport };
  return parsed.expectations?.results.map((r) => r.expectation) ?? [];
}
