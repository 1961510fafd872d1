/**
 * What a `module` step's default export receives. The module prepares data with DuckDB: its
 * inputs are tables, `sql` runs a query (small results come back as rows), and `output` writes
 * the step's dataset from a query.
 *
 *   export default async function prepare({ inputs, output }: ModuleContext) {
 *     await output(`SELECT *, delay > 15 AS late FROM ${inputs.flights}`);
 *   }
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface ModuleContext {
  /** Input name → the table name to use in SQL (quoted as needed). */
  inputs: Record<string, string>;
  params: Record<string, number | string | boolean>;
  /** The DuckDB connection, for anything the helpers below do not cover. */
  db: DuckDBConnection;
  sql(query: string): Promise<Record<string, unknown>[]>;
  /** Writes the step's output dataset from a query; call it once. */
  output(query: string): Promise<void>;
  log(message: string): void;
}

export type PrepareModule = (context: ModuleContext) => Promise<void> | void;
