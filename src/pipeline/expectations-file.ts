/** Expectations given in sluice.yaml, inline or as the path of a YAML file, loaded and checked. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { expectationsFileSchema, type Expectation } from '../data/expectations/index.js';
import { SluiceError } from '../errors.js';

export function loadExpectations(projectDir: string, value: string | Expectation[] | undefined, where: string): Expectation[] | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value;
  const file = resolve(projectDir, value);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SluiceError('CONFIG_INVALID', `${where}: the expectations file ${value} does not exist`, {
      where,
      hint: 'Write one with `sluice data infer <source> --write <file>`, or list the expectations inline.',
    });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new SluiceError('CONFIG_INVALID', `${value}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, { where: value });
  }
  const parsed = expectationsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SluiceError('CONFIG_INVALID', `${value}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, {
      where: value,
      hint: 'The file holds `expectations:` followed by a list such as `- { column: age, expect: not_null }`.',
    });
  }
  return parsed.data.expectations;
}
