/** log-batch: metrics, params and tags of one run, written together or not at all. */
import { SluiceError } from '../errors.js';
import { inTransaction, type Db } from '../store/index.js';
import { logMetrics } from './metrics.js';
import { logParams } from './params.js';
import { setTags } from './tags.js';
import type { MetricInput } from './types.js';

export interface Batch {
  metrics?: readonly MetricInput[];
  params?: readonly { key: string; value: string }[];
  /** Last write wins, also within one batch. */
  tags?: readonly { key: string; value: string }[];
}

export async function logBatch(db: Db, runId: string, batch: Batch): Promise<void> {
  const params = batch.params ?? [];
  const keys = new Set<string>();
  const dupes = new Set<string>();
  for (const p of params) (keys.has(p.key) ? dupes : keys).add(p.key);
  if (dupes.size > 0) {
    throw new SluiceError('USAGE', `Duplicate parameter keys have been submitted: ${[...dupes].map((k) => `'${k}'`).join(', ')}`, {
      hint: 'Send one value per param key.',
    });
  }
  await inTransaction(db, async (trx) => {
    if (params.length > 0) await logParams(trx, runId, Object.fromEntries(params.map((p) => [p.key, p.value])));
    if (batch.tags?.length) await setTags(trx, runId, Object.fromEntries(batch.tags.map((t) => [t.key, t.value])));
    if (batch.metrics?.length) await logMetrics(trx, runId, batch.metrics);
  });
}
