/**
 * The data gate, worker side: what every dataset a step writes must pass before it can become a
 * dataset version — a PII scan under the project's policy — and the declared checks of
 * validate and check steps (expectations, bias). Failures stop the step with every reason; the
 * reports travel with the dataset version.
 */
import { copyFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { dataBias, formatBiasReport, type BiasConfigInput, type BiasReport } from '../../data/bias/index.js';
import { describeParquet, lit, withDuckDB, writeParquet } from '../../data/duckdb.js';
import { formatReportTable, runExpectations, type Expectation, type ExpectationsReport } from '../../data/expectations/index.js';
import { formatPiiReport, maskSelect, piiSalt, scanPii, type PiiPolicyInput, type PiiReport } from '../../data/pii/index.js';
import { profileRelation, type DatasetProfile } from '../../data/profile.js';
import { SluiceError } from '../../errors.js';
import type { StepResult, StepTask } from '../task.js';

export interface DatasetChecks {
  columns: { name: string; type: string }[];
  rowCount: number;
  profile: DatasetProfile;
  pii: PiiReport;
}

/** Profile and PII scan of a dataset output; unapproved PII fails the step. */
export async function checkDataset(conn: DuckDBConnection, path: string, task: StepTask): Promise<DatasetChecks> {
  const relation = `read_parquet(${lit(path)})`;
  const { columns, rowCount } = await describeParquet(conn, path);
  const profile = await profileRelation(conn, relation);
  const pii = await scanPii(conn, relation, { policy: task.pii as PiiPolicyInput });
  const failing = pii.violations.filter((v) => v.severity === 'fail');
  for (const v of pii.violations.filter((x) => x.severity === 'warn')) console.log(`warning: ${v.message}`);
  if (failing.length > 0) {
    console.log(formatPiiReport(pii));
    throw new SluiceError('DATA_INVALID', `Step '${task.step}': the PII gate failed: ${failing.map((v) => v.message).join('; ')}`, {
      where: `steps.${task.step}`,
      hint: "Decide per column in sluice.yaml: `pii: { columns: { <column>: mask | allow | block } }` (mask replaces values by a salted hash).",
      details: { pii },
    });
  }
  return { columns, rowCount, profile, pii };
}

/** Masks the columns the PII policy says to mask, in place (before anything else sees them). */
export async function applyMasking(path: string, task: StepTask): Promise<string[]> {
  const policy = task.pii as { columns?: Record<string, string> } | undefined;
  const toMask = Object.entries(policy?.columns ?? {}).filter(([, a]) => a === 'mask').map(([c]) => c);
  if (toMask.length === 0) return [];
  return withDuckDB(async (conn) => {
    const { columns } = await describeParquet(conn, path);
    const present = toMask.filter((c) => columns.some((x) => x.name === c));
    if (present.length === 0) return [];
    const salt = piiSalt(task.pii as PiiPolicyInput);
    const masked = `${path}.masked`;
    await writeParquet(conn, `SELECT ${maskSelect(columns.map((c) => c.name), task.pii as PiiPolicyInput, salt)} FROM read_parquet(${lit(path)})`, masked);
    await copyFile(masked, path);
    await import('node:fs/promises').then((fs) => fs.rm(masked));
    console.log(`masked column(s) ${present.map((c) => `'${c}'`).join(', ')} with a salted SHA-256`);
    return present;
  });
}

/** Runs expectations; failing ones (severity fail) stop the step, warnings are printed. */
export async function expect(conn: DuckDBConnection, path: string, expectations: Expectation[], who: { label: string; where: string }, reference?: string): Promise<ExpectationsReport> {
  const report = await runExpectations(conn, `read_parquet(${lit(path)})`, expectations, reference ? { reference: `read_parquet(${lit(reference)})` } : {});
  console.log(formatReportTable(report));
  if (!report.success) {
    const failed = report.results.filter((r) => !r.success && r.severity === 'fail');
    throw new SluiceError('DATA_INVALID', `${who.label}: ${failed.length} expectation(s) failed: ${failed.map((r) => r.message).join('; ')}`, {
      where: who.where,
      hint: 'Fix the data or its preparation; or change the expectation (severity: warn, or mostly) if the data is right.',
      details: { expectations: report },
    });
  }
  return report;
}

interface CheckSpec {
  step: string;
  expectations: Expectation[] | null;
  bias: BiasConfigInput | null;
}

/** A `check` step: expectations and bias on its input; passes the input on unchanged. */
export async function runCheck(task: StepTask, finish: (path: string, summary: Record<string, unknown>) => Promise<StepResult>): Promise<StepResult> {
  const spec = task.spec as unknown as CheckSpec;
  const input = task.inputs.data.path;
  const summary: { expectations?: ExpectationsReport; bias?: BiasReport } = {};
  await withDuckDB(async (conn) => {
    if (spec.expectations) summary.expectations = await expect(conn, input, spec.expectations, { label: `Step '${spec.step}'`, where: `steps.${spec.step}.expectations` }, task.inputs.reference?.path);
    if (spec.bias) {
      const bias = await dataBias(conn, `read_parquet(${lit(input)})`, spec.bias);
      console.log(formatBiasReport(bias));
      summary.bias = bias;
      if (bias.status === 'fail') {
        const reasons = bias.attributes.flatMap((a) => (a.status === 'fail' ? a.reasons.map((r) => `${a.attribute}: ${r}`) : []));
        throw new SluiceError('DATA_INVALID', `Step '${spec.step}': the bias check failed: ${reasons.join('; ')}`, {
          where: `steps.${spec.step}.bias`,
          hint: 'Rebalance or collect more data for the groups named, or adjust the thresholds if the imbalance is understood.',
          details: { bias },
        });
      }
    }
  });
  const out = `${task.outputDir}/data.parquet`;
  await copyFile(input, out);
  return finish(out, summary);
}
