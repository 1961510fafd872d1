/**
 * The window of live traffic a monitor judges: the predictions of the last `window` of time
 * before `now`, or the newest N before `now`, read from the prediction log with their feedback.
 */
import type { MonitorConfig } from '../../config/index.js';
import { listPredictions, type LoggedPrediction } from '../../serving/index.js';
import type { Db } from '../../store/index.js';

export interface TrafficWindow {
  start: number;
  end: number;
  predictions: LoggedPrediction[];
}

export async function readWindow(db: Db, model: string, config: MonitorConfig, now: number): Promise<TrafficWindow> {
  const w = config.window;
  if (w.kind === 'time') {
    const start = now - w.ms;
    const all = await listPredictions(db, { model, since: start, until: now, limit: Number.MAX_SAFE_INTEGER });
    return { start, end: now, predictions: all.length > config.max_rows ? all.slice(-config.max_rows) : all };
  }
  // The newest N before `now`: find when the Nth newest was logged, then read from there.
  const cutoff = await db
    .selectFrom('prediction_log')
    .select(['at'])
    .where('model', '=', model)
    .where('at', '<', now)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .offset(w.rows - 1)
    .limit(1)
    .executeTakeFirst();
  const since = cutoff?.at ?? 0;
  const all = await listPredictions(db, { model, since, until: now, limit: Number.MAX_SAFE_INTEGER });
  const predictions = all.slice(-w.rows);
  return { start: predictions[0]?.at ?? since, end: now, predictions };
}
