/**
 * The PII scan of a dataset version. One DuckDB pass counts, per text column and detector, the
 * values with a candidate; then, only in columns where a detector with a confirming check
 * (Luhn, mod-97, ...) found some, DuckDB returns the distinct matching values with their counts
 * and TypeScript checks their candidates. No raw value leaves this module: examples are masked.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SluiceError } from '../../errors.js';
import { ident, lit } from '../duckdb.js';
import { DETECTORS, maskExample, type Detector, type PiiKind } from './detectors.js';
import { personalNameHint } from './names.js';
import { parsePiiPolicy, type PiiAction, type PiiPolicyInput } from './policy.js';

export interface PiiScanOptions {
  policy?: PiiPolicyInput;
  /** Most distinct values with a candidate checked per column (default 10,000); past it, `confirmed` is a lower bound. */
  sampleLimit?: number;
}

export interface PiiDetection {
  kind: PiiKind;
  /** Values (rows) holding at least one candidate. */
  matches: number;
  /** Values holding at least one candidate that passed the check (= matches when there is no check). */
  confirmed: number;
  /** True when not every candidate was checked: `confirmed` is then "at least". */
  capped: boolean;
  check?: string;
  /** Up to three confirmed values, masked. */
  examples: string[];
}

export type PiiColumnAction = PiiAction | 'unapproved' | 'none';

export interface PiiColumn {
  column: string;
  type: string;
  detectors: PiiDetection[];
  /** The personal-looking term the column name matches. */
  nameHint?: string;
  /** The policy's action; 'unapproved' for findings the policy does not cover; 'none' when only unconfirmed candidates were seen. */
  action: PiiColumnAction;
}

export interface PiiViolation {
  column: string;
  reason: 'blocked' | 'unapproved';
  severity: 'fail' | 'warn';
  message: string;
}

export interface PiiReport {
  rowCount: number;
  /** Text columns the detectors ran on (all columns are checked by name). */
  scannedColumns: string[];
  /** Columns with a finding, a candidate, a personal-looking name or a policy entry, in table order. */
  columns: PiiColumn[];
  violations: PiiViolation[];
  passed: boolean;
}

const DEFAULT_SAMPLE_LIMIT = 10_000;

/** Scans `relation` (a table name or a table function such as `read_parquet('x.parquet')`). */
export async function scanPii(conn: DuckDBConnection, relation: string, options: PiiScanOptions = {}): Promise<PiiReport> {
  const policy = parsePiiPolicy(options.policy);
  const limit = Math.max(1, Math.floor(options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT));
  const schema = await rows(conn, `DESCRIBE SELECT * FROM ${relation}`);
  const columns = schema.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const text = columns.filter((c) => c.type === 'VARCHAR');

  // Most values match no detector: one regex for all detectors per value, and each detector's
  // own regex only on the values that one hits, costs about a third of running every detector.
  const any = lit(DETECTORS.map((d) => d.pattern).join('|'));
  // The subquery renames every column, so no name in the data can clash with the hit flags.
  const hits = text.map((c, i) => `${ident(c.name)} AS "v${i}", regexp_matches(${ident(c.name)}, ${any}) AS "h${i}"`);
  const aggregates = text.flatMap((_, i) =>
    DETECTORS.map((d, j) => {
      const when = d.requires ? `"h${i}" AND contains("v${i}", ${lit(d.requires)})` : `"h${i}"`;
      return `count_if(CASE WHEN ${when} THEN regexp_matches("v${i}", ${lit(d.pattern)}) END)::DOUBLE AS "m${i}_${j}"`;
    }),
  );
  const from = hits.length ? `(SELECT ${hits.join(', ')} FROM ${relation})` : relation;
  const [counts] = await rows(conn, `SELECT ${['count(*)::DOUBLE AS n', ...aggregates].join(', ')} FROM ${from}`);

  const report: PiiColumn[] = [];
  for (const c of columns) {
    const i = text.indexOf(c);
    const found = i < 0 ? [] : DETECTORS.map((d, j) => ({ d, matches: Number(counts[`m${i}_${j}`]) })).filter((f) => f.matches > 0);
    const detections = found.length ? await detect(conn, relation, c.name, found, limit) : [];
    const nameHint = personalNameHint(c.name);
    const listed = policy.columns[c.name];
    if (!listed && detections.length === 0 && !nameHint) continue;
    const personal = detections.some((d) => d.confirmed > 0) || nameHint !== undefined;
    const action: PiiColumnAction = listed ?? (personal ? 'unapproved' : 'none');
    report.push({ column: c.name, type: c.type, detectors: detections, ...(nameHint ? { nameHint } : {}), action });
  }

  const violations: PiiViolation[] = [];
  for (const c of report) {
    if (c.action === 'block') {
      violations.push({ column: c.column, reason: 'blocked', severity: 'fail', message: `Column '${c.column}' is blocked by the PII policy but is in the dataset` });
    } else if (c.action === 'unapproved') {
      violations.push({ column: c.column, reason: 'unapproved', severity: policy.default, message: `Column '${c.column}' has unapproved PII (${describeFindings(c)}): give it block, mask or allow under pii.columns` });
    }
  }
  return {
    rowCount: Number(counts.n),
    scannedColumns: text.map((c) => c.name),
    columns: report,
    violations,
    passed: !violations.some((v) => v.severity === 'fail'),
  };
}

