/**
 * Prepare: the built-in cleaning step — trim text, turn placeholders into missing values,
 * rename columns, replace values, drop columns or rows with missing values. One SQL query
 * over the input, run by DuckDB.
 */
import { SluiceError } from '../errors.js';
import { describeParquet, ident, lit, withDuckDB, writeParquet } from './duckdb.js';

export interface PrepareSpec {
  step: string;
  trim: boolean;
  nulls: string[];
  rename: Record<string, string>;
  /** Value replacements per column; null turns a value into a missing value. */
  replace: Record<string, Record<string, string | null>>;
  drop: string[];
  dropMissing: string[];
}

export async function prepareDataset(inPath: string, spec: PrepareSpec, outPath: string): Promise<{ rowCount: number; columns: { name: string; type: string }[] }> {
  return withDuckDB(async (conn) => {
    const { columns } = await describeParquet(conn, inPath);
    const names = columns.map((c) => c.name);
    const unknown = (list: string[], key: string) => {
      const missing = list.filter((c) => !names.includes(c));
      if (missing.length > 0) {
        throw new SluiceError('DATA_INVALID', `Step '${spec.step}': ${key} names column(s) ${missing.map((c) => `'${c}'`).join(', ')} that the input does not have`, {
          where: `steps.${spec.step}.${key}`,
          hint: `The input's columns are ${names.map((c) => `'${c}'`).join(', ')}.`,
        });
      }
    };
    unknown(Object.keys(spec.rename), 'rename');
    unknown(spec.drop, 'drop');
    const renamed = (c: string) => spec.rename[c] ?? c;
    const outNames = names.map(renamed);
    const missingReplace = Object.keys(spec.replace).filter((c) => !outNames.includes(c));
    if (missingReplace.length > 0) {
      throw new SluiceError('DATA_INVALID', `Step '${spec.step}': replace names column(s) ${missingReplace.map((c) => `'${c}'`).join(', ')} that do not exist after renaming`, {
        where: `steps.${spec.step}.replace`,
        hint: `Use the new names: ${outNames.map((c) => `'${c}'`).join(', ')}.`,
      });
    }
    const missingDrop = spec.dropMissing.filter((c) => !outNames.includes(c));
    if (missingDrop.length > 0) {
      throw new SluiceError('DATA_INVALID', `Step '${spec.step}': drop_missing names column(s) ${missingDrop.map((c) => `'${c}'`).join(', ')} that do not exist`, {
        where: `steps.${spec.step}.drop_missing`,
      });
    }
    const select = columns
      .filter((c) => !spec.drop.includes(c.name))
      .map((c) => {
        const out = renamed(c.name);
        let expr = ident(c.name);
        if (c.type === 'VARCHAR') {
          if (spec.trim) expr = `trim(${expr})`;
          if (spec.nulls.length > 0) {
            const tokens = spec.nulls.map((n) => lit(spec.trim ? n.trim() : n)).join(', ');
            expr = `CASE WHEN ${expr} IN (${tokens}) THEN NULL ELSE ${expr} END`;
          }
          const map = spec.replace[out];
          if (map && Object.keys(map).length > 0) {
            const whens = Object.entries(map).map(([from, to]) => `WHEN ${lit(from)} THEN ${to === null ? 'NULL' : lit(to)}`).join(' ');
            expr = `CASE ${expr} ${whens} ELSE ${expr} END`;
          }
        }
        return `${expr} AS ${ident(out)}`;
      })
      .join(', ');
    const where = spec.dropMissing.length > 0 ? ` WHERE ${spec.dropMissing.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ')}` : '';
    // A subquery keeps renamed names visible to the WHERE clause.
    await writeParquet(conn, `SELECT * FROM (SELECT ${select} FROM read_parquet(${lit(inPath)}))${where}`, outPath);
    const described = await describeParquet(conn, outPath);
    return { rowCount: described.rowCount, columns: described.columns };
  });
}
