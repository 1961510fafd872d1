import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import type { Table } from '../../data/table.js';
import { predictProba, trainLogisticRegression } from '../logistic.js';
import { readAdult, tableRecords } from '../../../test/helpers/adult.js';
import { toOnnx } from '../onnx/index.js';
import {
  loadOnnxSession,
  predictRecords,
  predictTable,
  readModelPackage,
  writeModelPackage,
  type ModelCardInput,
  type ModelSignature,
} from './index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-package-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function errorOf(p: Promise<unknown>): Promise<SluiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a SluiceError');
}

const small: Table = {
  rowCount: 8,
  columns: [
    { name: 'age', type: 'number', values: Float64Array.from([20, 30, 40, 50, 60, 35, 45, NaN]) },
    { name: 'job', type: 'string', values: ['a', 'b', 'a', 'b', 'c', 'c', null, 'a'] },
    { name: 'y', type: 'string', values: ['no', 'no', 'yes', 'yes', 'yes', 'no', 'no', 'yes'] },
  ],
};
const { model } = trainLogisticRegression(small, { target: 'y', positive: 'yes', l2: 0.1 });
const { onnx, signature } = toOnnx(model);
const card: ModelCardInput = {
  name: 'income',
  version: '3',
  intendedUse: 'Ranking census records by the chance of an income above 50K, for research.',
  data: { training: { description: 'UCI Adult, adult.data', rows: 8 }, evaluation: { description: 'UCI Adult, adult.test' } },
  metrics: { roc_auc: 0.9 },
  limitations: ['Census data from 1994.'],
  trainer: 'sluice.logistic_regression',
  params: { l2: 0.1 },
};
const metadata = { trainer: 'sluice.logistic_regression', params: { l2: 0.1 }, metrics: { roc_auc: 0.9 }, datasetVersions: { train: 'ds_1' }, runId: 'run_7', note: 'kept' };

describe('writeModelPackage and readModelPackage', () => {
  it('write the four files and read them back', async () => {
    const dir = await tempDir();
    await writeModelPackage(dir, { onnx, signature, metadata, card });
    const pkg = await readModelPackage(dir);
    expect(pkg.signature).toEqual(signature);
    expect(pkg.metadata).toEqual(metadata); // unknown keys are kept
    expect(pkg.card).toMatch(/^# Model card: income \(version 3\)/);
    expect(pkg.card).toContain('| age | float32 | [N, 1] | NaN |'); // the signature went into the card
    expect(new Uint8Array(await readFile(join(dir, 'model.onnx')))).toEqual(onnx);
    expect(JSON.parse(await readFile(join(dir, 'signature.json'), 'utf8'))).toEqual(signature);
  });

  it('create the onnxruntime session on first use only, once', async () => {
    const dir = await tempDir();
    await writeModelPackage(dir, { onnx, signature, metadata, card: '# card\n' });
    const pkg = await readModelPackage(dir);
    const first = await pkg.session();
    expect(await pkg.session()).toBe(first);
    expect([...first.inputNames]).toEqual(['age', 'job']);
  });

  it('refuse to write a signature that does not match the graph', async () => {
    const wrong: ModelSignature = { ...signature, inputs: [{ ...signature.inputs[0], name: 'agee' }, signature.inputs[1]] };
    const e = await errorOf(writeModelPackage(await tempDir(), { onnx, signature: wrong, metadata, card: '' }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/input 'agee' is not in the graph.*graph input 'age' is not in the signature/);
    const retyped: ModelSignature = { ...signature, inputs: [{ ...signature.inputs[0], type: 'float64' }, signature.inputs[1]] };
    expect((await errorOf(writeModelPackage(await tempDir(), { onnx, signature: retyped, metadata, card: '' }))).message).toMatch(
      /input 'age' is float64 in the signature but not in the graph/,
    );
  });

  it('refuse invalid metadata, naming the field', async () => {
    const e = await errorOf(writeModelPackage(await tempDir(), { onnx, signature, metadata: { ...metadata, metrics: { auc: 'high' } } as never, card: '' }));
    expect(e.message).toMatch(/Invalid metadata: metrics\.auc/);
  });

  it('report a missing file, invalid JSON and an invalid signature with the file', async () => {
    const dir = await tempDir();
    await writeModelPackage(dir, { onnx, signature, metadata, card: '' });
    await rm(join(dir, 'MODEL_CARD.md'));
    let e = await errorOf(readModelPackage(dir));
    expect([e.code, e.message]).toEqual(['ARTIFACT_MISSING', `The model package in ${dir} has no MODEL_CARD.md`]);

    await writeFile(join(dir, 'MODEL_CARD.md'), '');
    await writeFile(join(dir, 'metadata.json'), '{ trainer: ');
    e = await errorOf(readModelPackage(dir));
    expect(e.code).toBe('ARTIFACT_CORRUPT');
    expect(e.message).toMatch(/metadata\.json is not valid JSON/);

    await writeFile(join(dir, 'metadata.json'), JSON.stringify(metadata));
    await writeFile(join(dir, 'signature.json'), JSON.stringify({ ...signature, inputs: [{ name: 'age', type: 'float16' }] }));
    e = await errorOf(readModelPackage(dir));
    expect(e.code).toBe('ARTIFACT_CORRUPT');
    expect(e.where).toBe(join(dir, 'signature.json'));
    expect(e.message).toMatch(/inputs\.0\.type/);
  });

  it('loadOnnxSession reports a file onnxruntime cannot load', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'model.onnx'), 'not a model');
    const e = await errorOf(loadOnnxSession(dir));
    expect(e.code).toBe('ARTIFACT_CORRUPT');
    expect(e.message).toMatch(/onnxruntime cannot load/);
  });
});

