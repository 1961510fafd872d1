import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { SluiceError } from '../errors.js';
import { loadProject, parseProject, stepResources, type ConfigIssue } from './index.js';

const INCOME = fileURLToPath(new URL('../../examples/income', import.meta.url));

const BASE = `project: demo
sources:
  raw:
    path: data/raw.csv
    columns: { a: integer, y: string }
steps:
  clean:
    kind: prepare
    input: raw
  split:
    kind: split
    input: clean
    fractions: { train: 0.8, test: 0.2 }
  train:
    kind: train
    trainer: logistic_regression
    train: split.train
    target: y
    positive: "yes"
    params: { l2: 0.01 }
    resources: { memory: 2GB }
  evaluate:
    kind: evaluate
    model: train
    data: split.test
gates:
  quality:
    evaluation: evaluate
    checks:
      - { metric: accuracy, op: ">=", threshold: 0.8 }
register:
  model: demo
  from: train
  evaluation: evaluate
  gates: [quality]
`;

/** `line:column` of the first occurrence of `needle` in `text`, plus `skip` characters. */
function at(text: string, needle: string, skip = 0): string {
  if (!text.includes(needle)) throw new Error(`no '${needle}' in text`);
  const before = text.slice(0, text.indexOf(needle) + skip);
  const lines = before.split('\n');
  return `${lines.length}:${lines.at(-1)!.length + 1}`;
}

function edit(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`no '${from}' in text`);
  return text.replace(from, to);
}

function failure(text: string): SluiceError {
  try {
    parseProject(text, 'sluice.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as SluiceError).code).toBe('CONFIG_INVALID');
    return e as SluiceError;
  }
  throw new Error('expected the project to be rejected');
}

/** Each problem as `line:column  path: message`. */
function problems(text: string): string[] {
  const issues = failure(text).details!.issues as ConfigIssue[];
  return issues.map((i) => `${i.line}:${i.column}  ${i.path ? `${i.path}: ` : ''}${i.message}`);
}

describe('loadProject()', () => {
  test('loads the income example with defaults applied', () => {
    const { config, file, dir, hash } = loadProject(INCOME);
    expect(file).toBe(path.join(INCOME, 'sluice.yaml'));
    expect(dir).toBe(INCOME);
    expect(hash).toBe(createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex'));
    expect(config.project).toBe('income');
    expect(config.workspace).toBe('.sluice');
    expect(Object.keys(config)).not.toContain('x-adult-columns');
    const adult = config.sources.adult;
    expect(adult).toMatchObject({ format: 'csv', header: true, nulls: ['?'] });
    expect(Object.keys(adult.columns ?? {}).slice(0, 5)).toEqual(['age', 'workclass', 'fnlwgt', 'education', 'education-num']);
    expect(adult.columns?.['education-num']).toBe('integer');
    expect(config.steps.clean).toEqual({
      kind: 'prepare', input: 'adult', trim: true, nulls: ['?'], rename: { Y: 'income' }, replace: {}, drop: [], drop_missing: [],
    });
    expect(config.steps.clean_test).toMatchObject({ replace: { income: { '>50K.': '>50K', '<=50K.': '<=50K' } } });
    expect(config.steps.split).toMatchObject({ kind: 'split', fractions: { train: 0.8, validation: 0.2 }, seed: 42 });
    expect(config.steps.train).toMatchObject({
      kind: 'train', trainer: 'gbdt', positive: '>50K', exclude: ['fnlwgt'], params: { max_iter: 300, learning_rate: 0.1, max_leaf_nodes: 31 }, seed: 7,
      resources: { cpus: 1, memory: 2_000_000_000, timeout: 600_000 },
    });
    expect(config.steps.baseline).toMatchObject({ kind: 'train', trainer: 'logistic_regression', params: { l2: 0.001, max_iter: 300, tolerance: 1e-7 } });
    expect(config.steps.test).toMatchObject({ kind: 'evaluate', model: 'train', data: 'checked_test', threshold: 0.5, sensitive: ['sex', 'race'] });
    expect(config.steps.checked).toMatchObject({ kind: 'check', input: 'clean', expectations: 'expectations/adult.yaml' });
    expect(config.gates.accuracy.checks[1]).toEqual({ metric: 'roc_auc', op: '>=', threshold: 0.9, severity: 'fail' });
    expect(config.gates.fairness.checks[0]).toEqual({ fairness: 'equalized_odds_difference', attribute: 'sex', op: '<=', threshold: 0.15, severity: 'fail' });
    expect(config.register).toEqual({ model: 'income', from: 'train', evaluation: 'test', gates: ['accuracy', 'fairness'], aliases: ['champion'] });
    expect(config.pii).toEqual({ salt_env: 'SLUICE_PII_SALT', columns: {}, default: 'fail' });
    expect(config.defaults.resources).toEqual({ cpus: 1, memory: 2 ** 30, timeout: 30 * 60_000 });
    expect(stepResources(config, 'train')).toEqual({ cpus: 1, memory: 2_000_000_000, timeout: 600_000 });
    expect(stepResources(config, 'clean')).toEqual(config.defaults.resources);
  });

  test('takes the path of the file itself, and finds sluice.yml', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-config-'));
    writeFileSync(path.join(dir, 'sluice.yml'), BASE);
    expect(loadProject(dir).file).toBe(path.join(dir, 'sluice.yml'));
    expect(loadProject(path.join(dir, 'sluice.yml')).config.project).toBe('demo');
  });

  test('fails with CONFIG_NOT_FOUND and a hint to run sluice init when there is no project file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-config-'));
    for (const target of [dir, path.join(dir, 'missing.yaml')]) {
      expect(() => loadProject(target)).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND', hint: expect.stringContaining('sluice init') }));
    }
  });

  test('refuses a folder with both sluice.yaml and sluice.yml', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-config-'));
    writeFileSync(path.join(dir, 'sluice.yml'), BASE);
    writeFileSync(path.join(dir, 'sluice.yaml'), BASE);
    expect(() => loadProject(dir)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  test('names the file in error messages', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-config-'));
    writeFileSync(path.join(dir, 'sluice.yaml'), edit('project: demo', 'project: 1demo'));
    expect(() => loadProject(dir)).toThrow(/sluice\.yaml:1:10 {2}project: project name '1demo' must start with a letter/);
  });
});

