/**
 * Bias checks on training data: for each sensitive attribute, how well each group is
 * represented and how often it carries the positive label. The label-rate ratio is the lowest
 * group's positive rate over the highest's: the disparate impact already in the data, which a
 * model trained on it tends to learn (four-fifths rule: warn under 0.8 by default).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { SluiceError } from '../../errors.js';
import { ident, lit } from '../duckdb.js';

/** Group name of rows whose attribute is null. */
export const MISSING_GROUP = '(missing)';

// Both figures are "higher is better": a value under `fail` fails, under `warn` warns.
const band = z
  .strictObject({ warn: z.number().min(0).max(1).optional(), fail: z.number().min(0).max(1).optional() })
  .refine((b) => b.warn === undefined || b.fail === undefined || b.fail <= b.warn, {
    error: 'fail must not be above warn (a value under fail fails, under warn warns)',
  });

export const biasConfigSchema = z.strictObject({
  sensitive: z
    .array(z.string().min(1))
    .min(1)
    .refine((a) => new Set(a).size === a.length, { error: 'sensitive attributes must be distinct' })
    .describe('Columns whose groups are compared, such as sex or race.'),
  label: z.string().min(1).describe('The label column.'),
  positive: z.union([z.string(), z.number(), z.boolean()]).transform(String).describe('The label value counted as positive.'),
  thresholds: z
    .strictObject({
      min_group_share: band.optional().describe('Smallest share of rows a group may have; no limit by default.'),
      label_rate_ratio: band.optional().describe('Lowest over highest group positive rate; default { warn: 0.8 }.'),
    })
    .default({}),
});

export type BiasConfig = z.output<typeof biasConfigSchema>;
export type BiasConfigInput = z.input<typeof biasConfigSchema>;
export type BiasStatus = 'pass' | 'warn' | 'fail';

export interface BiasGroup {
  /** The attribute's value as text, or MISSING_GROUP. */
  group: string;
  count: number;
  /** count / all rows. */
  share: number;
  /** Rows of the group with a non-null label. */
  labelled: number;
  positives: number;
  /** positives / labelled; null when no row of the group is labelled. */
  positiveRate: number | null;
}

export interface BiasAttribute {
  attribute: string;
  /** Largest group first. */
  groups: BiasGroup[];
  minGroupShare: number;
  smallestGroup: string;
  /** Lowest / highest positive rate over the labelled groups; null with fewer than two or no positives. */
  labelRateRatio: number | null;
  lowestRateGroup: string | null;
  highestRateGroup: string | null;
  status: BiasStatus;
  reasons: string[];
}

export interface BiasReport {
  rowCount: number;
  label: string;
  positive: string;
  positiveRate: number;
  thresholds: { min_group_share: { warn?: number; fail?: number }; label_rate_ratio: { warn?: number; fail?: number } };
  attributes: BiasAttribute[];
  status: BiasStatus;
}

const DEFAULT_LABEL_RATE_RATIO = { warn: 0.8 };

/**
 * Groups rows of `relation` (a table name or a table function such as
 * `read_parquet('x.parquet')`) by each sensitive attribute in one scan. Label values are
 * compared as trimmed text, so `positive: 1` matches an integer label 1.
 */
export async function dataBias(conn: DuckDBConnection, relation: string, options: BiasConfigInput): Promise<BiasReport> {
  const parsed = biasConfigSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SluiceError('CONFIG_INVALID', `Invalid bias check at bias.${issue.path.join('.')}: ${issue.message}`, { where: 'bias', cause: parsed.error });
  }
  const { sensitive, label, positive } = parsed.data;
  const thresholds = {
    min_group_share: parsed.data.thresholds.min_group_share ?? {},
    label_rate_ratio: parsed.data.thresholds.label_rate_ratio ?? DEFAULT_LABEL_RATE_RATIO,
  };

  const names = (await run(conn, `DESCRIBE SELECT * FROM ${relation}`)).map((r) => String(r.column_name));
  const missing = [label, ...sensitive].filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new SluiceError('SCHEMA_MISMATCH', `Bias check: column ${missing.map((c) => `'${c}'`).join(', ')} is not in the dataset`, {
      where: 'bias',
      hint: `The dataset has columns ${names.map((c) => `'${c}'`).join(', ')}.`,
    });
  }

  const keys = sensitive.map((s, i) => `CAST(${ident(s)} AS VARCHAR) AS "g${i}"`);
  const y = `trim(CAST(${ident(label)} AS VARCHAR)) = ${lit(positive.trim())}`;
  const rows = await run(
    conn,
    `SELECT ${sensitive.map((_, i) => `grouping("g${i}") = 0 AS "k${i}"`).join(', ')}, ${sensitive.map((_, i) => `"g${i}"`).join(', ')},
       count(*)::DOUBLE AS n, count(y)::DOUBLE AS labelled, count_if(y)::DOUBLE AS positives
     FROM (SELECT ${keys.join(', ')}, ${y} AS y FROM ${relation})
     GROUP BY GROUPING SETS (${sensitive.map((_, i) => `("g${i}")`).join(', ')}, ())`,
  );
  const total = rows.find((r) => sensitive.every((_, i) => !r[`k${i}`]))!;
  const rowCount = Number(total.n);
  if (rowCount === 0) throw new SluiceError('DATA_INVALID', 'Bias check: the dataset has no rows', { where: 'bias' });
  if (Number(total.positives) === 0) {
    const values = await run(conn, `SELECT DISTINCT CAST(${ident(label)} AS VARCHAR) AS v FROM ${relation} ORDER BY v NULLS LAST LIMIT 10`);
    throw new SluiceError('DATA_INVALID', `Bias check: no row has label '${positive}' in column '${label}'`, {
      where: 'bias.positive',
      hint: `Values of '${label}' include ${values.map((r) => (r.v === null ? 'null' : `'${String(r.v)}'`)).join(', ')}.`,
    });
  }

  const attributes = sensitive.map((attribute, i): BiasAttribute => {
    const groups = rows
      .filter((r) => r[`k${i}`])
      .map((r): BiasGroup => {
        const labelled = Number(r.labelled);
        const positives = Number(r.positives);
        return {
          group: r[`g${i}`] === null ? MISSING_GROUP : String(r[`g${i}`]),
          count: Number(r.n),
          share: Number(r.n) / rowCount,
          labelled,
          positives,
          positiveRate: labelled > 0 ? positives / labelled : null,
        };
      })
      .sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
    return judge(attribute, groups, thresholds);
  });
  const order: BiasStatus[] = ['pass', 'warn', 'fail'];
  const status = order[Math.max(0, ...attributes.map((a) => order.indexOf(a.status)))];
  return { rowCount, label, positive, positiveRate: Number(total.positives) / Number(total.labelled), thresholds, attributes, status };
}

