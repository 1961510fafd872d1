/**
 * Test fixture: UCI Adult in DuckDB, raw and cleaned. Raw is the CSV as text with the spaces
 * after each ", " trimmed, '?' still a value and adult.test's labels still ending in '.'; clean
 * is what the income example's prepare steps make of it (typed, '?' missing, labels fixed).
 */
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { lit } from '../duckdb.js';
import { expectationSchema, type Expectation, type ExpectationInput } from './schema.js';

export const WORKCLASSES = ['Private', 'Self-emp-not-inc', 'Self-emp-inc', 'Federal-gov', 'Local-gov', 'State-gov', 'Without-pay', 'Never-worked'];

const file = (name: string) => fileURLToPath(new URL(`../../../examples/income/data/${name}`, import.meta.url));

export async function openAdult(): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const [name, csv] of [['adult', 'adult.data'], ['adult_test', 'adult.test']]) {
    await conn.run(`CREATE TABLE ${name}_raw AS
      SELECT trim(COLUMNS(* EXCLUDE ("Y"))), trim("Y") AS income
      FROM read_csv(${lit(file(csv))}, header = true, delim = ',', all_varchar = true)`);
    await conn.run(`CREATE TABLE ${name}_clean AS
      SELECT age::BIGINT AS age, nullif(workclass, '?') AS workclass, fnlwgt::BIGINT AS fnlwgt, education,
        "education-num"::BIGINT AS "education-num", "marital-status", nullif(occupation, '?') AS occupation,
        relationship, race, sex, "capital-gain"::BIGINT AS "capital-gain", "capital-loss"::BIGINT AS "capital-loss",
        "hours-per-week"::BIGINT AS "hours-per-week", nullif("native-country", '?') AS "native-country",
        regexp_replace(income, '\\.$', '') AS income
      FROM ${name}_raw`);
  }
  return { conn, close: () => { conn.closeSync(); instance.closeSync(); } };
}

export const parse = (list: ExpectationInput[]): Expectation[] => list.map((e) => expectationSchema.parse(e));

export async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  const rows = (await conn.runAndReadAll(sql)).getRows();
  return Number(rows[0][0]);
}
