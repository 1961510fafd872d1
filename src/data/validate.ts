/**
 * Validate: check a raw (all-text) dataset against the columns and types declared in
 * sluice.yaml, and write the typed dataset. A mismatch fails with the column named, the number
 * of bad values and the first one with its row, so the user can find it in the file.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { copyFile } from 'node:fs/promises';
import { SluiceError } from '../errors.js';
import { describeParquet, ident, lit, withDuckDB, writeParquet } from './duckdb.js';

export type DeclaredType = 'string' | 'integer' | 'double' | 'boolean' | 'date' | 'timestamp';

export const SQL_TYPES: Record<DeclaredType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

export interface SchemaSpec {
  source: string;
  /** Declared columns; null when the source declares none (self-describing formats). */
  columns: Record<string, DeclaredType> | null;
  nulls: string[];
  /** 1 when the file has a header line: row numbers in messages are file line numbers. */
  headerLines: number;
}

export interface TypeCheck {
  column: string;
  type: DeclaredType;
  invalid: number;
  firstInvalid?: { line: number; value: string };
}

export interface ValidationReport {
  passed: boolean;
  /** True when the output is the input, byte for byte (nothing to cast). */
  unchanged?: boolean;
  rowCount: number;
  missingColumns: string[];
  unexpectedColumns: string[];
  typeChecks: TypeCheck[];
}

export async function validateSchema(inPath: string, spec: SchemaSpec, outPath: string): Promise<ValidationReport> {
  return withDuckDB(async (conn) => {
    const { columns, rowCount } = await describeParquet(conn, inPath);
    const actual = columns.map((c) => c.name);
    if (spec.columns === null) {
      // Nothing declared: the data's own schema stands, and the bytes stay the same.
      await copyFile(inPath, outPath);
      return { passed: true, unchanged: true, rowCount, missingColumns: [], unexpectedColumns: [], typeChecks: [] };
    }
    const declaredColumns = spec.columns;
    const declared = Object.keys(declaredColumns);
    const missingColumns = declared.filter((c) => !actual.includes(c));
    const unexpectedColumns = actual.filter((c) => !declared.includes(c));
    if (missingColumns.length > 0 || unexpectedColumns.length > 0) {
      const parts = [
        missingColumns.length ? `declared but not in the data: ${missingColumns.map((c) => `'${c}'`).join(', ')}` : '',
        unexpectedColumns.length ? `in the data but not declared: ${unexpectedColumns.map((c) => `'${c}'`).join(', ')}` : '',
      ].filter(Boolean);
      throw new SluiceError('SCHEMA_MISMATCH', `Source '${spec.source}': columns do not match the schema (${parts.join('; ')})`, {
        where: `sources.${spec.source}.columns`,
        hint: `The data has columns ${actual.map((c) => `'${c}'`).join(', ')}; make sluice.yaml declare the same names.`,
        details: { missingColumns, unexpectedColumns, actual },
      });
    }
    const actualType = new Map(columns.map((c) => [c.name, c.type]));
    const typeChecks: TypeCheck[] = [];
    for (const column of declared) {
      const type = declaredColumns[column];
      const has = actualType.get(column) as string;
      if (has === 'VARCHAR' && type !== 'string') typeChecks.push(await checkType(conn, inPath, column, type, spec));
      else if (has !== 'VARCHAR' && !compatible(has, type)) {
        throw new SluiceError('SCHEMA_MISMATCH', `Source '${spec.source}': column '${column}' is declared ${type} but the data has type ${has}`, {
          where: `sources.${spec.source}.columns.${column}`,
          hint: `Declare it as ${suggest(has)}, or convert it in a preparation step.`,
        });
      }
    }
    const bad = typeChecks.filter((t) => t.invalid > 0);
    if (bad.length > 0) {
      const first = bad[0];
      const example = first.firstInvalid ? ` (first at line ${first.firstInvalid.line}: '${first.firstInvalid.value}')` : '';
      throw new SluiceError(
        'SCHEMA_MISMATCH',
        `Source '${spec.source}': column '${first.column}' is declared ${first.type} but ${first.invalid} value(s) are not${example}` +
          (bad.length > 1 ? `; also ${bad.slice(1).map((b) => `'${b.column}'`).join(', ')}` : ''),
        {
          where: `sources.${spec.source}.columns.${first.column}`,
          hint: `Fix the data, declare the column as string, or add the placeholder to the source's nulls (now ${JSON.stringify(spec.nulls)}).`,
          details: { typeChecks: bad },
        },
      );
    }
    const unchanged = declared.every((c, i) => actual[i] === c && actualType.get(c) === SQL_TYPES[declaredColumns[c]]);
    if (unchanged) {
      await copyFile(inPath, outPath);
      return { passed: true, unchanged: true, rowCount, missingColumns, unexpectedColumns, typeChecks };
    } else {
      const select = declared.map((c) => castExpr(c, declaredColumns[c], spec.nulls, actualType.get(c) === 'VARCHAR')).join(', ');
      await writeParquet(conn, `SELECT ${select} FROM read_parquet(${lit(inPath)})`, outPath);
    }
    return { passed: true, rowCount, missingColumns, unexpectedColumns, typeChecks };
  });
}

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;
const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** Whether a typed column (Parquet, JSON, Arrow) can stand for the declared type without loss. */
function compatible(actual: string, declared: DeclaredType): boolean {
  switch (declared) {
    case 'string':
      return true;
    case 'integer':
      return INTEGER_TYPES.test(actual);
    case 'double':
      return NUMERIC_TYPES.test(actual);
    case 'boolean':
      return actual === 'BOOLEAN';
    case 'date':
      return actual === 'DATE';
    case 'timestamp':
      return /^TIMESTAMP/.test(actual) || actual === 'DATE';
  }
}

