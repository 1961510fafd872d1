/**
 * Split: a deterministic partition of a dataset into named parts (train, validation, ...).
 * Each row's place comes from MD5 of the seed and its row number, which is stable across
 * machines and DuckDB versions, then rows are ranked by it and cut at the declared fractions,
 * so part sizes are exact. With `stratify`, the cut is made within each value of that column.
 */
import { SluiceError } from '../errors.js';
import { describeParquet, ident, lit, withDuckDB, writeParquet } from './duckdb.js';

export interface SplitSpec {
  step: string;
  fractions: Record<string, number>;
  seed: number;
  stratify?: string;
}

export async function splitDataset(inPath: string, spec: SplitSpec, outPaths: Record<string, string>): Promise<Record<string, number>> {
  return withDuckDB(async (conn) => {
    const { columns } = await describeParquet(conn, inPath);
    const names = columns.map((c) => c.name);
    if (spec.stratify && !names.includes(spec.stratify)) {
      throw new SluiceError('DATA_INVALID', `Step '${spec.step}': stratify column '${spec.stratify}' is not in the input`, {
        where: `steps.${spec.step}.stratify`,
        hint: `The input's columns are ${names.map((c) => `'${c}'`).join(', ')}.`,
      });
    }
    const partition = spec.stratify ? `PARTITION BY ${ident(spec.stratify)}` : '';
    const cols = names.map(ident).join(', ');
    await conn.run(
      `CREATE TABLE ranked AS
       SELECT ${cols}, __rn, (row_number() OVER (${partition} ORDER BY __h, __rn) - 1)::DOUBLE / count(*) OVER (${partition}) AS __pos
       FROM (SELECT *, file_row_number AS __rn, md5_number_lower(${lit(String(spec.seed))} || ':' || file_row_number::VARCHAR) AS __h
             FROM read_parquet(${lit(inPath)}, file_row_number = true))`,
    );
    const counts: Record<string, number> = {};
    let lower = 0;
    const parts = Object.entries(spec.fractions);
    for (let i = 0; i < parts.length; i++) {
      const [name, fraction] = parts[i];
      const upper = i === parts.length - 1 ? Number.POSITIVE_INFINITY : lower + fraction;
      const cond = `__pos >= ${lower} AND __pos < ${Number.isFinite(upper) ? upper : 2}`;
      await writeParquet(conn, `SELECT ${cols} FROM ranked WHERE ${cond} ORDER BY __rn`, outPaths[name]);
      counts[name] = (await describeParquet(conn, outPaths[name])).rowCount;
      lower = upper;
    }
    return counts;
  });
}
