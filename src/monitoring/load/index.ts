/**
 * Tables for drift and quality checks: files (CSV, TSV, Parquet, JSON, JSONL) and dataset
 * versions read with DuckDB into typed-array columns, and prediction-log rows (JSON objects)
 * shaped like a reference.
 */
export { readRelation } from './relation.js';
export type { LoadedTable, SkippedColumn, ReadRelationOptions } from './relation.js';
export { readDriftFile, detectFormat, FILE_FORMATS } from './file.js';
export type { FileFormat, ReadFileOptions } from './file.js';
export { readDatasetVersion } from './dataset-version.js';
export type { DatasetVersionTable, DatasetVersionSource } from './dataset-version.js';
export { tableFromRecords, schemaOf } from './records.js';
export type { ColumnSchema, RecordsTable, InvalidValues } from './records.js';
export { withDuckDB } from '../../data/duckdb.js';
