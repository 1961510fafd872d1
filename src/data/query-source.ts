/**
 * Query sources: a SQL query on PostgreSQL, streamed through a server-side cursor in batches
 * into DuckDB and written as Parquet, so a large result never sits in JavaScript all at once.
 * (DuckDB's postgres extension would be simpler, but extensions download at run time, which
 * these machines cannot do.)
 */
import { SluiceError } from '../errors.js';
import { describeParquet, ident, withDuckDB, writeParquet } from './duckdb.js';

const BATCH = 10_000;

/** PostgreSQL type OIDs → DuckDB types; anything else is read as text. */
const PG_TYPES: Record<number, string> = {
  16: 'BOOLEAN',
  20: 'BIGINT',
  21: 'BIGINT',
  23: 'BIGINT',
  700: 'DOUBLE',
  701: 'DOUBLE',
  1700: 'DOUBLE',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMP',
};

export function resolveConnection(connection: string, source: string): string {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(connection.trim());
  if (!m) return connection;
  const value = process.env[m[1]];
  if (!value) {
    throw new SluiceError('CONFIG_INVALID', `Source '${source}': the environment variable ${m[1]} named by 'connection' is not set`, {
      where: `sources.${source}.connection`,
      hint: `Set ${m[1]} to a postgres:// URL.`,
    });
  }
  return value;
}

export async function acquireQuery(spec: { name: string; query: string; connection: string; filter?: string }, outPath: string): Promise<{ rowCount: number; columns: string[] }> {
  const url = resolveConnection(spec.connection, spec.name);
  const { default: pg } = await import('pg');
  // Dates and timestamps as text: DuckDB parses them, and no time zone shifts on the way.
  const types = { getTypeParser: (oid: number, format?: string) => (oid === 1082 || oid === 1114 || oid === 1184 ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) };
  const client = new pg.Client({ connectionString: url, types });
  try {
    await client.connect();
  } catch (e) {
    throw new SluiceError('SOURCE_NOT_FOUND', `Source '${spec.name}': cannot connect to PostgreSQL: ${(e as Error).message}`, {
      where: `sources.${spec.name}.connection`,
      hint: 'Check the connection URL, that the server is running, and the credentials.',
      cause: e,
    });
  }
  try {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`DECLARE sluice_source NO SCROLL CURSOR FOR ${spec.query}`);
    } catch (e) {
      throw new SluiceError('DATA_INVALID', `Source '${spec.name}': the query failed: ${(e as Error).message}`, {
        where: `sources.${spec.name}.query`,
        hint: 'Run the query in psql to see the problem.',
        cause: e,
      });
    }
    return await withDuckDB(async (conn) => {
      let created = false;
      let columns: { name: string; type: string }[] = [];
      for (;;) {
        const batch = await client.query({ text: `FETCH ${BATCH} FROM sluice_source`, rowMode: 'array' });
        if (!created) {
          columns = batch.fields.map((f) => ({ name: f.name, type: PG_TYPES[f.dataTypeID] ?? 'VARCHAR' }));
          await conn.run(`CREATE TABLE __query (${columns.map((c) => `${ident(c.name)} ${c.type === 'DATE' || c.type === 'TIMESTAMP' ? 'VARCHAR' : c.type}`).join(', ')})`);
          created = true;
        }
        if (batch.rows.length === 0) break;
        const appender = await conn.createAppender('__query');
        for (const row of batch.rows as unknown[][]) {
          for (let i = 0; i < columns.length; i++) {
            const v = row[i];
            const t = columns[i].type;
            if (v === null || v === undefined) appender.appendNull();
            else if (t === 'BIGINT') appender.appendBigInt(BigInt(v as string | number));
            else if (t === 'DOUBLE') appender.appendDouble(Number(v));
            else if (t === 'BOOLEAN') appender.appendBoolean(Boolean(v));
            else appender.appendVarchar(typeof v === 'object' ? JSON.stringify(v) : String(v));
          }
          appender.endRow();
        }
        appender.closeSync();
      }
      const cast = columns.map((c) => (c.type === 'DATE' || c.type === 'TIMESTAMP' ? `${ident(c.name)}::${c.type} AS ${ident(c.name)}` : ident(c.name))).join(', ');
      await writeParquet(conn, `SELECT ${cast} FROM __query${spec.filter ? ` WHERE (${spec.filter})` : ''}`, outPath);
      const d = await describeParquet(conn, outPath);
      return { rowCount: d.rowCount, columns: d.columns.map((c) => c.name) };
    });
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  }
}