async function detect(
  conn: DuckDBConnection, relation: string, column: string, found: { d: Detector; matches: number }[], limit: number,
): Promise<PiiDetection[]> {
  const col = ident(column);
  // Checks run on the most frequent distinct values that hold a candidate; extracting the
  // candidates from those in JavaScript costs far less than extracting them from every row in SQL.
  const checked = found.filter((f) => f.d.confirm);
  const any = lit(checked.map((f) => f.d.pattern).join('|'));
  const values = checked.length
    ? await rows(conn, `SELECT ${col} AS v, count(*)::DOUBLE AS n FROM ${relation} WHERE regexp_matches(${col}, ${any}) GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT ${limit + 1}`)
    : [];
  const capped = values.length > limit;
  const result: PiiDetection[] = [];
  for (const { d, matches } of found) {
    const base = { kind: d.kind, matches, ...(d.check ? { check: d.check } : {}) };
    if (!d.confirm) {
      const p = lit(d.pattern);
      const sample = await rows(conn, `SELECT regexp_extract(${col}, ${p}, 1) AS m FROM ${relation} WHERE regexp_matches(${col}, ${p}) LIMIT 3`);
      result.push({ ...base, confirmed: matches, capped: false, examples: [...new Set(sample.map((r) => maskExample(d.kind, String(r.m))))] });
      continue;
    }
    const re = new RegExp(d.pattern, 'g');
    const verdicts = new Map<string, boolean>();
    let confirmed = 0;
    const examples = new Set<string>();
    for (const { v, n } of values.slice(0, limit)) {
      const valid = [...String(v).matchAll(re)].map((m) => m[1]).filter((m) => {
        if (!verdicts.has(m)) verdicts.set(m, d.confirm!(m));
        return verdicts.get(m);
      });
      if (valid.length === 0) continue;
      confirmed += Number(n);
      for (const m of valid) if (examples.size < 3) examples.add(maskExample(d.kind, m));
    }
    result.push({ ...base, confirmed, capped, examples: [...examples] });
  }
  return result;
}

function describeFindings(c: PiiColumn): string {
  const found = c.detectors.filter((d) => d.confirmed > 0).map((d) => `${d.kind} in ${d.capped ? 'at least ' : ''}${values(d.confirmed)}`);
  if (c.nameHint) found.push(`name looks personal: '${c.nameHint}'`);
  return found.join('; ');
}

const values = (n: number) => `${n} value${n === 1 ? '' : 's'}`;

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } catch (e) {
    throw new SluiceError('DATA_INVALID', `Cannot scan the dataset for PII: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Terminal text: one line per column with its action and findings, then the violations. */
export function formatPiiReport(report: PiiReport): string {
  const status = report.passed ? (report.violations.length ? 'passed with warnings' : 'passed') : 'FAILED';
  const lines = [`PII scan: ${status} — ${report.rowCount} rows, ${report.scannedColumns.length} text columns scanned`];
  if (report.columns.length === 0) lines.push('  no personal data found');
  const width = Math.max(6, ...report.columns.map((c) => c.column.length));
  for (const c of report.columns) {
    const parts = c.detectors.map((d) => {
      const eg = d.examples.length ? ` (e.g. ${d.examples.join(', ')})` : '';
      if (!d.check) return `${d.kind}: ${values(d.matches)}${eg}`;
      return `${d.kind}: ${d.capped ? 'at least ' : ''}${d.confirmed} of ${values(d.matches)} pass ${d.check}${eg}`;
    });
    if (c.nameHint) parts.push(`name looks personal ('${c.nameHint}')`);
    lines.push(`  ${c.column.padEnd(width)}  ${c.action.padEnd(10)}  ${parts.join('; ') || '—'}`);
  }
  for (const v of report.violations) lines.push(`${v.severity === 'fail' ? '✗' : '⚠'} ${v.message}`);
  return lines.join('\n');
}
