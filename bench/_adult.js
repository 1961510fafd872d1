// Shared by the Adult benchmarks: the data as Tables, and ROC AUC computed independently of
// Sluice's own evaluation code.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the data is: ADULT_DIR, or the income example's copy. */
export const adultDir = process.env.ADULT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'income', 'data');

/** Adult CSV: a header line, ", " separators, "?" for missing, test labels ending in "."; numeric columns detected. */
export function readAdult(file) {
  const lines = readFileSync(join(adultDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((s) => s.trim());
  const rows = lines.slice(1).map((l) => l.split(',').map((s) => s.trim()));
  const columns = header.map((name, j) => {
    const raw = rows.map((r) => (r[j] === '?' || r[j] === '' ? null : r[j]));
    if (name === 'Y') return { name, type: 'string', values: raw.map((v) => v && v.replace(/\.$/, '')) };
    const numeric = raw.every((v) => v === null || Number.isFinite(Number(v)));
    return numeric
      ? { name, type: 'number', values: Float64Array.from(raw, (v) => (v === null ? NaN : Number(v))) }
      : { name, type: 'string', values: raw };
  });
  return { rowCount: rows.length, columns };
}

/** ROC AUC as the Mann-Whitney statistic, tied scores sharing their average rank. */
export function rocAuc(labels, scores) {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (labels[order[t]] === 1) { rankSumPos += avgRank; nPos++; }
    i = j + 1;
  }
  const nNeg = order.length - nPos;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