function judge(attribute: string, groups: BiasGroup[], thresholds: BiasReport['thresholds']): BiasAttribute {
  const smallest = groups.at(-1)!;
  const rated = groups.filter((g) => g.positiveRate !== null);
  const lowest = rated.reduce<BiasGroup | null>((m, g) => (m === null || g.positiveRate! < m.positiveRate! ? g : m), null);
  const highest = rated.reduce<BiasGroup | null>((m, g) => (m === null || g.positiveRate! > m.positiveRate! ? g : m), null);
  const ratio = rated.length >= 2 && highest!.positiveRate! > 0 ? lowest!.positiveRate! / highest!.positiveRate! : null;

  const reasons: string[] = [];
  let status: BiasStatus = 'pass';
  const check = (value: number, band: { warn?: number; fail?: number }, what: string) => {
    const level = band.fail !== undefined && value < band.fail ? 'fail' : band.warn !== undefined && value < band.warn ? 'warn' : null;
    if (!level) return;
    if (level === 'fail' || status === 'pass') status = level;
    reasons.push(`${what} ${fmt(value)} is under ${fmt(level === 'fail' ? band.fail! : band.warn!)} (${level})`);
  };
  check(smallest.share, thresholds.min_group_share, `Share of group '${smallest.group}'`);
  if (ratio !== null) {
    check(ratio, thresholds.label_rate_ratio, `Label rate ratio '${lowest!.group}' / '${highest!.group}'`);
  } else if (rated.length < 2) {
    reasons.push(`Label rate ratio not computed: fewer than two groups have labelled rows`);
  }
  return {
    attribute,
    groups,
    minGroupShare: smallest.share,
    smallestGroup: smallest.group,
    labelRateRatio: ratio,
    lowestRateGroup: ratio === null ? null : lowest!.group,
    highestRateGroup: ratio === null ? null : highest!.group,
    status,
    reasons,
  };
}

async function run(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } catch (e) {
    throw new SluiceError('DATA_INVALID', `Bias check failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

const fmt = (x: number) => String(Number(x.toFixed(4)));
const pct = (x: number | null) => (x === null ? '—' : x > 0 && x < 0.001 ? '<0.1%' : `${(x * 100).toFixed(1)}%`);

/** Terminal text: per attribute, its verdict and ratio, a table of groups, then the reasons. */
export function formatBiasReport(report: BiasReport): string {
  const lines = [`Data bias: ${report.status} — ${report.rowCount} rows, label ${report.label} = '${report.positive}' in ${pct(report.positiveRate)}`];
  for (const a of report.attributes) {
    const ratio = a.labelRateRatio === null ? '—' : fmt(a.labelRateRatio);
    lines.push(`  ${a.attribute}: ${a.status} (label rate ratio ${ratio}, smallest group '${a.smallestGroup}' ${pct(a.minGroupShare)})`);
    const width = Math.max(5, ...a.groups.map((g) => g.group.length));
    lines.push(`    ${'group'.padEnd(width)}  ${'rows'.padStart(9)}  ${'share'.padStart(6)}  ${'positive'.padStart(8)}`);
    for (const g of a.groups) {
      lines.push(`    ${g.group.padEnd(width)}  ${String(g.count).padStart(9)}  ${pct(g.share).padStart(6)}  ${pct(g.positiveRate).padStart(8)}`);
    }
    for (const r of a.reasons) lines.push(`    - ${r}`);
  }
  return lines.join('\n');
}
