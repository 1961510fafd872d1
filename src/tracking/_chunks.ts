/**
 * Rows per multi-row INSERT. PostgreSQL allows 65,535 bind parameters per statement and SQLite
 * 32,766; 1,000 rows of up to 6 columns stays well below both.
 */
export const ROWS_PER_INSERT = 1000;

export function chunks<T>(items: readonly T[], size = ROWS_PER_INSERT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
