/** Triggers over HTTP: start a run by hand (or from CI) through the server's scheduler, and list schedules and trigger events. */
import { z } from 'zod';
import { SluiceError } from '../../errors.js';
import { listTriggerEvents, TRIGGER_KINDS } from '../../pipeline/triggers/events.js';
import { route, type Route } from '../route.js';

const json = z.unknown().describe('JSON value');

const TriggerEvent = z.object({
  id: z.number(),
  kind: z.enum(TRIGGER_KINDS),
  cause: json,
  status: z.string().describe('started, skipped, rate-limited, succeeded, failed, blocked, no-change, deploying, promoted or stopped'),
  reason: z.string().nullable(),
  pipeline_run_id: z.string().nullable(),
  model: z.string().nullable(),
  version: z.number().nullable(),
  environment: z.string().nullable(),
  revision_id: z.number().nullable(),
  detail: json,
  at: z.number(),
  ended_at: z.number().nullable(),
});

export const triggerRoutes: Route[] = [
  route({
    method: 'POST',
    path: 'runs',
    tag: 'Pipeline runs',
    summary: 'Start a pipeline run now (trigger manual, or ci). 409 while a run is in progress, or when the server runs without its scheduler (--no-scheduler).',
    input: z.object({
      reason: z.string().max(2000).optional().describe('Why: recorded as the cause of the run.'),
      kind: z.enum(['manual', 'ci']).default('manual'),
      force: z.boolean().default(false).describe('Rerun every step, ignoring the cache.'),
      actor: z.string().max(200).optional(),
    }),
    output: z.object({ trigger_event: z.number(), pipeline_run_id: z.string().nullable() }),
    handler: async (i, ctx, _request, reply) => {
      if (!ctx.triggers) throw new SluiceError('CONFLICT', 'This server runs without its scheduler, so it cannot start runs', { hint: 'Start `sluice server` without --no-scheduler, or run `sluice trigger` in the project folder.' });
      const started = await ctx.triggers.trigger({ kind: i.kind, reason: i.reason, actor: i.actor ?? ctx.actor, force: i.force });
      void reply.code(202);
      return { trigger_event: started.eventId, pipeline_run_id: (await started.runId) ?? null };
    },
  }),
  route({
    method: 'GET',
    path: 'triggers',
    tag: 'Pipeline runs',
    summary: 'The cron schedules with their next time (when the scheduler runs), and the trigger events, newest first: what fired, and the run, model version and deployment it led to.',
    input: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50), kind: z.enum(TRIGGER_KINDS).optional() }),
    output: z.object({
      scheduler: z.boolean(),
      schedules: z.array(z.object({ name: z.string(), cron: z.string(), timezone: z.string(), last: z.number().nullable(), next: z.number().nullable() })),
      events: z.array(TriggerEvent),
    }),
    handler: async (i, ctx) => {
      const events = await listTriggerEvents(ctx.store.db, ctx.project, { limit: i.limit, kind: i.kind });
      return {
        scheduler: ctx.triggers !== undefined,
        schedules: ctx.triggers ? await ctx.triggers.schedules() : [],
        events: events.map((e) => ({ id: e.id, kind: e.kind, cause: e.cause, status: e.status, reason: e.reason, pipeline_run_id: e.pipelineRunId, model: e.model, version: e.version, environment: e.environment, revision_id: e.revisionId, detail: e.detail, at: e.at, ended_at: e.endedAt })),
      };
    },
  }),
];
