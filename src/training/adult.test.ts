/**
 * End to end on UCI Adult: train on adult.data (without fnlwgt), evaluate on adult.test.
 * Logistic regression is known to reach about 15% test error on this split (adult.names lists
 * 14–21% for classic algorithms).
 */
import { describe, expect, it } from 'vitest';
import { binaryClassificationMetrics } from '../evaluation/metrics.js';
import { predictProba, trainLogisticRegression } from './logistic.js';
import { readAdult } from '../../test/helpers/adult.js';


describe('logistic regression on UCI Adult', () => {
  const train = readAdult('adult.data');
  const test = readAdult('adult.test');
  const options = { target: 'Y', positive: '>50K', exclude: ['fnlwgt'] };

  it('reaches about 15% test error and ROC AUC above 0.89', () => {
    expect([train.rowCount, test.rowCount]).toEqual([32561, 16281]);
    const { model, converged, iterations } = trainLogisticRegression(train, options);
    expect(converged).toBe(true);
    expect(iterations).toBeLessThan(20);
    expect(model.featureNames.length).toBeGreaterThan(90);
    const y = Uint8Array.from((test.columns.find((c) => c.name === 'Y')!.values as string[]), (v) => (v === '>50K' ? 1 : 0));
    const m = binaryClassificationMetrics(y, predictProba(model, test));
    expect(m.accuracy).toBeGreaterThan(0.84);
    expect(m.accuracy).toBeLessThan(0.86);
    expect(m.roc_auc).toBeGreaterThan(0.89);
  });

  it('is deterministic: two runs give bit-identical weights', () => {
    const a = trainLogisticRegression(train, options).model;
    const b = trainLogisticRegression(train, options).model;
    const bits = (m: typeof a) => Buffer.from(Float64Array.from([...m.weights, m.intercept]).buffer);
    expect(bits(a).equals(bits(b))).toBe(true);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