function suggest(actual: string): string {
  if (INTEGER_TYPES.test(actual)) return 'integer';
  if (NUMERIC_TYPES.test(actual)) return 'double';
  if (actual === 'BOOLEAN') return 'boolean';
  if (actual === 'DATE') return 'date';
  if (/^TIMESTAMP/.test(actual)) return 'timestamp';
  return 'string';
}

function nullCondition(column: string, nulls: string[]): string {
  const trimmed = `trim(${ident(column)})`;
  const tokens = ['', ...nulls.map((n) => n.trim())];
  return `(${ident(column)} IS NULL OR ${trimmed} IN (${tokens.map(lit).join(', ')}))`;
}

function castExpr(column: string, type: DeclaredType, nulls: string[], text: boolean): string {
  if (!text) return `CAST(${ident(column)} AS ${SQL_TYPES[type]}) AS ${ident(column)}`;
  if (type === 'string') return ident(column);
  return `CASE WHEN ${nullCondition(column, nulls)} THEN NULL ELSE CAST(trim(${ident(column)}) AS ${SQL_TYPES[type]}) END AS ${ident(column)}`;
}

function validExpr(column: string, type: DeclaredType): string {
  const v = `trim(${ident(column)})`;
  // TRY_CAST alone is too lenient for integers ('3.5' casts to 4), so integers match a pattern.
  if (type === 'integer') return `(regexp_full_match(${v}, '[+-]?[0-9]+') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL)`;
  return `TRY_CAST(${v} AS ${SQL_TYPES[type]}) IS NOT NULL`;
}

async function checkType(conn: DuckDBConnection, path: string, column: string, type: DeclaredType, spec: SchemaSpec): Promise<TypeCheck> {
  const bad = `NOT ${nullCondition(column, spec.nulls)} AND NOT ${validExpr(column, type)}`;
  const result = await conn.runAndReadAll(
    `WITH t AS (SELECT file_row_number + 1 AS rn, ${ident(column)} AS v FROM read_parquet(${lit(path)}, file_row_number = true))
     SELECT count(*)::DOUBLE AS n, min(rn)::DOUBLE AS first_rn, arg_min(v, rn) AS first_v
     FROM t WHERE ${bad.replaceAll(ident(column), 'v')}`,
  );
  const row = result.getRowObjectsJS()[0] ?? {};
  const invalid = Number(row.n ?? 0);
  return {
    column,
    type,
    invalid,
    ...(invalid > 0 ? { firstInvalid: { line: Number(row.first_rn) + spec.headerLines, value: String(row.first_v) } } : {}),
  };
}

/**
 * Checks a step's output against the columns it declares: the same names, and types that can
 * stand for the declared ones. The error names the step and the column.
 */
export async function checkOutputColumns(conn: DuckDBConnection, path: string, columns: Record<string, DeclaredType>, step: string): Promise<void> {
  const { columns: actual } = await describeParquet(conn, path);
  const names = actual.map((c) => c.name);
  const declared = Object.keys(columns);
  const missing = declared.filter((c) => !names.includes(c));
  const extra = names.filter((c) => !declared.includes(c));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length ? `declared but not produced: ${missing.map((c) => `'${c}'`).join(', ')}` : '',
      extra.length ? `produced but not declared: ${extra.map((c) => `'${c}'`).join(', ')}` : '',
    ].filter(Boolean);
    throw new SluiceError('SCHEMA_MISMATCH', `Step '${step}': its output does not match the declared columns (${parts.join('; ')})`, {
      where: `steps.${step}.columns`,
      hint: `The output has columns ${names.map((c) => `'${c}'`).join(', ')}.`,
    });
  }
  for (const c of actual) {
    const want = columns[c.name];
    if (!compatible(c.type, want) || (want !== 'string' && c.type === 'VARCHAR')) {
      throw new SluiceError('SCHEMA_MISMATCH', `Step '${step}': output column '${c.name}' is declared ${want} but has type ${c.type}`, {
        where: `steps.${step}.columns.${c.name}`,
        hint: `Cast it in the step (e.g. CAST(... AS ${SQL_TYPES[want]})) or declare it as ${suggest(c.type)}.`,
      });
    }
  }
}
