/** Metrics: append-only histories, plus each key's latest value kept beside them. */
import { sql } from 'kysely';
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkKey } from './_checks.js';
import { chunks } from './_chunks.js';
import { checkMaxResults, decodePageToken, encodePageToken } from './search/page-token.js';
import { dialectOf } from './search/sql.js';
import { getRunInfo, requireActiveRun, toMetricPoint } from './runs.js';
import type { MetricInput, MetricPoint } from './types.js';

interface MetricRow {
  run_id: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

/**
 * Appends metric points in batched inserts, and updates each key's latest value. Logging an
 * identical point twice stores it once. All points land together or none do.
 */
export async function logMetrics(db: Db, runId: string, points: readonly MetricInput[]): Promise<void> {
  const now = Date.now();
  const rows = points.map((p) => toRow(runId, p, now));
  await inTransaction(db, async (trx) => {
    await requireActiveRun(trx, runId);
    if (dialectOf(trx) === 'postgres') await insertPostgres(trx, rows);
    else {
      for (const batch of chunks(rows)) {
        await trx
          .insertInto('metrics')
          .values(batch)
          .onConflict((oc) => oc.columns(['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan']).doNothing())
          .execute();
      }
    }
    // One candidate per key (an upsert may not touch a row twice), then keep whichever of it
    // and the stored value is later.
    const latest = new Map<string, MetricRow>();
    for (const row of rows) {
      const current = latest.get(row.key);
      if (!current || isLater(row, current)) latest.set(row.key, row);
    }
    // Sorted by key, so that two writers upserting the same keys lock them in the same order.
    const candidates = [...latest.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const batch of chunks(candidates)) {
      await trx
        .insertInto('latest_metrics')
        .values(batch)
        .onConflict((oc) =>
          oc
            .columns(['run_id', 'key'])
            .doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              timestamp: eb.ref('excluded.timestamp'),
              step: eb.ref('excluded.step'),
              is_nan: eb.ref('excluded.is_nan'),
            }))
            .where((eb) =>
              eb(
                eb.refTuple('excluded.step', 'excluded.timestamp', 'excluded.value'),
                '>',
                eb.refTuple('latest_metrics.step', 'latest_metrics.timestamp', 'latest_metrics.value'),
              ),
            ),
        )
        .execute();
    }
  });
}

/**
 * PostgreSQL: all points as six array parameters expanded by unnest, rather than six parameters
 * per point: the statement is parsed and planned once, whatever the batch size.
 */
async function insertPostgres(db: Db, rows: MetricRow[]): Promise<void> {
  const column = <K extends keyof MetricRow>(k: K) => rows.map((r) => r[k]);
  await sql`insert into metrics (run_id, key, value, timestamp, step, is_nan)
    select * from unnest(${column('run_id')}::text[], ${column('key')}::text[], ${column('value')}::float8[],
      ${column('timestamp')}::int8[], ${column('step')}::int8[], ${column('is_nan')}::int4[])
    on conflict (run_id, key, step, timestamp, value, is_nan) do nothing`.execute(db);
}

/** Every point of one metric, by step then timestamp. Empty if the key was never logged. */
export async function getMetricHistory(db: Db, runId: string, key: string): Promise<MetricPoint[]> {
  return (await getMetricHistoryPage(db, runId, key)).points;
}

/** One page of a metric's history (all of it without maxResults), in the same order. */
export async function getMetricHistoryPage(
  db: Db,
  runId: string,
  key: string,
  page: { maxResults?: number; pageToken?: string } = {},
): Promise<{ points: MetricPoint[]; nextPageToken?: string }> {
  const offset = decodePageToken(page.pageToken);
  if (page.maxResults !== undefined) checkMaxResults(page.maxResults, 1_000_000_000);
  await getRunInfo(db, runId);
  let query = db
    .selectFrom('metrics')
    .select(['key', 'value', 'step', 'timestamp', 'is_nan'])
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .orderBy('id');
  // SQLite takes OFFSET only after a LIMIT.
  if (page.maxResults !== undefined || offset > 0) query = query.limit((page.maxResults ?? Number.MAX_SAFE_INTEGER - 1) + 1).offset(offset);
  const rows = await query.execute();
  if (page.maxResults === undefined || rows.length <= page.maxResults) return { points: rows.map(toMetricPoint) };
  return { points: rows.slice(0, page.maxResults).map(toMetricPoint), nextPageToken: encodePageToken(offset + page.maxResults) };
}

/**
 * MLflow's rule for a run's metric value: the highest step wins, then the latest timestamp,
 * then the highest value (a NaN compares as its stored 0, as in MLflow's SQL store).
 */
function isLater(a: MetricRow, b: MetricRow): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

function toRow(runId: string, point: MetricInput, now: number): MetricRow {
  checkKey('metric', point.key);
  const { value, step = 0, timestamp = now } = point;
  const where = `metric '${point.key}'`;
  if (typeof value !== 'number') {
    throw new SluiceError('USAGE', `Value of ${where} must be a number, got ${typeof value}`, { hint: 'Log numbers only; NaN and ±Infinity are accepted.' });
  }
  if (!Number.isSafeInteger(step)) {
    throw new SluiceError('USAGE', `Step of ${where} must be an integer, got ${step}`, { hint: 'Steps are integers (epoch, iteration); the default is 0.' });
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new SluiceError('USAGE', `Timestamp of ${where} must be epoch milliseconds, got ${timestamp}`, { hint: 'Use Date.now(), or omit it.' });
  }
  // SQLite stores NaN as NULL, so NaN is kept as 0 with a flag, as MLflow does.
  const isNan = Number.isNaN(value);
  return { run_id: runId, key: point.key, value: isNan ? 0 : value, timestamp, step, is_nan: isNan ? 1 : 0 };
}
