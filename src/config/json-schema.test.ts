import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { STEP_KINDS, projectJsonSchema, writeJsonSchema } from './index.js';

const COMMITTED = fileURLToPath(new URL('../../schema/sluice.schema.json', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/income/sluice.yaml', import.meta.url));

describe('projectJsonSchema()', () => {
  test('matches schema/sluice.schema.json (regenerate it with writeJsonSchema)', () => {
    expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(projectJsonSchema());
  });

  test('is a draft 2020-12 schema that takes the keys of the income example', () => {
    const schema = projectJsonSchema() as {
      $schema: string;
      properties: Record<string, unknown>;
      required: string[];
      patternProperties: Record<string, unknown>;
      $defs: Record<string, { properties: { kind: { const: string } } }>;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['project', 'sources']);
    const example = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(example)) {
      if (key.startsWith('x-')) expect(key).toMatch(new RegExp(Object.keys(schema.patternProperties)[0]));
      else expect(Object.keys(schema.properties)).toContain(key);
    }
    // Defaults are optional on the input side.
    expect(schema.$defs.TrainStep).toMatchObject({ required: ['kind', 'trainer', 'train', 'target'] });
    expect(Object.values(schema.$defs).flatMap((d) => d.properties?.kind?.const ?? [])).toEqual([...STEP_KINDS]);
  });

  test('writeJsonSchema() writes the same schema as formatted JSON', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sluice-schema-')), 'nested', 'sluice.schema.json');
    writeJsonSchema(file);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(projectJsonSchema(), null, 2)}\n`);
  });
});
