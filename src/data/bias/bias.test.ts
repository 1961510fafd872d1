import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import { lit, withDuckDB } from '../duckdb.js';
import { biasConfigSchema, dataBias, formatBiasReport, type BiasConfigInput } from './index.js';

const ADULT = `read_csv(${lit(path.resolve('examples/income/data/adult.data'))}, header = true, delim = ', ', nullstr = '?')`;

describe('dataBias on the Adult census data', () => {
  it('gives the per-group counts and label rates of an independent GROUP BY', async () => {
    await withDuckDB(async (conn) => {
      const r = await dataBias(conn, ADULT, { sensitive: ['sex', 'race', 'workclass'], label: 'Y', positive: '>50K' });
      expect(r.rowCount).toBe(32561);
      expect(r.attributes.find((a) => a.attribute === 'sex')!.groups.find((g) => g.group === 'Male')!.count).toBe(21790);

      for (const attribute of ['sex', 'race', 'workclass']) {
        const expected = (await conn.runAndReadAll(
          `SELECT coalesce(${attribute}, '(missing)') AS g, count(*)::INT AS n, sum(CASE WHEN Y = '>50K' THEN 1 ELSE 0 END)::INT AS pos
           FROM ${ADULT} GROUP BY ALL ORDER BY n DESC, g`,
        )).getRowObjectsJS();
        const a = r.attributes.find((x) => x.attribute === attribute)!;
        expect(a.groups.map((g) => ({ g: g.group, n: g.count, pos: g.positives }))).toEqual(expected);
        for (const g of a.groups) {
          expect(g.share).toBeCloseTo(g.count / 32561, 12);
          expect(g.positiveRate).toBeCloseTo(g.positives / g.count, 12);
        }
      }

      const sex = r.attributes[0];
      // 1179 of 10771 women and 6662 of 21790 men earn >50K.
      expect(sex.labelRateRatio).toBeCloseTo((1179 / 10771) / (6662 / 21790), 12);
      expect(sex).toMatchObject({ lowestRateGroup: 'Female', highestRateGroup: 'Male', smallestGroup: 'Female', status: 'warn' });
      expect(sex.reasons).toEqual(["Label rate ratio 'Female' / 'Male' 0.358 is under 0.8 (warn)"]);
      expect(r.attributes[1]).toMatchObject({ lowestRateGroup: 'Other', highestRateGroup: 'Asian-Pac-Islander', smallestGroup: 'Other' });
      // workclass has missing values ('?'): they form their own group.
      expect(r.attributes[2].groups.find((g) => g.group === '(missing)')!.count).toBe(1836);
      expect(r.positiveRate).toBeCloseTo(7841 / 32561, 12);
      expect(r.status).toBe('warn');
      expect(formatBiasReport(r)).toContain('    Female      10771   33.1%     10.9%');
    });
  });

  it('fails on thresholds that the data breaks, passes when they are met', async () => {
    await withDuckDB(async (conn) => {
      const strict = await dataBias(conn, ADULT, {
        sensitive: ['sex', 'race'], label: 'Y', positive: '>50K',
        thresholds: { min_group_share: { warn: 0.05, fail: 0.01 }, label_rate_ratio: { fail: 0.3 } },
      });
      expect(strict.attributes.map((a) => [a.attribute, a.status, a.reasons])).toEqual([
        ['sex', 'pass', []],
        ['race', 'fail', ["Share of group 'Other' 0.0083 is under 0.01 (fail)"]],
      ]);
      expect(strict.status).toBe('fail');
    });
  });

  it('explains a positive label that no row has, and a missing column', async () => {
    await withDuckDB(async (conn) => {
      const raw = `read_csv(${lit(path.resolve('examples/income/data/adult.data'))}, header = true)`;
      // Read raw, the label values start with a space: trimming makes them match anyway.
      expect((await dataBias(conn, raw, { sensitive: ['sex'], label: 'Y', positive: '>50K' })).attributes[0].groups.map((g) => g.group)).toEqual([' Male', ' Female']);
      const err = await dataBias(conn, ADULT, { sensitive: ['sex'], label: 'Y', positive: '>50k' }).catch((e) => e);
      expect(err).toBeInstanceOf(SluiceError);
      expect(err).toMatchObject({ code: 'DATA_INVALID', message: "Bias check: no row has label '>50k' in column 'Y'", hint: "Values of 'Y' include '<=50K', '>50K'." });
      await expect(dataBias(conn, ADULT, { sensitive: ['gender'], label: 'Y', positive: '>50K' })).rejects.toThrow("Bias check: column 'gender' is not in the dataset");
      await expect(dataBias(conn, `(SELECT * FROM ${ADULT} LIMIT 0)`, { sensitive: ['sex'], label: 'Y', positive: '>50K' })).rejects.toThrow('Bias check: the dataset has no rows');
    });
  });
});

