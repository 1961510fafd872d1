/** Metrics: append-only histories, plus each key's latest value kept beside them. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { checkKey } from './_checks.js';
import { chunks } from './_chunks.js';
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
    for (const batch of chunks(rows)) {
      await trx
        .insertInto('metrics')
        .values(batch)
        .onConflict((oc) => oc.columns(['run_id', 'key', 'step', 'timestamp', 'value', 'is_nan']).doNothing())
        .execute();
    }
    // One candidate per key (an upsert may not touch a row twice), then keep whichever of it
    // and the stored value is later.
    const latest = new Map<string, MetricRow>();
    for (const row of rows) {
      const current = latest.get(row.key);
      if (!current || isLater(row, current)) latest.set(row.key, row);
    }
    for (const batch of chunks([...latest.values()])) {
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

/** Every point of one metric, by step then timestamp. Empty if the key was never logged. */
export async function getMetricHistory(db: Db, runId: string, key: string): Promise<MetricPoint[]> {
  await getRunInfo(db, runId);
  const rows = await db
    .selectFrom('metrics')
    .select(['key', 'value', 'step', 'timestamp', 'is_nan'])
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .orderBy('id')
    .execute();
  return rows.map(toMetricPoint);
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
