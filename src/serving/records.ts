/**
 * Records (`[{age: 39, workclass: 'State-gov', ...}]`) and columns (`{age: [39, 50], ...}`)
 * checked against the signature and turned into a Batch.
 *
 * A field the model does not take is an error, not ignored: every input of a Sluice model is
 * nullable, so a misspelt field ('education_num' for 'education-num') would otherwise be read
 * as a missing value and silently change the prediction.
 */
import { SluiceError } from '../errors.js';
import type { ModelSignature } from '../training/package/index.js';
import { describe, emptyColumn, Problems, setCell, suggestInput, type Batch } from './columns.js';

export function recordsToBatch(signature: ModelSignature, records: unknown, what = 'records'): Batch {
  if (!Array.isArray(records)) throw new SluiceError('DATA_INVALID', `The ${what} must be a list of objects; got ${describe(records)}`);
  if (records.length === 0) throw new SluiceError('DATA_INVALID', `The ${what} list is empty: send at least one record`);
  const inputs = signature.inputs;
  const index = _inputIndex(signature);
  const rows = records.length;
  const columns = inputs.map((input) => emptyColumn(input, rows));
  const problems = new Problems();
  for (let r = 0; r < rows; r++) {
    const record = records[r] as Record<string, unknown>;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      problems.add(`Record ${r} must be an object; got ${describe(record)}`);
      continue;
    }
    let known = 0;
    for (const key in record) {
      if (index.has(key)) known++;
      else problems.add(`Field '${key}' of record ${r} is not an input of the model${suggestInput(signature, key)}`);
    }
    for (let j = 0; j < inputs.length; j++) {
      const name = inputs[j].name;
      const v = known > 0 && Object.hasOwn(record, name) ? record[name] : undefined;
      const problem = setCell(inputs[j], columns[j], r, v);
      if (problem) problems.add(`Field '${name}' of record ${r} ${problem}`);
    }
  }
  problems.throwIfAny(signature);
  return { rows, columns };
}

/** `{column: [values]}`: every list the same length; a nullable input may be left out. */
export function columnsToBatch(signature: ModelSignature, data: unknown, what = 'inputs'): Batch {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SluiceError('DATA_INVALID', `The ${what} must be an object of columns ({"name": [values]}); got ${describe(data)}`);
  }
  const given = data as Record<string, unknown>;
  const index = _inputIndex(signature);
  let rows = -1;
  for (const key of Object.keys(given)) {
    if (!index.has(key)) throw new SluiceError('DATA_INVALID', `Column '${key}' is not an input of the model${suggestInput(signature, key)}`);
    const values = given[key];
    if (!Array.isArray(values)) throw new SluiceError('DATA_INVALID', `Column '${key}' must be a list of values; got ${describe(values)}`);
    if (rows >= 0 && values.length !== rows) throw new SluiceError('DATA_INVALID', `Column '${key}' has ${values.length} values; the columns before it have ${rows}`);
    rows = values.length;
  }
  if (rows <= 0) throw new SluiceError('DATA_INVALID', `The ${what} hold no rows: send at least one value per column`);
  const problems = new Problems();
  const columns = signature.inputs.map((input) => {
    const column = emptyColumn(input, rows);
    const values = Object.hasOwn(given, input.name) ? (given[input.name] as unknown[]) : undefined;
    for (let r = 0; r < rows; r++) {
      const problem = setCell(input, column, r, values?.[r]);
      if (problem) problems.add(`Field '${input.name}' of row ${r} ${problem}`);
    }
    return column;
  });
  problems.throwIfAny(signature);
  return { rows, columns };
}

/** pandas' split orientation: `{columns: [...], data: [[...], ...]}`. */
export function splitToBatch(signature: ModelSignature, split: unknown): Batch {
  const s = split as { columns?: unknown; data?: unknown } | null;
  if (s === null || typeof s !== 'object' || !Array.isArray(s.columns) || !Array.isArray(s.data)) {
    throw new SluiceError('DATA_INVALID', 'dataframe_split must be an object with "columns" (a list of names) and "data" (a list of rows)');
  }
  const names = s.columns as unknown[];
  const bad = names.find((n) => typeof n !== 'string');
  if (bad !== undefined) throw new SluiceError('DATA_INVALID', `dataframe_split.columns must hold column names; got ${describe(bad)}`);
  if (new Set(names).size !== names.length) throw new SluiceError('DATA_INVALID', 'dataframe_split.columns names a column twice');
  const records = (s.data as unknown[]).map((row, r) => {
    if (!Array.isArray(row) || row.length !== names.length) {
      throw new SluiceError('DATA_INVALID', `Row ${r} of dataframe_split.data must be a list of ${names.length} values (one per column); got ${Array.isArray(row) ? `${row.length} values` : describe(row)}`);
    }
    const record: Record<string, unknown> = Object.create(null); // a column named __proto__ stays a field
    names.forEach((n, j) => (record[n as string] = row[j]));
    return record;
  });
  return recordsToBatch(signature, records, 'dataframe_split.data');
}

const indexes = new WeakMap<ModelSignature, Set<string>>();

function _inputIndex(signature: ModelSignature): Set<string> {
  let index = indexes.get(signature);
  if (!index) indexes.set(signature, (index = new Set(signature.inputs.map((i) => i.name))));
  return index;
}