describe('dataBias on small data', () => {
  const run = (options: BiasConfigInput, fn?: (conn: DuckDBConnection) => Promise<void>) =>
    withDuckDB(async (conn) => {
      // group a: 4 rows, 3 positive; b: 4 rows, 1 positive (one label missing); missing: 2 rows, 1 positive.
      await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES
        ('a', 1), ('a', 1), ('a', 1), ('a', 0), ('b', 1), ('b', 0), ('b', 0), ('b', NULL), (NULL, 1), (NULL, 0)) v(g, y)`);
      await fn?.(conn);
      return dataBias(conn, 't', options);
    });

  it('puts missing values in their own group and rates over labelled rows', async () => {
    const r = await run({ sensitive: ['g'], label: 'y', positive: 1 });
    expect(r.attributes[0].groups).toEqual([
      { group: 'a', count: 4, share: 0.4, labelled: 4, positives: 3, positiveRate: 0.75 },
      { group: 'b', count: 4, share: 0.4, labelled: 3, positives: 1, positiveRate: 1 / 3 },
      { group: '(missing)', count: 2, share: 0.2, labelled: 2, positives: 1, positiveRate: 0.5 },
    ]);
    expect(r.attributes[0]).toMatchObject({ labelRateRatio: (1 / 3) / 0.75, lowestRateGroup: 'b', highestRateGroup: 'a', minGroupShare: 0.2, smallestGroup: '(missing)', status: 'warn' });
    expect(r.positiveRate).toBeCloseTo(5 / 9, 12);
  });

  it('reports no ratio when only one group is labelled', async () => {
    const r = await run({ sensitive: ['g'], label: 'y', positive: '1' }, async (c) => void (await c.run(`UPDATE t SET y = NULL WHERE g IS DISTINCT FROM 'a'`)));
    expect(r.attributes[0]).toMatchObject({ labelRateRatio: null, status: 'pass', reasons: ['Label rate ratio not computed: fewer than two groups have labelled rows'] });
  });
});

describe('biasConfigSchema', () => {
  it('fills defaults and reads the positive label as text', () => {
    expect(biasConfigSchema.parse({ sensitive: ['sex'], label: 'Y', positive: 1 })).toEqual({ sensitive: ['sex'], label: 'Y', positive: '1', thresholds: {} });
  });

  it('rejects fail above warn, unknown keys and repeated attributes', () => {
    const bad = [
      { sensitive: ['sex'], label: 'Y', positive: '1', thresholds: { label_rate_ratio: { warn: 0.7, fail: 0.8 } } },
      { sensitive: ['sex'], label: 'Y', positive: '1', thresholds: { ratio: { warn: 0.8 } } },
      { sensitive: ['sex', 'sex'], label: 'Y', positive: '1' },
      { sensitive: [], label: 'Y', positive: '1' },
    ];
    expect(bad.map((b) => biasConfigSchema.safeParse(b).success)).toEqual([false, false, false, false]);
  });
});
