/** CI records in the metadata store: check results and the CI context of pipeline runs. */
import type { Db } from '../store/store.js';
import type { CheckResult } from './checks.js';
import type { CiContext } from './vcs.js';

export interface CiFigures {
  /** The evaluate step the gates judged. */
  evaluation: string | null;
  metrics: Record<string, number>;
  /** Fairness metrics per attribute: {sex: {equalized_odds_difference: 0.08, ...}}. */
  fairness: Record<string, Record<string, number>>;
}

export interface CiRunRecord {
  project: string;
  pipelineRunId: string;
  branch: string | null;
  commit: string | null;
  platform: string;
  pullRequest: string | null;
  sampled: boolean;
  outcome: string;
  figures: CiFigures;
  createdAt: number;
}

export interface NewCheckResults extends Pick<CiContext, 'branch' | 'commit'> {
  project: string;
  results: CheckResult[];
  /** The pipeline run whose report shows them; null when `sluice check` records them for a later `sluice ci`. */
  pipelineRunId: string | null;
}

export async function insertCheckResults(db: Db, input: NewCheckResults): Promise<void> {
  const { project, results, pipelineRunId } = input;
  const context = { branch: input.branch, commit: input.commit };
  if (results.length === 0) return;
  await db
    .insertInto('check_results')
    .values(
      results.map((r) => ({
        project,
        pipeline_run_id: pipelineRunId,
        branch: context.branch,
        commit_sha: context.commit,
        name: r.name,
        stage: r.stage,
        command: r.command,
        status: r.status,
        exit_code: r.exitCode,
        duration_ms: r.durationMs,
        output_tail: r.outputTail,
        started_at: r.startedAt,
      })),
    )
    .execute();
}

/**
 * Attaches the check results `sluice check` recorded for this commit (not yet shown by any
 * report) to a pipeline run; returns how many distinct checks. Earlier results of the same check
 * go with them (the record of what ran), and the report shows the newest per check.
 */
export async function attachCheckResults(db: Db, { project, commit, pipelineRunId }: { project: string; commit: string; pipelineRunId: string }): Promise<number> {
  const rows = await db
    .selectFrom('check_results')
    .select(['id', 'name'])
    .where('project', '=', project)
    .where('commit_sha', '=', commit)
    .where('pipeline_run_id', 'is', null)
    .execute();
  if (rows.length === 0) return 0;
  await db.updateTable('check_results').set({ pipeline_run_id: pipelineRunId }).where('id', 'in', rows.map((r) => Number(r.id))).execute();
  return new Set(rows.map((r) => r.name)).size;
}

/** The checks a pipeline run's report shows: the newest result of each, in the order they ran. */
export async function listCheckResults(db: Db, pipelineRunId: string): Promise<CheckResult[]> {
  const rows = await db.selectFrom('check_results').selectAll().where('pipeline_run_id', '=', pipelineRunId).orderBy('id').execute();
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) newest.set(r.name, r);
  return [...newest.values()]
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) => ({
      name: r.name,
      stage: r.stage,
      command: r.command,
      status: r.status as CheckResult['status'],
      exitCode: r.exit_code === null ? null : Number(r.exit_code),
      durationMs: Number(r.duration_ms),
      outputTail: r.output_tail,
      startedAt: Number(r.started_at),
    }));
}

export async function insertCiRun(db: Db, record: CiRunRecord): Promise<void> {
  await db
    .insertInto('ci_runs')
    .values({
      pipeline_run_id: record.pipelineRunId,
      project: record.project,
      branch: record.branch,
      commit_sha: record.commit,
      platform: record.platform,
      pull_request: record.pullRequest,
      sampled: record.sampled ? 1 : 0,
      outcome: record.outcome,
      figures: JSON.stringify(record.figures),
      created_at: record.createdAt,
    })
    .execute();
}

/**
 * The newest CI run on a branch, other than `exclude`: the baseline a pull request is compared
 * with. With `sampled` given, a run sampled the same way is preferred (like for like), else any.
 */
export async function lastRunOnBranch(
  db: Db,
  { project, branch, exclude, sampled }: { project: string; branch: string; exclude?: string; sampled?: boolean },
): Promise<CiRunRecord | undefined> {
  const newest = (sameSampling: boolean) => {
    let q = db.selectFrom('ci_runs').selectAll().where('project', '=', project).where('branch', '=', branch);
    if (exclude) q = q.where('pipeline_run_id', '!=', exclude);
    if (sameSampling && sampled !== undefined) q = q.where('sampled', '=', sampled ? 1 : 0);
    return q.orderBy('created_at', 'desc').orderBy('pipeline_run_id', 'desc').limit(1).executeTakeFirst();
  };
  const row = (sampled !== undefined ? await newest(true) : undefined) ?? (await newest(false));
  if (!row) return undefined;
  return {
    project: row.project,
    pipelineRunId: row.pipeline_run_id,
    branch: row.branch,
    commit: row.commit_sha,
    platform: row.platform,
    pullRequest: row.pull_request,
    sampled: Number(row.sampled) === 1,
    outcome: row.outcome,
    figures: JSON.parse(row.figures) as CiFigures,
    createdAt: Number(row.created_at),
  };
}
