/**
 * Records of pipeline work in the metadata store: pipeline runs, step runs, the step cache,
 * dataset versions and gate results.
 */
import { hostname } from 'node:os';
import type { Db } from '../store/store.js';
import type { DatasetVersionRow, PipelineRun, PipelineRunStatus, StepRun, StepRunStatus } from '../store/schema.js';
import { SluiceError } from '../errors.js';
import { isAlive } from './process-tree.js';

export interface RecordedOutput {
  digest: string;
  size: number;
  kind: string;
  meta?: Record<string, unknown>;
}

export interface CachedResult {
  outputs: Record<string, RecordedOutput>;
  metrics?: Record<string, number>;
  history?: { key: string; value: number; step: number }[];
  params?: Record<string, string>;
  summary?: Record<string, unknown>;
}

export async function createPipelineRun(db: Db, run: { id: string; project: string; trigger: string; configHash: string; triggerCause?: Record<string, unknown> }): Promise<void> {
  await db
    .insertInto('pipeline_runs')
    .values({
      id: run.id,
      project: run.project,
      status: 'running',
      trigger: run.trigger,
      started_at: Date.now(),
      ended_at: null,
      host: hostname(),
      pid: process.pid,
      error: null,
      config_hash: run.configHash,
      trigger_cause: run.triggerCause ? JSON.stringify(run.triggerCause) : null,
    })
    .execute();
}

export async function finishPipelineRun(db: Db, id: string, status: PipelineRunStatus, error?: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('pipeline_runs')
    .set({ status, ended_at: Date.now(), error: error ? JSON.stringify(error) : null })
    .where('id', '=', id)
    .execute();
}

/**
 * Marks runs whose process died (kill -9, power loss) as failed, so a crash never leaves a run
 * "running" forever. Only runs started on this host can be checked; their pid must be gone.
 */
export async function failAbandonedRuns(db: Db, project: string): Promise<string[]> {
  const running = await db.selectFrom('pipeline_runs').selectAll().where('project', '=', project).where('status', '=', 'running').execute();
  const host = hostname();
  const abandoned = running.filter((r) => r.host === host && r.pid !== process.pid && !isAlive(r.pid));
  for (const run of abandoned) {
    const error = { code: 'ABANDONED', message: `The process running this pipeline (pid ${run.pid}) stopped before it finished` };
    await db.updateTable('pipeline_runs').set({ status: 'failed', ended_at: Date.now(), error: JSON.stringify(error) }).where('id', '=', run.id).execute();
    await db
      .updateTable('step_runs')
      .set({ status: 'failed', failure: 'killed', error: 'abandoned: the pipeline process died', ended_at: Date.now() })
      .where('pipeline_run_id', '=', run.id)
      .where('status', '=', 'running')
      .execute();
    await db.updateTable('step_runs').set({ status: 'skipped' }).where('pipeline_run_id', '=', run.id).where('status', '=', 'pending').execute();
  }
  return abandoned.map((r) => r.id);
}

export async function createStepRuns(db: Db, pipelineRunId: string, steps: { id: string; name: string; kind: string }[]): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('step_runs')
    .values(
      steps.map((s) => ({
        id: s.id,
        pipeline_run_id: pipelineRunId,
        name: s.name,
        kind: s.kind,
        status: 'pending' as StepRunStatus,
        cache_key: null,
        started_at: null,
        ended_at: null,
        exit_code: null,
        failure: null,
        error: null,
        log_digest: null,
        outputs: null,
        tracking_run_id: null,
        resources: null,
      })),
    )
    .execute();
}

export async function updateStepRun(
  db: Db,
  id: string,
  patch: Partial<Omit<StepRun, 'id' | 'pipeline_run_id' | 'name' | 'kind'>>,
): Promise<void> {
  await db.updateTable('step_runs').set(patch).where('id', '=', id).execute();
}

