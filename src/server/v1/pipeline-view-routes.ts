/**
 * A pipeline run as the web UI draws it (the DAG with each step's status, cache hit and time)
 * and its steps' logs: stored ones, and live ones as server-sent events while a step runs —
 * the same files `sluice logs --follow` tails.
 */
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { SluiceError } from '../../errors.js';
import { buildPlan, cachedLogOrigin, getPipelineRun, listStepRuns, liveLogPath } from '../../pipeline/index.js';
import type { StepRun } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { required } from '../mlflow/fields.js';
import { route, type Route } from '../route.js';
import * as s from './schemas.js';

const DagNode = z.object({
  name: z.string(),
  kind: z.string(),
  status: z.string().describe("pending, running, succeeded, cached, failed, skipped; 'not_run' for a step of the pipeline this run did not record"),
  cached: z.boolean(),
  started_at: z.number().nullable(),
  ended_at: z.number().nullable(),
  duration_ms: z.number().nullable(),
  tracking_run_id: z.string().nullable(),
  failure: z.string().nullable(),
  error: z.string().nullable(),
});
const StepRef = z.object({ ref: required(500), step: required(500) });

async function stepOf(ctx: ServerContext, ref: string, step: string): Promise<{ runId: string; runStatus: string; step: StepRun }> {
  const run = await getPipelineRun(ctx.store.db, ref, ctx.project);
  const found = (await listStepRuns(ctx.store.db, run.id)).find((x) => x.name === step);
  if (!found) throw new SluiceError('NOT_FOUND', `Run ${run.id} has no step '${step}'`, { hint: `GET /api/v1/pipeline-runs/${run.id} lists its steps.` });
  return { runId: run.id, runStatus: run.status, step: found };
}

async function readFrom(path: string, from: number): Promise<{ text: string; size: number } | null> {
  const size = await stat(path).then((st) => st.size, () => -1);
  if (size < 0) return null;
  if (size <= from) return { text: '', size };
  const f = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    await f.read(buf, 0, buf.length, from);
    return { text: buf.toString('utf8'), size };
  } finally {
    await f.close();
  }
}

/** The step's whole output: stored once it ended, else the live file (when the server runs in the project). */
async function stepLog(ctx: ServerContext, runId: string, step: StepRun): Promise<{ text: string; live: boolean } | null> {
  if (step.log_digest) return { text: (await ctx.artifacts.readBytes(step.log_digest)).toString('utf8'), live: false };
  // A cached step did not run here: its output is the log of the run that made the cached result.
  const origin = await cachedLogOrigin(ctx.store.db, step);
  if (origin) return { text: (await ctx.artifacts.readBytes(origin.logDigest)).toString('utf8'), live: false };
  if (!ctx.local) return null;
  const live = await readFrom(liveLogPath(ctx.local.workspace, runId, step.name), 0);
  return live ? { text: live.text, live: true } : null;
}

const ended = (status: string) => !['running', 'pending'].includes(status);

