/**
 * Ground truth for served predictions: `{request_id, label}` (or a list of them), stored at
 * once in the metadata store and joined to the prediction log later by request id and row.
 */
import { SluiceError } from '../errors.js';
import type { Store } from '../store/index.js';
import { describe } from './columns.js';

export interface Feedback {
  requestId: string;
  /** The record's position in its request; 0 for single-record requests. */
  row: number;
  label: string | number | boolean;
}

const MAX_ITEMS = 10_000;
const FIELDS = new Set(['request_id', 'label', 'row']);
/** What the server takes as an X-Request-Id (others are replaced by a generated one). */
export const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

export function parseFeedback(body: unknown): Feedback[] {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new SluiceError('DATA_INVALID', 'The feedback list is empty: send {"request_id": "...", "label": ...} or a list of them');
  if (items.length > MAX_ITEMS) throw new SluiceError('DATA_INVALID', `The feedback list holds ${items.length} items; send at most ${MAX_ITEMS} per request`);
  return items.map((item, i) => {
    const at = Array.isArray(body) ? ` of item ${i}` : '';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new SluiceError('DATA_INVALID', `Feedback${at} must be an object {"request_id": "...", "label": ...}; got ${describe(item)}`);
    }
    const o = item as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => !FIELDS.has(k));
    if (extra !== undefined) throw new SluiceError('DATA_INVALID', `Field '${extra}'${at} is not a feedback field (request_id, label, row)`);
    const { request_id: requestId, label, row = 0 } = o;
    if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
      throw new SluiceError('DATA_INVALID', `Field 'request_id'${at} must be the X-Request-Id of a prediction (1 to 200 visible ASCII characters); got ${describe(requestId)}`);
    }
    if (!(typeof label === 'string' || typeof label === 'boolean' || (typeof label === 'number' && Number.isFinite(label)))) {
      throw new SluiceError('DATA_INVALID', `Field 'label'${at} must be the true label (a string, number or boolean); got ${describe(label)}`);
    }
    if (!Number.isSafeInteger(row) || (row as number) < 0) {
      throw new SluiceError('DATA_INVALID', `Field 'row'${at} must be the record's position in its request (an integer from 0); got ${describe(row)}`);
    }
    return { requestId, row: row as number, label };
  });
}

export async function recordFeedback(store: Store, model: string, items: Feedback[]): Promise<void> {
  const at = Date.now();
  const rows = items.map((f) => ({ request_id: f.requestId, row_index: f.row, label: JSON.stringify(f.label), model, at }));
  await store.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('feedback').values(rows.slice(i, i + 500)).execute();
  });
}
