import { SluiceError } from '../errors.js';

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// Written without regex flags so the same patterns can go into the JSON Schema.
export const BYTES_PATTERN = '^ *[0-9]+(\\.[0-9]+)? *([Bb]|[KkMmGgTt][Bb]|[KkMmGgTt][Ii][Bb]?)? *$';
export const DURATION_PATTERN = '^ *([0-9]+(\\.[0-9]+)? *|([0-9]+(\\.[0-9]+)? *(ms|s|m|h|d) *)+)$';

/** Bytes from a number of bytes or a string such as '512MB', '2GB', '1.5GiB', '800Mi'; undefined if unreadable. */
export function _toBytes(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  if (!new RegExp(BYTES_PATTERN).test(value)) return undefined;
  const m = /([0-9.]+) *([A-Za-z]*)/.exec(value.trim())!;
  const bytes = Math.round(Number(m[1]) * BYTE_UNITS[m[2].toLowerCase() || 'b']);
  return bytes > 0 ? bytes : undefined;
}

/** Milliseconds from a number of seconds or a string such as '90s', '10m', '1h30m'; undefined if unreadable. */
export function _toMilliseconds(value: number | string): number | undefined {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (!new RegExp(DURATION_PATTERN).test(value)) return undefined;
  else if (/^ *[0-9.]+ *$/.test(value)) ms = Number(value) * 1000;
  else ms = [...value.matchAll(/([0-9.]+) *(ms|s|m|h|d)/g)].reduce((sum, m) => sum + Number(m[1]) * DURATION_UNITS[m[2]], 0);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** Bytes from '512MB' (10^6), '1.5GiB' (2^30) or a plain number of bytes. */
export function parseBytes(value: number | string): number {
  const bytes = _toBytes(value);
  if (bytes === undefined) {
    throw new SluiceError('CONFIG_INVALID', `Cannot read '${value}' as a size`, {
      hint: "Use a number of bytes or a size such as '512MB', '2GB', '1.5GiB' or '800MiB'.",
    });
  }
  return bytes;
}

/** Milliseconds from '90s', '10m', '1h30m' or a plain number of seconds. */
export function parseDuration(value: number | string): number {
  const ms = _toMilliseconds(value);
  if (ms === undefined) {
    throw new SluiceError('CONFIG_INVALID', `Cannot read '${value}' as a duration`, {
      hint: "Use a number of seconds or a duration such as '90s', '10m', '1h' or '1h30m'.",
    });
  }
  return ms;
}
