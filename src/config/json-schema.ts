import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectSchema } from './schema.js';

/** JSON Schema (draft 2020-12) of what a user may write in `sluice.yaml`: defaults are optional. */
export function projectJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(projectSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema,
    title: 'Sluice project (sluice.yaml)',
    ...rest,
    // Top-level `x-` keys are free, for YAML anchors.
    patternProperties: { '^x-': {} },
  };
}

/** Writes the schema as formatted JSON, as `sluice schema --write` does. */
export function writeJsonSchema(file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(projectJsonSchema(), null, 2)}\n`);
}