export const pipelineViewRoutes: Route[] = [
  route({
    method: 'GET',
    path: 'pipeline-runs/:ref/dag',
    tag: 'Pipeline runs',
    summary: "A pipeline run as a graph: its steps (status, cache hit, time) and the edges between them from the project's pipeline.",
    input: s.Ref,
    output: z.object({ pipeline_run: s.PipelineRun, nodes: z.array(DagNode), edges: z.array(z.object({ from: z.string(), to: z.string() })) }),
    handler: async (i, ctx) => {
      const run = await getPipelineRun(ctx.store.db, i.ref, ctx.project);
      const steps = await listStepRuns(ctx.store.db, run.id);
      let plan: ReturnType<typeof buildPlan> | null = null;
      try {
        plan = ctx.local ? buildPlan(ctx.local.config, ctx.local.dir) : null;
      } catch {
        plan = null; // a sluice.yaml edited into an invalid state since: draw the steps without edges
      }
      const nodes: z.infer<typeof DagNode>[] = steps.map((x) => ({
        name: x.name,
        kind: x.kind,
        status: x.status as string,
        cached: x.status === 'cached',
        started_at: x.started_at,
        ended_at: x.ended_at,
        duration_ms: x.started_at !== null && x.ended_at !== null ? x.ended_at - x.started_at : null,
        tracking_run_id: x.tracking_run_id,
        failure: x.failure,
        error: x.error,
      }));
      const names = new Set(nodes.map((n) => n.name));
      for (const id of plan?.order ?? []) {
        if (names.has(id)) continue;
        const n = plan!.nodes.get(id)!;
        nodes.push({ name: id, kind: n.kind, status: 'not_run', cached: false, started_at: null, ended_at: null, duration_ms: null, tracking_run_id: null, failure: null, error: null });
        names.add(id);
      }
      const edges = [...(plan?.nodes.values() ?? [])].flatMap((n) => n.deps.filter((d) => names.has(d) && names.has(n.id)).map((d) => ({ from: d, to: n.id })));
      return { pipeline_run: { ...run, error: run.error === null ? null : (JSON.parse(run.error) as unknown) }, nodes, edges };
    },
  }),
  route({
    method: 'GET',
    path: 'pipeline-runs/:ref/steps/:step/logs',
    tag: 'Pipeline runs',
    summary: "A step's output: stored once the step ended, the live file while it runs.",
    input: StepRef,
    output: z.object({ run: z.string(), step: z.string(), status: z.string(), live: z.boolean(), text: z.string().nullable() }),
    handler: async (i, ctx) => {
      const { runId, step } = await stepOf(ctx, i.ref, i.step);
      const log = await stepLog(ctx, runId, step);
      return { run: runId, step: step.name, status: step.status, live: log?.live ?? false, text: log?.text ?? null };
    },
  }),
  route({
    method: 'GET',
    path: 'pipeline-runs/:ref/steps/:step/logs/stream',
    tag: 'Pipeline runs',
    summary:
      "A step's output as server-sent events: `log` events ({text}) as it is written, `status` ({status}) when it changes, then `end` ({status}). A step that already ended sends its stored output and `end`.",
    contentType: 'text/event-stream',
    input: StepRef,
    output: z.object({ text: z.string().optional(), status: z.string().optional() }).describe('The JSON data of one event'),
    handler: async (i, ctx, request, reply) => {
      const first = await stepOf(ctx, i.ref, i.step);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let closed = false;
      request.raw.on('close', () => (closed = true));
      const finish = (status: string) => {
        send('end', { status });
        res.end();
      };
      try {
        const path = ctx.local ? liveLogPath(ctx.local.workspace, first.runId, first.step.name) : null;
        let offset = 0;
        let status = first.step.status;
        send('status', { status });
        let lastBeat = Date.now();
        while (!closed) {
          const step = (await listStepRuns(ctx.store.db, first.runId)).find((x) => x.name === first.step.name) ?? first.step;
          if (step.status !== status) send('status', { status: (status = step.status) });
          const chunk = path ? await readFrom(path, offset) : null;
          if (chunk?.text) {
            offset = chunk.size;
            send('log', { text: chunk.text });
          }
          if (ended(step.status)) {
            // The step ended: its output moved to the artifact store; send what was not seen yet.
            if (step.log_digest) {
              const rest = (await ctx.artifacts.readBytes(step.log_digest)).subarray(offset).toString('utf8');
              if (rest) send('log', { text: rest });
            }
            return (finish(step.status), {});
          }
          const run = await ctx.store.db.selectFrom('pipeline_runs').select('status').where('id', '=', first.runId).executeTakeFirst();
          if (run?.status !== 'running') return (finish(step.status), {});
          if (Date.now() - lastBeat > 15_000) {
            res.write(': keep-alive\n\n');
            lastBeat = Date.now();
          }
          await new Promise((r) => setTimeout(r, 250));
        }
        res.end();
      } catch (e) {
        send('error', { message: e instanceof Error ? e.message : String(e) });
        res.end();
      }
      return {};
    },
  }),
];
