/**
 * The `pii:` block of sluice.yaml: what to do with each column that holds personal data.
 * `block`: the column must not be in the dataset; `mask`: its values are replaced by a salted
 * SHA-256 when the dataset is written; `allow`: approved as is. Findings in a column the
 * policy does not name are unapproved and fail the data gate (or warn, with `default: warn`).
 */
import { z } from 'zod';
import { SluiceError } from '../../errors.js';
import { ident, lit } from '../duckdb.js';

export const PII_ACTIONS = ['block', 'mask', 'allow'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

export const DEFAULT_SALT_ENV = 'SLUICE_PII_SALT';

export const piiPolicySchema = z.strictObject({
  salt_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (iss) => `expected an environment variable name, got '${iss.input}'` })
    .default(DEFAULT_SALT_ENV)
    .describe('Environment variable that holds the masking salt.'),
  columns: z.record(z.string().min(1), z.enum(PII_ACTIONS)).default({}).describe('Column name → block, mask or allow.'),
  default: z.enum(['fail', 'warn']).default('fail').describe('What PII in a column the policy does not name does to the data gate.'),
});

export type PiiPolicy = z.output<typeof piiPolicySchema>;
export type PiiPolicyInput = z.input<typeof piiPolicySchema>;

export function parsePiiPolicy(input: PiiPolicyInput | undefined): PiiPolicy {
  const r = piiPolicySchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new SluiceError('CONFIG_INVALID', `Invalid PII policy at pii.${issue.path.join('.')}: ${issue.message}`, { where: 'pii', cause: r.error });
  }
  return r.data;
}

/** The masking salt from the environment variable the policy names. */
export function piiSalt(policy: PiiPolicyInput | undefined, env: Record<string, string | undefined> = process.env): string {
  const name = parsePiiPolicy(policy).salt_env;
  const salt = env[name];
  if (!salt) {
    throw new SluiceError('USAGE', `Cannot mask PII columns: environment variable '${name}' is not set`, {
      where: 'pii.salt_env',
      hint: `Set ${name} to a long random secret and keep it the same between runs, or masked values will not join.`,
    });
  }
  return salt;
}

/**
 * The SELECT list that writes a dataset with the policy's `mask` columns replaced by
 * `sha256(salt || value)` (lowercase hex; nulls stay null); other columns pass through.
 */
export function maskSelect(columns: string[], policy: PiiPolicyInput | undefined, salt: string): string {
  const { columns: actions } = parsePiiPolicy(policy);
  const masked = columns.filter((c) => actions[c] === 'mask');
  if (masked.length > 0 && !salt) throw new SluiceError('USAGE', `Cannot mask column '${masked[0]}' with an empty salt`);
  return columns
    .map((c) => (actions[c] === 'mask' ? `sha256(${lit(salt)} || CAST(${ident(c)} AS VARCHAR)) AS ${ident(c)}` : ident(c)))
    .join(', ');
}
