/** The loop at a glance, for the web UI's first page: latest pipeline runs, models' champion and production, deployments. */
import { z } from 'zod';
import { listPipelineRuns, listStepRuns } from '../../pipeline/index.js';
import { getModelVersion, listRegisteredModels } from '../../registry/index.js';
import type { ModelVersion as ModelVersionRecord } from '../../registry/index.js';
import { route, type Route } from '../route.js';
import { deploymentSummaries, DeploymentSummary } from './deployment-state.js';
import { firingAlerts, FiringAlert } from './alerts-view.js';
import * as s from './schemas.js';

const VersionBrief = z.object({ version: z.number(), metrics: z.record(z.string(), z.number()), created_at: z.number(), tags: z.record(z.string(), z.string()) });
const StepCounts = z.object({ total: z.number(), succeeded: z.number(), cached: z.number(), failed: z.number(), running: z.number(), other: z.number() });

export const Overview = z.object({
  projects: z.array(
    z.object({
      project: z.string(),
      served: z.boolean().describe("The server's own project: its runs open under /api/v1/pipeline-runs (a shared store may hold others)"),
      latest_run: s.PipelineRun,
      steps: StepCounts,
    }),
  ),
  models: z.array(
    z.object({ name: z.string(), latest_version: z.number().nullable(), aliases: z.record(z.string(), z.number()), champion: VersionBrief.nullable(), production: VersionBrief.nullable() }),
  ),
  deployments: z.array(DeploymentSummary),
  alerts: z.array(FiringAlert),
});

const brief = (v: ModelVersionRecord) => ({ version: v.version, metrics: v.metrics, created_at: v.creationTime, tags: v.tags });

export const overviewRoutes: Route[] = [
  route({
    method: 'GET',
    path: 'overview',
    tag: 'Overview',
    summary: "The loop's state now: the latest pipeline run per project, each model's champion and production version, deployment health, firing alerts.",
    input: s.None,
    output: Overview,
    handler: async (_i, ctx) => {
      const db = ctx.store.db;
      const names = (await db.selectFrom('pipeline_runs').select('project').distinct().orderBy('project').execute()).map((r) => r.project);
      const projects = await Promise.all(
        names.map(async (project) => {
          const [run] = await listPipelineRuns(db, { project, limit: 1 });
          const steps = await listStepRuns(db, run.id);
          const count = (st: string) => steps.filter((x) => x.status === st).length;
          const known = count('succeeded') + count('cached') + count('failed') + count('running');
          return {
            project,
            served: project === ctx.project,
            latest_run: { ...run, error: run.error === null ? null : (JSON.parse(run.error) as unknown) },
            steps: { total: steps.length, succeeded: count('succeeded'), cached: count('cached'), failed: count('failed'), running: count('running'), other: steps.length - known },
          };
        }),
      );
      const models = await Promise.all(
        (await listRegisteredModels(db)).map(async (m) => {
          const at = async (alias: string) => (m.aliases[alias] === undefined ? null : brief(await getModelVersion(db, m.name, String(m.aliases[alias]))));
          return { name: m.name, latest_version: m.latestVersion, aliases: m.aliases, champion: await at('champion'), production: await at('production') };
        }),
      );
      const [deployments, alerts] = await Promise.all([deploymentSummaries(ctx), firingAlerts(ctx)]);
      return { projects, models, deployments, alerts };
    },
  }),
];
