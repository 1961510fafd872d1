/**
 * Bad input gets a 4xx that names what is wrong, in the error format of the protocol asked;
 * big batches pass, over-large bodies get 413, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, RECORD, records, removeDir, serveIncome, type Served } from './_income.js';

let s: Served;

beforeAll(async () => {
  s = await serveIncome({ logSample: 0 });
});

afterAll(async () => {
  await s?.close();
  if (s) removeDir(s.dir);
});

const predict = (body: unknown, headers?: Record<string, string>) => call(s.url, 'POST', '/predict', body, headers);

describe('signature checks on /predict', () => {
  it('names a field of the wrong type, the record, what was expected and what came', async () => {
    const r = await predict([RECORD, { ...RECORD, age: '39' }]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'DATA_INVALID', message: expect.stringMatching(/^Field 'age' of record 1 must be a number \(float(32|64)\); got the string '39'$/) });
    expect(r.body.error.hint).toContain("'age' (number");
    const s2 = await predict([{ ...RECORD, sex: 1 }]);
    expect(s2.body.error.message).toBe("Field 'sex' of record 0 must be a string; got 1");
  });

  it('refuses a field the model does not take, and suggests the near name', async () => {
    const r = await predict([{ ...RECORD, education_num: 13 }]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("Field 'education_num' of record 0 is not an input of the model (did you mean 'education-num'?)");
    expect((await predict([{ ...RECORD, income: '>50K' }])).body.error.message).toContain("Field 'income' of record 0 is not an input");
  });

  it('refuses Infinity and explains that JSON has no NaN', async () => {
    const inf = await predict(`[${JSON.stringify({ ...RECORD, age: 1 }).replace('"age":1', '"age":1e999')}]`);
    expect(inf.status).toBe(400);
    expect(inf.body.error.message).toContain("Field 'age' of record 0 must be a finite number");
    const nan = await predict(`[${JSON.stringify(RECORD).replace('"age":39', '"age":NaN')}]`);
    expect(nan.status).toBe(400);
    expect(nan.body.error.message).toMatch(/^Malformed JSON body/);
    expect(nan.body.error.hint).toBe('JSON has no NaN or Infinity: write null for a missing value.');
  });

  it('reports the first ten problems and counts the rest', async () => {
    const r = await predict(Array.from({ length: 30 }, () => ({ ...RECORD, age: true })));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('(and 29 more)');
    expect(r.body.error.details.errors).toHaveLength(10);
    expect(r.body.error.details.count).toBe(30);
  });

  it('refuses malformed JSON, an empty body, a body of the wrong shape and an empty list', async () => {
    expect(await predict('{"records": [')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^Malformed JSON body/) } } });
    expect(await predict('')).toMatchObject({ status: 400, body: { error: { message: 'The request body is empty: send JSON' } } });
    expect((await call(s.url, 'POST', '/predict')).status).toBe(400);
    expect(await predict({ rows: [RECORD] })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("a field 'rows'") } } });
    expect(await predict('"text"')).toMatchObject({ status: 400 });
    expect(await predict([])).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('empty') } } });
    expect(await predict([[39, 'State-gov']])).toMatchObject({ status: 400, body: { error: { message: 'Record 0 must be an object; got an array' } } });
    expect(await predict('x=1', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  });

  it('refuses a CSV body with a bad number or a ragged row', async () => {
    const bad = await predict('age,sex\n39,Male\nold,Female\n', { 'content-type': 'text/csv' });
    expect(bad.body.error.message).toMatch(/^Field 'age' of record 1 must be a number \(float(32|64)\); got the string 'old'$/);
    expect((await predict('age,sex\n39\n', { 'content-type': 'text/csv' })).body.error.message).toBe('CSV row 1 has 1 cells; the header has 2');
    expect((await predict('age,"sex\n39,x\n', { 'content-type': 'text/csv' })).body.error.message).toContain('unclosed quote');
  });
});

describe('the other protocols', () => {
  it('answers OIP errors as {"error": message}', async () => {
    const infer = (body: unknown) => call(s.url, 'POST', '/v2/models/income/infer', body);
    expect((await infer({ inputs: [{ name: 'age', datatype: 'BYTES', shape: [1, 1], data: ['39'] }] })).body).toEqual({
      error: expect.stringMatching(/^Input 'age' has datatype 'BYTES'; the model takes a numeric datatype such as FP(32|64)$/),
    });
    expect((await infer({ inputs: [{ name: 'age', datatype: 'FP32', shape: [2, 1], data: [39] }] })).body.error).toBe("Input 'age' has shape [2, 1] but 1 values");
    expect((await infer({ inputs: [{ name: 'age', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] })).body.error).toContain('the model takes [N, 1] or [N]');
    expect((await infer({ inputs: [{ name: 'Age', datatype: 'FP32', shape: [1], data: [1] }] })).body.error).toBe("Input 'Age' is not an input of the model (did you mean 'age'?)");
    expect((await infer({ inputs: [{ name: 'sex', datatype: 'BYTES', shape: [1], data: [7] }] })).body.error).toContain("Input 'sex' at row 0 must be a string; got 7");
    const twoSizes = await infer({
      inputs: [
        { name: 'age', datatype: 'FP32', shape: [1], data: [1] },
        { name: 'sex', datatype: 'BYTES', shape: [2], data: ['Male', 'Female'] },
      ],
    });
    expect(twoSizes.body.error).toBe("Input 'sex' has 2 rows; the inputs before it have 1");
    expect((await infer({ inputs: [] })).body.error).toContain('"inputs" must be a non-empty list');
    expect((await infer({ inputs: [{ name: 'age', datatype: 'FP32', shape: [1], data: [1] }], outputs: [{ name: 'logits' }] })).body.error).toContain("'label', 'probabilities'");
    const malformed = await call(s.url, 'POST', '/v2/models/income/infer', '{', {});
    expect(malformed.status).toBe(400);
    expect(typeof malformed.body.error).toBe('string');
  });

  it('answers MLflow errors as {"error_code", "message"}', async () => {
    const r = await call(s.url, 'POST', '/invocations', { dataframe_split: { columns: ['age', 'age'], data: [[1, 2]] } });
    expect(r).toMatchObject({ status: 400, body: { error_code: 'BAD_REQUEST', message: 'dataframe_split.columns names a column twice' } });
    const rows = await call(s.url, 'POST', '/invocations', { instances: [[39, 'State-gov']] });
    expect(rows.body.message).toContain('rows as plain lists do not say which value is which column');
    const short = await call(s.url, 'POST', '/invocations', { dataframe_split: { columns: ['age', 'sex'], data: [[39]] } });
    expect(short.body.message).toContain('Row 0 of dataframe_split.data must be a list of 2 values');
    const ragged = await call(s.url, 'POST', '/invocations', { inputs: { age: [1, 2], sex: ['Male'] } });
    expect(ragged.body.message).toBe("Column 'sex' has 1 values; the columns before it have 2");
  });
});

describe('sizes', () => {
  it('predicts a batch of 10,000 records in one request', async () => {
    const r = await predict({ records: records(10_000) });
    expect(r.status).toBe(200);
    expect(r.body.predictions).toHaveLength(10_000);
    const one = await predict([records(10_000)[9_999]]);
    expect(r.body.predictions[9_999]).toEqual(one.body.predictions[0]);
  });

  it('answers 413 to a 50 MB body, in each protocol, and keeps serving', async () => {
    const big = `{"records": [${'"x",'.repeat(12_500_000)}"x"]}`;
    expect(big.length).toBeGreaterThan(50_000_000);
    const r = await call(s.url, 'POST', '/predict', big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringContaining('larger than this server') });
    expect((await call(s.url, 'POST', '/v2/models/income/infer', big)).body).toEqual({ error: expect.stringContaining('larger than this server') });
    expect((await call(s.url, 'POST', '/invocations', big)).body).toMatchObject({ error_code: 'RESOURCE_LIMIT_EXCEEDED' });
    expect((await predict([RECORD])).status).toBe(200);
  });
});
