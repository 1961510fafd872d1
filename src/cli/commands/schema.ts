import type { Command } from 'commander';
import { projectJsonSchema, writeJsonSchema } from '../../config/index.js';
import { printJson } from '../output.js';

export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description("print the JSON Schema of sluice.yaml (for editors), or write it to a file")
    .option('--write <file>', 'write the schema to this file')
    .option('--json', 'print as JSON (the default output is JSON already)')
    .action(async (opts: { write?: string }) => {
      if (opts.write) {
        await writeJsonSchema(opts.write);
        console.log(`wrote ${opts.write}`);
      } else printJson(projectJsonSchema());
    });
}
