/**
 * A text/csv body (RFC 4180: a header row, quoted fields with "" escapes, LF or CRLF) read
 * with the signature's types: cells of numeric inputs are parsed as numbers, an empty cell
 * (or NaN) is a missing value. A cell that is not a number stays text, and the signature check
 * reports it with its column and row.
 */
import { SluiceError } from '../errors.js';
import type { ModelSignature } from '../training/package/index.js';
import type { Batch } from './columns.js';
import { recordsToBatch } from './records.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function csvToBatch(signature: ModelSignature, text: string): Batch {
  const rows = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (rows.length === 0 || (rows.length === 1 && rows[0].length === 1 && rows[0][0] === '')) {
    throw new SluiceError('DATA_INVALID', 'The CSV body is empty: send a header row of column names, then one row per record');
  }
  const [header, ...data] = rows;
  if (new Set(header).size !== header.length) throw new SluiceError('DATA_INVALID', 'The CSV header names a column twice');
  const numeric = header.map((name) => signature.inputs.some((i) => i.name === name && i.type !== 'string'));
  const records = data.map((cells, r) => {
    if (cells.length !== header.length) {
      throw new SluiceError('DATA_INVALID', `CSV row ${r + 1} has ${cells.length} cells; the header has ${header.length}`);
    }
    const record: Record<string, unknown> = Object.create(null);
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j];
      if (!numeric[j]) record[header[j]] = cell;
      else {
        const t = cell.trim();
        record[header[j]] = t === '' || t === 'NaN' || t === 'nan' ? null : NUMBER.test(t) ? Number(t) : cell;
      }
    }
    return record;
  });
  return recordsToBatch(signature, records, 'CSV rows');
}

/** Rows of cells; a trailing line break does not make an empty row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && cell === '') {
      const start = i;
      i++;
      for (;;) {
        if (i >= n) throw new SluiceError('DATA_INVALID', `The CSV body has an unclosed quote (opened at character ${start})`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else cell += text[i++];
      }
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += ch;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
