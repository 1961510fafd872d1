/**
 * Source kinds and bad input, through `sluice run` on small real files: every format reads
 * through DuckDB, a URL is fetched again only when it changed, and each kind of bad file gives
 * a clear error naming the source (and the line where it can) with no dataset version left.
 */
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, sluice, sluiceAsync, sluiceJson } from '../helpers/cli.js';

interface Summary {
  status: string;
  runId: string;
  datasets: { name: string; rows: number }[];
  errors: { step: string; message: string; code?: string }[];
}

const project = (source: string) => `project: src\nsources:\n  data:\n${source.replace(/^/gm, '    ')}\n`;

function run(dir: string) {
  return sluiceJson<Summary>(dir, ['run']);
}

/** For sources served by this test process: the command must not block its event loop. */
async function runAsync(dir: string) {
  const r = await sluiceAsync(dir, ['run', '--json']);
  return { code: r.code, data: JSON.parse(r.stdout) as Summary };
}

function rowsOf(summary: Summary, name = 'data') {
  return summary.datasets.find((d) => d.name === name)?.rows;
}

describe('source formats', () => {
  it('reads Parquet, JSON, JSONL and globs through DuckDB', async () => {
    const dir = makeProject({
      'a.jsonl': '{"x": 1, "y": "a"}\n{"x": 2, "y": "b"}\n{"x": 3, "y": null}\n',
      'b.json': '[{"x": 1.5, "y": "a"}, {"x": 2.5, "y": "b"}]',
      'parts/p1.csv': 'x,y\n1,a\n',
      'parts/p2.csv': 'x,y\n2,b\n3,c\n',
      'sluice.yaml': `project: formats
sources:
  lines: { path: a.jsonl, columns: { x: integer, y: string } }
  array: { path: b.json }
  parts: { path: "parts/*.csv", columns: { x: integer, y: string } }
steps:
  pq:
    kind: sql
    inputs: { lines: lines }
    query: "SELECT x * 10 AS x10, y FROM lines"
    columns: { x10: integer, y: string }
  from_parquet:
    kind: sql
    inputs: { pq: pq }
    query: "SELECT * FROM pq WHERE y IS NOT NULL"
`,
    });
    const r = run(dir);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    expect(rowsOf(r.data, 'lines')).toBe(3);
    expect(rowsOf(r.data, 'array')).toBe(2);
    expect(rowsOf(r.data, 'parts')).toBe(3);
    expect(rowsOf(r.data, 'from_parquet')).toBe(2);
    const shown = sluiceJson<{ schema: { name: string; type: string }[] }>(dir, ['datasets', 'show', 'array']).data;
    expect(shown.schema).toEqual([
      { name: 'x', type: 'DOUBLE' },
      { name: 'y', type: 'VARCHAR' },
    ]);
  });

  it('reads an Arrow IPC file', async () => {
    const { tableFromArrays, tableToIPC } = await import('apache-arrow');
    const dir = makeProject({ 'sluice.yaml': project('path: t.arrow\ncolumns: { id: integer, score: double, tag: string }') });
    const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]), score: Float64Array.from([0.5, 1.5, 2.5]), tag: ['a', 'b', 'c'] });
    writeFileSync(join(dir, 't.arrow'), tableToIPC(table, 'file'));
    const r = run(dir);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    expect(rowsOf(r.data)).toBe(3);
  });

  it('filters rows of a source with a SQL condition', () => {
    const dir = makeProject({ 'd.csv': 'x\n1\n2\n3\n4\n', 'sluice.yaml': project('path: d.csv\ncolumns: { x: integer }\nfilter: "x::INTEGER > 2"') });
    const r = run(dir);
    expect(r.code).toBe(0);
    expect(rowsOf(r.data)).toBe(2);
  });
});

describe('URL sources', () => {
  let server: Server;
  let url = '';
  let body = 'x,y\n1,a\n2,b\n';
  let etag = '"v1"';
  const requests: { ifNoneMatch?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ ifNoneMatch: req.headers['if-none-match'] as string | undefined });
      if (req.url === '/missing.csv') {
        res.writeHead(404).end('no');
        return;
      }
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { etag, 'content-type': 'text/csv' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads once, then asks with If-None-Match and reuses the copy while unchanged', async () => {
    const dir = makeProject({ 'sluice.yaml': project(`url: ${url}/data.csv\ncolumns: { x: integer, y: string }`) });
    const first = await runAsync(dir);
    expect(first.code, JSON.stringify(first.data.errors)).toBe(0);
    expect(rowsOf(first.data)).toBe(2);
    expect(requests.at(-1)?.ifNoneMatch).toBeUndefined();

    const second = await runAsync(dir);
    expect(second.code).toBe(0);
    expect(requests.at(-1)?.ifNoneMatch).toBe('"v1"');
    const steps = sluiceJson<{ steps: { name: string; status: string }[] }>(dir, ['runs', 'show', second.data.runId]).data.steps;
    expect(steps.find((s) => s.name === 'acquire/data')?.status).toBe('cached');

    body = 'x,y\n1,a\n2,b\n3,c\n';
    etag = '"v2"';
    const third = await runAsync(dir);
    expect(third.code).toBe(0);
    expect(rowsOf(third.data)).toBe(3);
    const lineage = sluiceJson<{ lineage: { sources: { uri: string; etag?: string }[] } }>(dir, ['datasets', 'show', 'data']).data.lineage;
    expect(lineage.sources[0]).toMatchObject({ uri: `${url}/data.csv`, etag: '"v2"' });
  });

  it('a URL that answers 404 fails with the status and creates nothing', async () => {
    const dir = makeProject({ 'sluice.yaml': project(`url: ${url}/missing.csv\ncolumns: { x: integer }`) });
    const r = await runAsync(dir);
    expect(r.code).toBe(3);
    expect(r.data.errors[0].message).toContain('answered 404');
    expect(r.data.datasets).toEqual([]);
  });

  it('an unreachable URL fails clearly', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dir = makeProject({ 'sluice.yaml': project(`url: http://127.0.0.1:${port}/data.csv\ncolumns: { x: integer }`) });
    const r = run(dir);
    expect(r.code).toBe(3);
    expect(r.data.errors[0].message).toContain(`Source 'data': cannot reach http://127.0.0.1:${port}/data.csv (ECONNREFUSED)`);
    expect(r.data.datasets).toEqual([]);
  });
});