export async function lookupCache(db: Db, cacheKey: string): Promise<{ result: CachedResult; trackingRunId: string | null } | undefined> {
  const row = await db.selectFrom('step_cache').selectAll().where('cache_key', '=', cacheKey).executeTakeFirst();
  if (!row) return undefined;
  return { result: JSON.parse(row.outputs) as CachedResult, trackingRunId: row.tracking_run_id };
}

export async function saveCache(db: Db, entry: { cacheKey: string; kind: string; result: CachedResult; trackingRunId: string | null }): Promise<void> {
  await db
    .insertInto('step_cache')
    .values({
      cache_key: entry.cacheKey,
      step_kind: entry.kind,
      outputs: JSON.stringify(entry.result),
      tracking_run_id: entry.trackingRunId,
      created_at: Date.now(),
    })
    .onConflict((oc) => oc.column('cache_key').doUpdateSet({ outputs: JSON.stringify(entry.result), tracking_run_id: entry.trackingRunId, created_at: Date.now() }))
    .execute();
}

export async function deleteCache(db: Db, cacheKey: string): Promise<void> {
  await db.deleteFrom('step_cache').where('cache_key', '=', cacheKey).execute();
}

export interface NewDatasetVersion {
  id: string;
  name: string;
  project: string;
  digest: string;
  schema: unknown;
  rowCount: number;
  lineage: unknown;
  validation?: unknown;
  profile?: unknown;
  pipelineRunId: string;
}

/**
 * Content-addressed: a version whose id exists already is kept as it is, and gains the name.
 * Returns whether the version is new.
 */
export async function insertDatasetVersion(db: Db, v: NewDatasetVersion): Promise<boolean> {
  const now = Date.now();
  // The same content under the same name again (a rerun): the newest checks and run stand.
  const naming = {
    pipeline_run_id: v.pipelineRunId,
    created_at: now,
    validation: v.validation === undefined ? null : JSON.stringify(v.validation),
    lineage: JSON.stringify(v.lineage),
  };
  await db
    .insertInto('dataset_names')
    .values({ project: v.project, name: v.name, dataset_id: v.id, ...naming })
    .onConflict((oc) => oc.columns(['project', 'name', 'dataset_id']).doUpdateSet(naming))
    .execute();
  const existing = await db.selectFrom('dataset_versions').select(['id', 'profile']).where('id', '=', v.id).executeTakeFirst();
  if (existing) {
    // A version recorded before profiles existed gets one the first time it is seen again.
    if (existing.profile === null && v.profile !== undefined) {
      await db.updateTable('dataset_versions').set({ profile: JSON.stringify(v.profile) }).where('id', '=', v.id).execute();
    }
    return false;
  }
  await db
    .insertInto('dataset_versions')
    .values({
      id: v.id,
      name: v.name,
      project: v.project,
      digest: v.digest,
      schema: JSON.stringify(v.schema),
      row_count: v.rowCount,
      lineage: JSON.stringify(v.lineage),
      profile: v.profile === undefined ? null : JSON.stringify(v.profile),
      validation: v.validation === undefined ? null : JSON.stringify(v.validation),
      pipeline_run_id: v.pipelineRunId,
      created_at: now,
    })
    .execute();
  return true;
}

export async function insertGateResult(
  db: Db,
  g: { pipelineRunId: string; gate: string; subjectKind: string; subjectId: string; status: string; details: unknown },
): Promise<void> {
  await db
    .insertInto('gate_results')
    .values({
      pipeline_run_id: g.pipelineRunId,
      gate: g.gate,
      subject_kind: g.subjectKind,
      subject_id: g.subjectId,
      status: g.status,
      details: JSON.stringify(g.details),
      created_at: Date.now(),
    })
    .execute();
}

// ---- reading ----

export async function listPipelineRuns(db: Db, options: { project?: string; limit?: number } = {}): Promise<PipelineRun[]> {
  let q = db.selectFrom('pipeline_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc');
  if (options.project) q = q.where('project', '=', options.project);
  return q.limit(options.limit ?? 20).execute();
}

