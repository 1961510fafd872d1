/**
 * The `ci:` and `checks:` sections of sluice.yaml: how `sluice ci` runs in a CI job (the main
 * branch, the report folder, a sample of the data for speed) and the project's own static
 * checks and tests (`sluice check`), which the CI report shows.
 */
import { z } from 'zod';
import { DURATION_PATTERN, _toMilliseconds } from './units.js';

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

const timeout = z
  .union([z.number().positive(), z.string().regex(new RegExp(DURATION_PATTERN), {
    error: (iss) => `expected a duration such as '90s', '10m' or '1h', got '${iss.input}'`,
  })])
  .transform((v, ctx) => _toMilliseconds(v) ?? (ctx.issues.push({ code: 'custom', input: v, message: `expected a duration greater than 0, got '${v}'` }), z.NEVER));

export const CHECK_STAGES = ['check', 'integration'] as const;

export const checkSchema = z
  .strictObject({
    name: z.string().regex(NAME, { error: (iss) => `check name '${iss.input}' must start with a letter and contain only letters, digits, '_' and '-'` }),
    run: z.string().min(1).describe('Shell command, run in the project folder; exit code 0 passes.'),
    timeout: timeout.prefault('10m').describe("Stop the command after this long (default 10m): the check fails."),
    stage: z
      .enum(CHECK_STAGES)
      .default('check')
      .describe("'check' (static checks and unit tests, `sluice check`) or 'integration' (run against an ephemeral model server, `sluice check --stage integration --ephemeral <model>`; SLUICE_MODEL_URL names it)."),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  })
  .meta({ id: 'Check' });

export const checksSchema = z
  .array(checkSchema)
  .default([])
  .superRefine((checks, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of checks.entries()) {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `check name '${c.name}' is used twice; give each check its own name` });
      seen.add(c.name);
    }
  })
  .describe("The project's own static checks and tests of its code, e.g. {name: lint, run: 'ruff check .'}; `sluice check` runs them and records the results.");

const rows = z.int().positive();

export const ciSchema = z
  .strictObject({
    main_branch: z.string().min(1).default('main').describe('The branch whose runs are the baseline of a pull request, and the only one whose runs move registry aliases.'),
    report_dir: z.string().min(1).default('sluice-ci').describe('Folder, relative to the project, where `sluice ci` writes report.md, report.json and the plots.'),
    sample: z
      .strictObject({
        rows: rows.optional().describe('Rows kept of every file or query source (the first N rows).'),
        sources: z.record(z.string(), rows).default({}).describe('Source name → rows kept, over `rows`.'),
      })
      .optional()
      .describe('`sluice ci --sample`: run on the first N rows of each source, for a fast pull-request check. A sampled run never registers a model.'),
    checks: z.boolean().default(true).describe('Run the declared checks in `sluice ci` when `sluice check` has not recorded them for this commit.'),
  })
  .prefault({})
  .describe('How `sluice ci` runs in a CI job (see docs/ci.md).');

export type CheckConfig = z.output<typeof checkSchema>;
export type CiConfig = z.output<typeof ciSchema>;
