/** Page tokens: opaque to clients; base64 of {"offset": N}, as MLflow's own. */
import { SluiceError } from '../../errors.js';

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown } | null)?.offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new SluiceError('USAGE', `Invalid page token '${token.slice(0, 100)}'`, { hint: 'Pass the next_page_token of the previous page unchanged.' });
  }
  return offset;
}

/** MLflow's bounds on a page size: 1 to `max` (50,000 for runs and experiments). */
export function checkMaxResults(value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new SluiceError('USAGE', `Invalid value ${value} for parameter 'max_results' supplied: it must be at most ${max} and at least 1`, {
      hint: `Ask for at most ${max} results per page and follow next_page_token.`,
    });
  }
}
