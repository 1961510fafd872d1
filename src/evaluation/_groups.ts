/** Groups rows by the value of a column: the shared core of slices and fairness. */
import { SluiceError } from '../errors.js';

export type GroupKey = string | number | null;
export type GroupValues = Float64Array | readonly (string | null)[];

export interface Grouping {
  /** One key per group: numbers ascending or strings in code-unit order, then null (missing) last. */
  keys: GroupKey[];
  /** Group index of each row. */
  codes: Uint32Array;
}

/** NaN (numbers) and null (strings) are missing values; they form their own group, keyed null. */
export function _groupRows(name: string, values: GroupValues, rows: number): Grouping {
  if (values.length !== rows) {
    throw new SluiceError('DATA_INVALID', `Column '${name}' has ${values.length} values but there are ${rows} rows`);
  }
  const index = new Map<GroupKey, number>();
  const raw = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    const key: GroupKey = v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
    let code = index.get(key);
    if (code === undefined) index.set(key, (code = index.size));
    raw[i] = code;
  }
  const keys = [...index.keys()].sort(_compareKeys);
  const remap = new Uint32Array(keys.length);
  keys.forEach((k, sorted) => (remap[index.get(k)!] = sorted));
  const codes = raw.map((c) => remap[c]);
  return { keys, codes };
}

function _compareKeys(a: GroupKey, b: GroupKey): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
