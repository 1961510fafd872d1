/**
 * An in-memory columnar table: what trainers and evaluators work on. Numbers are Float64Array
 * with NaN for missing; strings are arrays with null for missing. DuckDB does the heavy lifting
 * before data gets here; a Table holds only the columns a model needs.
 */
export type NumericColumn = { name: string; type: 'number'; values: Float64Array };
export type StringColumn = { name: string; type: 'string'; values: (string | null)[] };
export type Column = NumericColumn | StringColumn;

export interface Table {
  rowCount: number;
  columns: Column[];
}

export function getColumn(table: Table, name: string): Column {
  const col = table.columns.find((c) => c.name === name);
  if (!col) {
    const names = table.columns.map((c) => `'${c.name}'`).join(', ');
    throw new Error(`Column '${name}' is not in the table (columns: ${names})`);
  }
  return col;
}
