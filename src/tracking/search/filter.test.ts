import { describe, expect, it } from 'vitest';
import { RUN_GRAMMAR } from './runs.js';
import { parseFilter } from './filter.js';
import { parseOrderBy } from './order-by.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { likeToGlob } from './sql.js';

const parse = (filter: string) => parseFilter(filter, RUN_GRAMMAR);

describe('parseFilter', () => {
  it('reads comparisons joined by AND, with every entity prefix MLflow accepts', () => {
    expect(parse("metrics.rmse < 0.5 and params.model = 'tree' AND tags.team != \"ml\"")).toEqual([
      { type: 'metric', key: 'rmse', comparator: '<', value: 0.5 },
      { type: 'param', key: 'model', comparator: '=', value: 'tree' },
      { type: 'tag', key: 'team', comparator: '!=', value: 'ml' },
    ]);
    for (const prefix of ['metric', 'metrics']) expect(parse(`${prefix}.a >= -1e3`)[0]).toMatchObject({ type: 'metric', value: -1000 });
    for (const prefix of ['param', 'params', 'parameter', 'parameters']) expect(parse(`${prefix}.a = 'x'`)[0].type).toBe('param');
    for (const prefix of ['attribute', 'attributes', 'attr', 'run']) expect(parse(`${prefix}.status = 'FINISHED'`)[0]).toMatchObject({ type: 'attribute', key: 'status' });
    expect(parse("dataset.name IN ('a', 'b')")[0]).toEqual({ type: 'dataset', key: 'name', comparator: 'IN', value: ['a', 'b'] });
  });

  it('reads quoted and dotted keys, aliases, LIKE, IN and IS NULL', () => {
    expect(parse('tags.`mlflow.runName` LIKE \'a%\'')[0]).toEqual({ type: 'tag', key: 'mlflow.runName', comparator: 'LIKE', value: 'a%' });
    expect(parse('tags.mlflow.user = "ada"')[0]).toMatchObject({ key: 'mlflow.user' });
    expect(parse('metrics."val loss" <= 2')[0]).toMatchObject({ key: 'val loss', value: 2 });
    expect(parse('created > 5')[0]).toMatchObject({ type: 'attribute', key: 'start_time' });
    expect(parse("run_id NOT IN ('a')")[0]).toMatchObject({ comparator: 'NOT IN', value: ['a'] });
    expect(parse('params.x is not null and tags.y IS NULL').map((c) => c.comparator)).toEqual(['IS NOT NULL', 'IS NULL']);
    expect(parse("params.q = 'it''s'")[0].value).toBe("it's");
    expect(parse('   ')).toEqual([]);
  });

  it('refuses OR, parentheses, wrong value types, unknown keys and comparators, naming the problem', () => {
    const bad: [string, string][] = [
      ['metrics.a > 1 or metrics.b > 1', 'Invalid clause'],
      ['(metrics.a > 1)', 'Invalid clause'],
      ["metrics.a > '1'", 'numeric value'],
      ['params.a = 1', 'quoted string'],
      ["status IN ('a')", "Invalid comparator 'IN'"],
      ['metrics.a LIKE 1', "Invalid comparator 'LIKE'"],
      ['bogus.a = 1', "Invalid entity type 'bogus'"],
      ["nope = 'x'", "Invalid attribute key 'nope'"],
      ["dataset.size = 'x'", "Invalid dataset key 'size'"],
      ['metrics.a >', 'Invalid clause'],
      ['metrics.a > 1 and', 'Invalid clause'],
      ["params.a = 'open", 'unterminated'],
      ['metrics.a ~ 1', "unexpected '~'"],
    ];
    for (const [filter, message] of bad) expect(() => parse(filter), filter).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining(message) }));
  });
});

describe('order_by, page tokens, LIKE on SQLite', () => {
  it('parses "<identifier> [ASC|DESC]"', () => {
    expect(parseOrderBy(['metrics.rmse', 'params.`a b` desc', 'start_time ASC'], RUN_GRAMMAR)).toEqual([
      { type: 'metric', key: 'rmse', ascending: true },
      { type: 'param', key: 'a b', ascending: false },
      { type: 'attribute', key: 'start_time', ascending: true },
    ]);
    expect(() => parseOrderBy(['metrics.rmse up'], RUN_GRAMMAR)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('round-trips page tokens and refuses forged ones', () => {
    expect(decodePageToken(encodePageToken(1234))).toBe(1234);
    expect(decodePageToken(undefined)).toBe(0);
    for (const token of ['x', Buffer.from('{"offset":-1}').toString('base64'), Buffer.from('[]').toString('base64')]) {
      expect(() => decodePageToken(token)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });

  it("translates LIKE's wildcards to GLOB's and makes GLOB's own literal", () => {
    expect(likeToGlob('a%b_c*d?e[f')).toBe('a*b?c[*]d[?]e[[]f');
  });
});

describe('filter size', () => {
  it('refuses filters too large for one query', () => {
    const list = `run_id IN (${Array.from({ length: 10_001 }, (_, i) => `'${i}'`).join(',')})`;
    expect(() => parse(list)).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('too large') }));
    const many = Array.from({ length: 201 }, (_, i) => `metrics.m${i} > 0`).join(' and ');
    expect(() => parse(many)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