describe('predictRecords', () => {
  const pkgDir = tempDir().then(async (dir) => {
    await writeModelPackage(dir, { onnx, signature, metadata, card: '' });
    return dir;
  });
  const session = pkgDir.then((dir) => loadOnnxSession(dir));

  it('predicts like the TypeScript model, with absent, null and NaN fields as missing', async () => {
    const records = [{ age: 33, job: 'b' }, { age: null, job: null }, { job: 'unseen', extra: 'ignored' }, { age: NaN, job: 'c' }];
    const out = await predictRecords(await session, signature, records);
    const expected = predictProba(model, {
      rowCount: 4,
      columns: [
        { name: 'age', type: 'number', values: Float64Array.from([33, NaN, NaN, NaN]) },
        { name: 'job', type: 'string', values: ['b', null, 'unseen', 'c'] },
      ],
    });
    expect(out.rows).toBe(4);
    out.probabilities!.forEach((row, i) => expect(row[1]).toBeCloseTo(expected[i], 6));
    expect(out.labels).toEqual(Array.from(expected, (p) => (p > 0.5 ? 'yes' : 'no')));
  });

  it('names the field, the record and the expected type of a bad value', async () => {
    const s = await session;
    let e = await errorOf(predictRecords(s, signature, [{ age: 30, job: 'a' }, { age: '30', job: 'a' }]));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toBe("Field 'age' of record 1 must be a number (float32); got the string '30'");
    e = await errorOf(predictRecords(s, signature, [{ age: Infinity, job: 3 }]));
    expect(e.message).toBe("Field 'age' of record 0 must be a number (float32); got Infinity (and 1 more)");
    expect(e.details?.errors).toEqual([
      "Field 'age' of record 0 must be a number (float32); got Infinity",
      "Field 'job' of record 0 must be a string; got 3",
    ]);
    e = await errorOf(predictRecords(s, signature, [{ age: 1, job: 'a' }, 'row' as never]));
    expect(e.message).toBe("Record 1 is not an object: the string 'row'");
  });

  it('refuses a missing value where the signature does not allow one', async () => {
    const strict: ModelSignature = { ...signature, inputs: signature.inputs.map((i) => ({ ...i, nullable: false })) };
    const e = await errorOf(predictRecords(await session, strict, [{ age: 30 }]));
    expect(e.message).toBe("Field 'job' of record 0 is required (a string)");
  });
});

describe('predictTable', () => {
  it('refuses a column of the wrong kind, and inputs wider than one column', async () => {
    const dir = await tempDir();
    await writeModelPackage(dir, { onnx, signature, metadata, card: '' });
    const s = await loadOnnxSession(dir);
    const table: Table = {
      rowCount: 1,
      columns: [
        { name: 'age', type: 'string', values: ['30'] },
        { name: 'job', type: 'string', values: ['a'] },
      ],
    };
    expect((await errorOf(predictTable(s, signature, table))).message).toBe("Column 'age' holds strings; the model needs numbers (float32)");
    const wide: ModelSignature = { ...signature, inputs: [{ ...signature.inputs[0], shape: [null, 3] }] };
    expect((await errorOf(predictTable(s, wide, small))).message).toMatch(/^Input 'age' has shape \[N, 3\]: records and tables/);
  });
});

describe('a model package of logistic regression on UCI Adult', () => {
  it('predicts the whole test set from records within 1e-5 of TypeScript', async () => {
    const adult = trainLogisticRegression(readAdult('adult.data'), { target: 'Y', positive: '>50K' }).model;
    const dir = await tempDir();
    await writeModelPackage(dir, { ...toOnnx(adult), metadata: { trainer: 'sluice.logistic_regression' }, card: { ...card, signature: undefined } });
    const pkg = await readModelPackage(dir);
    const test = readAdult('adult.test');
    const out = await predictRecords(await pkg.session(), pkg.signature, tableRecords(test));
    const expected = predictProba(adult, test);
    let max = 0;
    out.probabilities!.forEach((row, i) => (max = Math.max(max, Math.abs(row[1] - expected[i]))));
    expect(out.rows).toBe(16281);
    expect(max).toBeLessThan(1e-5);
  });
});
