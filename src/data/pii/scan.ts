/**
 * The PII scan of a dataset version. One DuckDB pass counts, per text column and detector, the
 * values with a candidate; then, only where a detector found some and has a confirming check,
 * DuckDB groups the matching values by their distinct candidates and TypeScript checks those
 * (Luhn, mod-97, ...). No raw value leaves this module: report examples are masked.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SluiceError } from '../../errors.js';
import { ident, lit } from '../duckdb.js';
import { DETECTORS, maskExample, type Detector, type PiiKind } from './detectors.js';
import { personalNameHint } from './names.js';
import { parsePiiPolicy, type PiiAction, type PiiPolicyInput } from './policy.js';

export interface PiiScanOptions {
  policy?: PiiPolicyInput;
  /** Most groups of distinct candidates checked per column and detector (default 10,000); past it, `confirmed` is a lower bound. */
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

  // Most values match no detector: one regex for all of them per value, and the detectors
  // one by one only on the values it hits, keeps a 3-million-row scan to about a second.
  const any = lit(DETECTORS.map((d) => d.pattern).join('|'));
  const hits = text.map((c, i) => `${ident(c.name)}, regexp_matches(${ident(c.name)}, ${any}) AS "h${i}"`);
  const aggregates = text.flatMap((c, i) =>
    DETECTORS.map((d, j) => `count_if(CASE WHEN "h${i}" THEN regexp_matches(${ident(c.name)}, ${lit(d.pattern)}) END)::DOUBLE AS "m${i}_${j}"`),
  );
  const from = hits.length ? `(SELECT ${hits.join(', ')} FROM ${relation})` : relation;
  const [counts] = await rows(conn, `SELECT ${['count(*)::DOUBLE AS n', ...aggregates].join(', ')} FROM ${from}`);

  const report: PiiColumn[] = [];
  for (const c of columns) {
    const i = text.indexOf(c);
    const detections: PiiDetection[] = [];
    if (i >= 0) {
      for (const [j, d] of DETECTORS.entries()) {
        const matches = Number(counts[`m${i}_${j}`]);
        if (matches > 0) detections.push(await detect(conn, relation, c.name, d, matches, limit));
      }
    }
    const nameHint = personalNameHint(c.name);
    const listed = policy.columns[c.name];
    const found = detections.some((d) => d.confirmed > 0) || nameHint !== undefined;
    if (!listed && detections.length === 0 && !nameHint) continue;
    const action: PiiColumnAction = listed ?? (found ? 'unapproved' : 'none');
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

async function detect(conn: DuckDBConnection, relation: string, column: string, d: Detector, matches: number, limit: number): Promise<PiiDetection> {
  const col = ident(column);
  const pattern = lit(d.pattern);
  const base = { kind: d.kind, matches, ...(d.check ? { check: d.check } : {}) };
  if (!d.confirm) {
    const sample = await rows(conn, `SELECT regexp_extract(${col}, ${pattern}, 1) AS m FROM ${relation} WHERE regexp_matches(${col}, ${pattern}) LIMIT 3`);
    return { ...base, confirmed: matches, capped: false, examples: [...new Set(sample.map((r) => maskExample(d.kind, String(r.m))))] };
  }
  // Grouping by the set of candidates in a value lets a value count once however many it holds.
  const groups = await rows(
    conn,
    `SELECT list_sort(list_distinct(regexp_extract_all(${col}, ${pattern}, 1))) AS ms, count(*)::DOUBLE AS n
     FROM ${relation} WHERE regexp_matches(${col}, ${pattern}) GROUP BY ms ORDER BY n DESC, ms LIMIT ${limit + 1}`,
  );
  const checked = new Map<string, boolean>();
  const isValid = (m: string) => checked.get(m) ?? (checked.set(m, d.confirm!(m)), checked.get(m)!);
  let confirmed = 0;
  const examples = new Set<string>();
  for (const g of groups.slice(0, limit)) {
    const valid = (g.ms as string[]).filter(isValid);
    if (valid.length === 0) continue;
    confirmed += Number(g.n);
    for (const v of valid) if (examples.size < 3) examples.add(maskExample(d.kind, v));
  }
  return { ...base, confirmed, capped: groups.length > limit, examples: [...examples] };
}

function describeFindings(c: PiiColumn): string {
  const found = c.detectors.filter((d) => d.confirmed > 0).map((d) => `${d.kind} in ${d.capped ? 'at least ' : ''}${d.confirmed} values`);
  if (c.nameHint) found.push(`name looks personal: '${c.nameHint}'`);
  return found.join('; ');
}

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
      const checked = d.check ? ` (${d.capped ? '≥' : ''}${d.confirmed} of ${d.matches} pass ${d.check})` : '';
      const eg = d.examples.length ? ` e.g. ${d.examples.join(', ')}` : '';
      return `${d.kind} ${d.confirmed}${checked}${eg}`;
    });
    if (c.nameHint) parts.push(`name looks personal ('${c.nameHint}')`);
    lines.push(`  ${c.column.padEnd(width)}  ${c.action.padEnd(10)}  ${parts.join('; ') || '—'}`);
  }
  for (const v of report.violations) lines.push(`${v.severity === 'fail' ? '✗' : '⚠'} ${v.message}`);
  return lines.join('\n');
}
