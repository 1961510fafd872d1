/** Terminal output helpers: colour only on a TTY (and never with NO_COLOR), tables, JSON. */
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;

const wrap = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const c = {
  bold: wrap(1),
  dim: wrap(2),
  red: wrap(31),
  green: wrap(32),
  yellow: wrap(33),
  blue: wrap(34),
  cyan: wrap(36),
};

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table; the first row is the header. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => strip(r[i] ?? '').length)));
  return rows
    .map((r, ri) => {
      const line = r.map((cell, i) => cell + ' '.repeat(Math.max(0, widths[i] - strip(cell).length))).join('  ').trimEnd();
      return ri === 0 ? c.bold(line) : line;
    })
    .join('\n');
}

export function formatTime(ms: number | null | undefined): string {
  if (!ms) return '-';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function statusColor(status: string): string {
  if (['succeeded', 'pass', 'FINISHED', 'READY', 'cached'].includes(status)) return c.green(status);
  if (['failed', 'fail', 'FAILED', 'blocked'].includes(status)) return c.red(status);
  if (['running', 'warn', 'RUNNING'].includes(status)) return c.yellow(status);
  return status;
}

export function fmtNum(x: unknown): string {
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toFixed(1) : x.toPrecision(4);
}