describe('parseProject() errors', () => {
  test('a typo in a top-level key names the key and suggests the right one', () => {
    const text = edit('steps:', 'stepz:');
    expect(failure(text).message).toBe(`sluice.yaml:${at(text, 'stepz')}  stepz: unknown key 'stepz' (did you mean 'steps'?)`);
  });

  test('a typo in a step gives the unknown key and the missing one', () => {
    const text = edit('trainer:', 'trainr:');
    expect(problems(text)).toEqual([
      `${at(text, '  train:', 2)}  steps.train: missing required key 'trainer' (one of 'logistic_regression', 'linear_regression', 'gbdt', 'random_forest')`,
      `${at(text, 'trainr')}  steps.train.trainr: unknown key 'trainr' (did you mean 'trainer'?)`,
    ]);
  });

  test('a value of the wrong type says what was expected and what was found', () => {
    const text = edit('threshold: 0.8', 'threshold: high');
    expect(problems(text)).toEqual([`${at(text, 'high')}  gates.quality.checks[0].threshold: expected a number, got string 'high'`]);
  });

  test('a value outside an enum lists the choices', () => {
    const text = edit('path: data/raw.csv', 'path: data/raw.csv\n    format: xls');
    expect(problems(text)).toEqual([`${at(text, 'xls')}  sources.raw.format: expected one of 'csv', 'tsv', 'parquet', 'json', 'jsonl', 'arrow', got 'xls'`]);
  });

  test('an unknown step kind suggests the closest', () => {
    const text = edit('kind: train', 'kind: trian');
    expect(problems(text)).toEqual([
      `${at(text, 'trian')}  steps.train.kind: expected one of 'prepare', 'sql', 'module', 'split', 'train', 'search', 'evaluate', 'command', 'check', got 'trian' (did you mean 'train'?)`,
    ]);
  });

  test('a missing required key points at its parent', () => {
    const text = edit('    target: y\n', '');
    expect(problems(text)).toEqual([`${at(text, '  train:', 2)}  steps.train: missing required key 'target'`]);
    expect(problems(edit('    positive: "yes"\n', ''))).toEqual([expect.stringContaining("steps.train.positive: a binary task needs 'positive'")]);
    expect(problems(edit('project: demo\n', ''))).toEqual(["1:1  missing required key 'project'"]);
  });

  test('an unknown reference points at the value and suggests a name', () => {
    const text = edit('input: raw', 'input: rwa');
    expect(problems(text)).toEqual([`${at(text, 'rwa')}  steps.clean.input: unknown source or step 'rwa' (did you mean 'raw'?)`]);
  });

  test('a cycle between steps is named in the order data flows', () => {
    const text = edit('input: raw', 'input: raw\n    needs: [evaluate]');
    expect(problems(text)).toEqual([`${at(text, 'clean:')}  steps.clean: steps form a cycle: clean → split → train → evaluate → clean`]);
  });

  test('split fractions must add up to 1', () => {
    const text = edit('test: 0.2', 'test: 0.3');
    expect(problems(text)).toEqual([`${at(text, '{ train: 0.8')}  steps.split.fractions: fractions must add up to 1, but 0.8 + 0.3 = 1.1`]);
    const zero = edit('test: 0.2', 'test: 0');
    expect(problems(zero)).toEqual([`${at(zero, 'test: 0', 6)}  steps.split.fractions.test: expected a number greater than 0, got 0`]);
  });

  test('an unreadable memory size shows the accepted forms', () => {
    const text = edit('memory: 2GB', 'memory: 2 gigs');
    expect(problems(text)).toEqual([
      `${at(text, '2 gigs')}  steps.train.resources.memory: expected a size such as '512MB', '2GB', '1.5GiB' or '800MiB', got '2 gigs'`,
    ]);
  });

  test('a YAML syntax error gives the parser message with its line and column', () => {
    const error = failure(edit('fractions: { train: 0.8, test: 0.2 }', 'fractions: { train: 0.8, test: 0.2'));
    expect(error.message).toMatch(/^sluice\.yaml:1[34]:\d+ {2}\S/);
    expect((error.details!.issues as ConfigIssue[])[0]).toMatchObject({ path: '' });
    expect(failure('project: a\nproject: b\n').message).toMatch(/^sluice\.yaml:2:1 {2}Map keys must be unique/);
  });

  test('an empty file says what it needs', () => {
    expect(failure('').message).toBe("sluice.yaml:1:1  the file is empty; it needs at least 'project' and 'sources'");
  });

  test('every problem is listed in one error, in file order', () => {
    const text = edit('input: raw', 'input: rwa', edit('threshold: 0.8', 'threshold: high', edit('trainer:', 'trainr:')));
    const error = failure(edit('gates:', 'stepz: 1\ngates:', text));
    // References (the 'rwa' typo) are checked once the schema is satisfied.
    expect(error.message.split('\n')).toEqual([
      'sluice.yaml has 4 problems:',
      "  sluice.yaml:14:3  steps.train: missing required key 'trainer' (one of 'logistic_regression', 'linear_regression', 'gbdt', 'random_forest')",
      "  sluice.yaml:16:5  steps.train.trainr: unknown key 'trainr' (did you mean 'trainer'?)",
      "  sluice.yaml:26:1  stepz: unknown key 'stepz' (did you mean 'steps'?)",
      "  sluice.yaml:31:50  gates.quality.checks[0].threshold: expected a number, got string 'high'",
    ]);
    expect(error.details!.issues).toHaveLength(4);
    expect((error.details!.issues as ConfigIssue[])[2]).toEqual({ path: 'stepz', line: 26, column: 1, message: "unknown key 'stepz' (did you mean 'steps'?)" });
  });

  test('top-level x- keys are ignored and anchors and merge keys work', () => {
    const text = `x-resources: &big\n  memory: 800MiB\n  timeout: 1h30m\n${edit('resources: { memory: 2GB }', 'resources: { <<: *big, cpus: 2 }')}`;
    expect(parseProject(text).steps.train.resources).toEqual({ memory: 800 * 2 ** 20, timeout: 90 * 60_000, cpus: 2 });
  });

  test('a problem inside an anchor points at the anchored lines', () => {
    const text = `x-resources: &big\n  memroy: 800MiB\n${edit('resources: { memory: 2GB }', 'resources: *big')}`;
    expect(problems(text)).toEqual(["2:3  steps.train.resources.memroy: unknown key 'memroy' (did you mean 'memory'?)"]);
  });

  test('names must be identifiers', () => {
    const text = edit('  clean:', '  "my step":');
    expect(problems(text)[0]).toBe(`${at(text, '"my step"')}  steps["my step"]: step name 'my step' must start with a letter and contain only letters, digits, '_' and '-'`);
  });

  test('references must name an output where a step has several, and none for a source', () => {
    expect(problems(edit('train: split.train', 'train: split'))).toEqual([
      expect.stringContaining("steps.train.train: 'split' has 2 outputs (train, test); name one, such as 'split.train'"),
    ]);
    expect(problems(edit('input: raw', 'input: raw.x'))).toEqual([expect.stringContaining("'raw' is a source and has no outputs; use 'raw'")]);
    expect(problems(edit('data: split.test', 'data: split.tset'))).toEqual([
      expect.stringContaining("'split' has no output 'tset' (it has train, test) (did you mean 'test'?)"),
    ]);
  });

  test('references must be of the right kind', () => {
    expect(problems(edit('model: train', 'model: clean'))).toEqual([
      expect.stringContaining("steps.evaluate.model: expected a model, but 'clean' gives a dataset"),
      expect.stringContaining("register.evaluation: 'evaluate' evaluates 'clean', not the registered model 'train'"),
    ]);
    expect(problems(edit('evaluation: evaluate\n    checks', 'evaluation: train\n    checks'))).toEqual([
      expect.stringContaining("gates.quality.evaluation: expected the name of an evaluate step, but 'train' is a train step"),
    ]);
    expect(problems(edit('gates: [quality]', 'gates: [qualty]'))).toEqual([
      expect.stringContaining("register.gates[0]: unknown gate 'qualty' (did you mean 'quality'?)"),
    ]);
    expect(problems(edit('from: train', 'from: split'))).toEqual([
      expect.stringContaining("register.from: expected the name of a train step, but 'split' is a split step"),
    ]);
  });

  test('sources and steps share one namespace', () => {
    const text = edit('steps:\n', 'steps:\n  raw:\n    kind: prepare\n    input: raw\n');
    expect(problems(text)).toContain(`${at(text, '  raw:\n    kind', 2)}  steps.raw: name 'raw' is used by a source and a step; sources and steps need different names`);
  });

  test('the format is inferred from a .tsv extension', () => {
    expect(parseProject(edit('data/raw.csv', 'data/raw.tsv')).sources.raw.format).toBe('tsv');
    expect(parseProject(BASE).sources.raw.format).toBe('csv');
  });
});