/** A run by id, unique id prefix, or `latest`. */
export async function getPipelineRun(db: Db, ref: string, project?: string): Promise<PipelineRun> {
  if (ref === 'latest') {
    const [latest] = await listPipelineRuns(db, { project, limit: 1 });
    if (!latest) throw new SluiceError('NOT_FOUND', 'There are no pipeline runs yet', { hint: 'Start one with `sluice run`.' });
    return latest;
  }
  const rows = await db.selectFrom('pipeline_runs').selectAll().where('id', 'like', `${ref.replace(/[%_]/g, '')}%`).limit(2).execute();
  if (rows.length === 0) throw new SluiceError('NOT_FOUND', `No pipeline run '${ref}'`, { hint: 'List runs with `sluice runs list`.' });
  if (rows.length > 1) throw new SluiceError('USAGE', `Run id prefix '${ref}' matches more than one run`, { hint: 'Give more characters of the id.' });
  return rows[0];
}

export async function listStepRuns(db: Db, pipelineRunId: string): Promise<StepRun[]> {
  return db.selectFrom('step_runs').selectAll().where('pipeline_run_id', '=', pipelineRunId).orderBy('id').execute();
}

export async function listGateResults(db: Db, pipelineRunId: string) {
  return db.selectFrom('gate_results').selectAll().where('pipeline_run_id', '=', pipelineRunId).orderBy('id').execute();
}

/** A dataset version under one of its names: the row, with `name` the name asked for. */
export type NamedDatasetVersion = DatasetVersionRow & { named_at: number; named_by_run: string };

export async function listDatasetVersions(db: Db, options: { project?: string; name?: string; limit?: number } = {}): Promise<NamedDatasetVersion[]> {
  let q = db
    .selectFrom('dataset_names as n')
    .innerJoin('dataset_versions as v', 'v.id', 'n.dataset_id')
    .selectAll('v')
    .select(['n.name as name', 'n.created_at as named_at', 'n.pipeline_run_id as named_by_run', 'n.validation as named_validation', 'n.lineage as named_lineage'])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.name');
  if (options.project) q = q.where('n.project', '=', options.project);
  if (options.name) q = q.where('n.name', '=', options.name);
  const rows = await q.limit(options.limit ?? 100).execute();
  // The checks and lineage of the step that gave this name, where it recorded its own.
  return rows.map(({ named_validation, named_lineage, ...r }) => ({ ...r, validation: named_validation ?? r.validation, lineage: named_lineage ?? r.lineage }));
}

/** A version by id (or unique id prefix), or the newest version under a name. */
export async function getDatasetVersion(db: Db, ref: string, project?: string): Promise<NamedDatasetVersion> {
  const byName = await listDatasetVersions(db, { project, name: ref, limit: 1 });
  if (byName[0]) return byName[0];
  const byId = await db.selectFrom('dataset_versions').selectAll().where('id', 'like', `${ref.replace(/[%_]/g, '')}%`).limit(2).execute();
  if (byId.length === 1) return { ...byId[0], named_at: byId[0].created_at, named_by_run: byId[0].pipeline_run_id };
  if (byId.length > 1) throw new SluiceError('USAGE', `Dataset id prefix '${ref}' matches more than one version`, { hint: 'Give more characters of the id.' });
  throw new SluiceError('NOT_FOUND', `No dataset version '${ref}'`, { hint: 'List them with `sluice datasets list`.' });
}

/**
 * Where a cached step's output is: a cached step did not run, so its log is that of the step run
 * that made the cache entry (the newest succeeded run with the same cache key and a stored log).
 */
export async function cachedLogOrigin(db: Db, step: StepRun): Promise<{ pipelineRunId: string; logDigest: string } | undefined> {
  if (step.status !== 'cached' || step.log_digest || !step.cache_key) return undefined;
  const origin = await db
    .selectFrom('step_runs')
    .select(['pipeline_run_id', 'log_digest'])
    .where('cache_key', '=', step.cache_key)
    .where('status', '=', 'succeeded')
    .where('log_digest', 'is not', null)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  return origin?.log_digest ? { pipelineRunId: origin.pipeline_run_id, logDigest: origin.log_digest } : undefined;
}