describe('query sources on PostgreSQL', () => {
  const pgUrl = process.env.SLUICE_TEST_POSTGRES_URL;
  it.skipIf(!pgUrl && !process.env.CI)('reads a query result through a cursor', async () => {
    if (!pgUrl) throw new Error('PostgreSQL is required in CI: set SLUICE_TEST_POSTGRES_URL (scripts/ci/postgres.sh)');
    const { default: pg } = await import('pg');
    // A database of its own: the test role may create databases, not tables in 'postgres'.
    const database = `sluice_src_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(pgUrl);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const table = 'src';
    await client.query(`CREATE TABLE ${table} AS SELECT g AS id, g * 0.5 AS score, 'n' || g AS tag, DATE '2001-01-01' + g AS day FROM generate_series(1, 25000) g`);
    try {
      const dir = makeProject({
        'sluice.yaml': project(`query: "SELECT id, score, tag, day FROM ${table} WHERE id % 2 = 0"\nconnection: \${SOURCE_PG}\ncolumns: { id: integer, score: double, tag: string, day: date }`),
      });
      const r = sluice(dir, ['run', '--json'], { SOURCE_PG: url.toString() });
      const data = JSON.parse(r.stdout) as Summary;
      expect(r.code, JSON.stringify(data.errors)).toBe(0);
      expect(rowsOf(data)).toBe(12500);
    } finally {
      await client.end();
      await admin.query(`DROP DATABASE ${database}`);
      await admin.end();
    }
  });
});

describe('bad input', () => {
  const bad = (files: Record<string, string | Buffer>, source: string) => {
    const dir = makeProject({ 'sluice.yaml': project(source) });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = run(dir);
    expect(r.code).toBe(3);
    expect(r.data.status).toBe('failed');
    expect(r.data.datasets).toEqual([]);
    return r.data.errors[0].message;
  };

  it('a corrupt Parquet file', () => {
    const msg = bad({ 'd.parquet': Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(200, 7), Buffer.from('PAR1')]) }, 'path: d.parquet');
    expect(msg).toMatch(/^Source 'data': cannot read .*d\.parquet as PARQUET/);
  });

  it('a truncated CSV (an unterminated quote on the last line) names the line', () => {
    const msg = bad({ 'd.csv': 'x,y\n1,a\n2,"b' }, 'path: d.csv\ncolumns: { x: integer, y: string }');
    expect(msg).toContain('CSV Error on Line: 3');
    expect(msg).toContain('unterminated quote');
  });

  it('a line with too few fields names the line', () => {
    const msg = bad({ 'd.csv': 'x,y\n1,a\n2\n' }, 'path: d.csv\ncolumns: { x: integer, y: string }');
    expect(msg).toContain('CSV Error on Line: 3: Expected Number of Columns: 2 Found: 1');
  });

  it('a file that is not UTF-8', () => {
    const msg = bad({ 'd.csv': Buffer.from('x,y\n1,caf\xe9\n', 'latin1') }, 'path: d.csv\ncolumns: { x: integer, y: string }');
    expect(msg).toContain('not utf-8 encoded');
  });

  it('a column of mixed types names the column and the first bad value', () => {
    const msg = bad({ 'd.jsonl': '{"x": 1}\n{"x": 2}\n{"x": "three"}\n' }, 'path: d.jsonl\ncolumns: { x: integer }');
    expect(msg).toContain("column 'x' is declared integer but 1 value(s) are not (first at line 3: 'three')");
  });

  it('an empty file', () => {
    const msg = bad({ 'd.csv': '' }, 'path: d.csv\ncolumns: { x: integer }');
    expect(msg).toContain('is empty');
  });

  it('a 10 MB line', () => {
    const msg = bad({ 'd.csv': `x,y\n1,${'z'.repeat(10_000_000)}\n` }, 'path: d.csv\ncolumns: { x: integer, y: string }');
    expect(msg).toContain('CSV Error on Line: 2: Maximum line size of 8388608 bytes exceeded');
    expect(msg.length).toBeLessThan(1000);
  });

  it('a glob that matches nothing', () => {
    const msg = bad({}, 'path: "nothing/*.csv"\ncolumns: { x: integer }');
    expect(msg).toContain('no file matches');
  });
});
