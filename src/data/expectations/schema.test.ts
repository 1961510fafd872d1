import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { expectationSchema, expectationsFileSchema } from './schema.js';

const messages = (input: unknown) => {
  const r = expectationSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('expectationSchema', () => {
  it('reads every kind of the documented example', () => {
    const text = `
expectations:
  - { column: age, expect: type, type: integer }
  - { column: age, expect: not_null, mostly: 0.99 }
  - { column: age, expect: between, min: 17, max: 90, mostly: 0.999, severity: warn }
  - { column: workclass, expect: in_set, values: [Private, Self-emp-not-inc] }
  - { column: income, expect: regex, pattern: '^(<=50K|>50K)$' }
  - { column: id, expect: unique }
  - { expect: row_count_between, min: 1000, max: 100000 }
  - { column: age, expect: mean_between, min: 30, max: 45 }
  - { column: age, expect: quantile_between, quantile: 0.5, min: 30, max: 45 }
  - { column: age, expect: distribution, test: ks, threshold: 0.1 }
  - { column: day, expect: between, min: '2001-01-01', description: 'No flights before the data starts.' }
`;
    const { expectations } = expectationsFileSchema.parse(parseYaml(text));
    expect(expectations.map((e) => e.expect)).toEqual([
      'type', 'not_null', 'between', 'in_set', 'regex', 'unique', 'row_count_between', 'mean_between', 'quantile_between', 'distribution', 'between',
    ]);
    expect(expectations[2]).toEqual({ column: 'age', expect: 'between', min: 17, max: 90, strict_min: false, strict_max: false, mostly: 0.999, severity: 'warn' });
  });

  it('fills in severity fail and mostly 1', () => {
    expect(expectationSchema.parse({ column: 'age', expect: 'not_null' })).toEqual({ column: 'age', expect: 'not_null', mostly: 1, severity: 'fail' });
  });

  it('rejects unknown keys, including mostly where it does not apply', () => {
    for (const input of [
      { column: 'age', expect: 'not_null', mostley: 0.9 },
      { column: 'age', expect: 'mean_between', min: 1, mostly: 0.9 },
      { expect: 'row_count_between', min: 1, column: 'age' },
    ]) {
      const r = expectationSchema.safeParse(input);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].code).toBe('unrecognized_keys');
    }
  });

  it('explains bad values in plain words', () => {
    expect(messages({ column: 'age', expect: 'not_null', mostly: 0 })).toEqual(['expected a number greater than 0 and at most 1, got 0']);
    expect(messages({ column: 'age', expect: 'not_null', mostly: 1.5 })).toEqual(['expected a number greater than 0 and at most 1, got 1.5']);
    expect(messages({ column: 'age', expect: 'between' })).toEqual(['give min, max or both']);
    expect(messages({ column: 'age', expect: 'between', min: 9, max: 1 })).toEqual(['min must not be greater than max']);
    expect(messages({ column: 'x', expect: 'regex', pattern: '(' })).toEqual(["'(' is not a valid regular expression"]);
    expect(messages({ column: 'x', expect: 'in_set', values: [] }).length).toBe(1);
    expect(messages({ column: 'age', expect: 'distribution', test: 'kolmogorov' }).length).toBe(1);
  });

  it('names the expectation kinds when expect is unknown', () => {
    const r = expectationSchema.safeParse({ column: 'age', expect: 'nonnull' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'invalid_union', discriminator: 'expect' });
  });
});
