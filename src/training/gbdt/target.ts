/**
 * The label column as numbers the losses use: class indices (binary: 1 = positive) or values.
 * Missing or non-finite labels are errors, not rows silently dropped.
 */
import { SluiceError } from '../../errors.js';
import type { Column } from '../../data/table.js';
import type { GbdtTask } from './types.js';

function labelsOf(col: Column, where: string): string[] {
  const out = new Array<string>(col.values.length);
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i];
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) {
      throw new SluiceError('DATA_INVALID', `Target column '${col.name}' has a missing or non-finite label at row ${i} of the ${where} data`, {
        where: `column '${col.name}'`,
        hint: 'Drop or fill rows without a label before training',
      });
    }
    out[i] = String(v);
  }
  return out;
}

/** Classes from the training labels, sorted (numerically for a numeric column); binary: [negative, positive]. */
export function classesOf(col: Column, task: GbdtTask, positive?: string): string[] {
  const seen = [...new Set(labelsOf(col, 'training'))];
  const classes =
    col.type === 'number'
      ? seen.sort((a, b) => Number(a) - Number(b))
      : seen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classes.length < 2) {
    throw new SluiceError('DATA_INVALID', `Target column '${col.name}' has only one class (${classes.map((c) => `'${c}'`).join('') || 'no rows'}); a classifier needs at least two`, {
      where: `column '${col.name}'`,
      hint: 'Check the data filter or the target column: every class must appear in the training data',
    });
  }
  if (task === 'binary') {
    if (classes.length > 2) {
      throw new SluiceError('DATA_INVALID', `Binary task, but target column '${col.name}' has ${classes.length} classes (${classes.slice(0, 5).join(', ')}${classes.length > 5 ? ', ...' : ''})`, {
        hint: "Use task 'multiclass', or map the labels to two classes first",
      });
    }
    if (positive !== undefined) {
      if (!classes.includes(positive)) {
        throw new SluiceError('USAGE', `Positive class '${positive}' is not among the labels of '${col.name}' (${classes.join(', ')})`);
      }
      return [classes.find((c) => c !== positive)!, positive];
    }
  }
  return classes;
}

/** Class indices per row for a known list of classes; a label not in it is an error. */
export function encodeClasses(col: Column, classes: string[], where: string): Float64Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = labelsOf(col, where);
  const y = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const k = index.get(labels[i]);
    if (k === undefined) {
      throw new SluiceError('DATA_INVALID', `Label '${labels[i]}' at row ${i} of the ${where} data is not a training class (${classes.join(', ')})`, {
        where: `column '${col.name}'`,
      });
    }
    y[i] = k;
  }
  return y;
}

export function encodeRegression(col: Column, where: string): Float64Array {
  if (col.type !== 'number') {
    throw new SluiceError('SCHEMA_MISMATCH', `Regression target '${col.name}' must be a numeric column; it holds strings`);
  }
  const bad = col.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new SluiceError('DATA_INVALID', `Target column '${col.name}' has a missing or non-finite value at row ${bad} of the ${where} data`, {
      where: `column '${col.name}'`,
      hint: 'Drop or fill rows without a finite target before training',
    });
  }
  return col.values;
}
