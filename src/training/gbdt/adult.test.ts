/**
 * The GBDT on real data: UCI Adult, adult.data for training, adult.test for testing. The best
 * of the 16 classic algorithms in adult.names reaches 14.05% test error; issue 5 asks for 13.5%.
 */
import { describe, expect, it } from 'vitest';
import { predictGbdt, trainGbdt } from './index.js';
import { readAdult } from '../../../test/helpers/adult.js';


describe('GBDT on UCI Adult', () => {
  const train = readAdult('adult.data');
  const test = readAdult('adult.test');
  const options = { task: 'binary' as const, target: 'Y', positive: '>50K', seed: 42 };

  it('reads the data as expected', () => {
    expect(train.rowCount).toBe(32561);
    expect(test.rowCount).toBe(16281);
    expect(train.columns.filter((c) => c.type === 'number').map((c) => c.name)).toEqual([
      'age',
      'fnlwgt',
      'education-num',
      'capital-gain',
      'capital-loss',
      'hours-per-week',
    ]);
  });

  it('beats 13.5% test error, deterministically', () => {
    const first = trainGbdt(train, options);
    const p = predictGbdt(first.model, test);
    const y = test.columns.find((c) => c.name === 'Y')!.values as string[];
    let wrong = 0;
    for (let i = 0; i < y.length; i++) if (p[i] >= 0.5 !== (y[i] === '>50K')) wrong++;
    expect(wrong / y.length).toBeLessThan(0.135);
    expect(first.model.trees.length).toBe(200);
    expect(first.warnings).toEqual([]);

    const second = predictGbdt(trainGbdt(train, options).model, test);
    expect(Array.from(second)).toEqual(Array.from(p));
  });
});
