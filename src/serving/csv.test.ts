import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../training/package/index.js';
import { csvToBatch, parseCsv } from './csv.js';

const signature: ModelSignature = {
  format: 'sluice-signature',
  version: 1,
  task: 'regression',
  inputs: [
    { name: 'x', type: 'float32', shape: [null, 1], nullable: true, missing: 'NaN' },
    { name: 'city', type: 'string', shape: [null, 1], nullable: true, missing: '' },
  ],
  outputs: [{ name: 'y', type: 'float32', shape: [null], role: 'value' }],
};

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, LF or CRLF', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","1\n2"\n,\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '1\n2'],
      ['', ''],
    ]);
    expect(parseCsv('a')).toEqual([['a']]);
    expect(parseCsv('')).toEqual([]);
  });
});

describe('csvToBatch', () => {
  it('types numeric columns from the signature; empty or NaN cells are missing', () => {
    const batch = csvToBatch(signature, '\ufeffcity,x\n"Paris",1.5\nRome,\n,NaN\n');
    expect(batch.rows).toBe(3);
    expect(Array.from(batch.columns[0] as Float32Array)).toEqual([1.5, NaN, NaN]);
    expect(batch.columns[1]).toEqual(['Paris', 'Rome', '']);
  });

  it('names the column and row of a cell that is not a number, and refuses unknown columns', () => {
    expect(() => csvToBatch(signature, 'x\n1\n0x10\n')).toThrow("Field 'x' of record 1 must be a number (float32); got the string '0x10'");
    expect(() => csvToBatch(signature, 'x,y\n1,2\n')).toThrow("Field 'y' of record 0 is not an input of the model");
    expect(() => csvToBatch(signature, 'x\n1e39\n')).toThrow("Field 'x' of record 0 is out of the range of float32; got 1e+39");
    expect(() => csvToBatch(signature, 'x\n')).toThrow('The CSV rows list is empty');
  });
});
