/** A model version as the web UI shows it: its model card, and its lineage from the sources through data, runs and the version to its deployments. */
import { z } from 'zod';
import { SluiceError } from '../../errors.js';
import { getDatasetVersion } from '../../pipeline/index.js';
import { getModelVersion } from '../../registry/index.js';
import { CARD_FILE } from '../../training/package/index.js';
import type { ServerContext } from '../context.js';
import { route, type Route } from '../route.js';
import * as s from './schemas.js';

const LineageNode = z.object({
  id: z.string(),
  kind: z.enum(['source', 'dataset', 'pipeline_run', 'run', 'model_version', 'deployment']),
  label: z.string(),
  detail: z.string(),
});
const LineageEdge = z.object({ from: z.string(), to: z.string(), label: z.string() });
type Node = z.infer<typeof LineageNode>;
type Edge = z.infer<typeof LineageEdge>;

/** Walks dataset lineage upstream (inputs, then sources), at most `limit` datasets. */
async function datasetLineage(ctx: ServerContext, ids: string[], nodes: Map<string, Node>, edges: Edge[], limit = 60): Promise<void> {
  const queue = [...ids];
  while (queue.length && nodes.size < limit) {
    const id = queue.shift()!;
    const key = `dataset:${id}`;
    if (nodes.has(key)) continue;
    const dv = await getDatasetVersion(ctx.store.db, id).catch(() => null);
    if (!dv) {
      nodes.set(key, { id: key, kind: 'dataset', label: id, detail: 'not in the store' });
      continue;
    }
    nodes.set(key, { id: key, kind: 'dataset', label: `${dv.name} ${dv.id}`, detail: `${dv.row_count} rows` });
    const lineage = JSON.parse(dv.lineage) as { step?: string; sources?: { name: string; uri: string; digest: string }[]; inputs?: { name: string; dataset: string | null }[] };
    for (const input of lineage.inputs ?? []) {
      if (!input.dataset || input.dataset === dv.id) continue;
      edges.push({ from: `dataset:${input.dataset}`, to: key, label: lineage.step ?? input.name });
      queue.push(input.dataset);
    }
    // Sources only at the datasets read straight from them: the walk stops there.
    if (!(lineage.inputs ?? []).some((x) => x.dataset && x.dataset !== dv.id)) {
      for (const src of lineage.sources ?? []) {
        const sk = `source:${src.name}:${src.digest}`;
        if (!nodes.has(sk)) nodes.set(sk, { id: sk, kind: 'source', label: src.name, detail: `${src.uri} sha256 ${src.digest.slice(0, 12)}` });
        edges.push({ from: sk, to: key, label: lineage.step ?? 'acquire' });
      }
    }
  }
}

export const modelViewRoutes: Route[] = [
  route({
    method: 'GET',
    path: 'models/:name/versions/:selector/card',
    tag: 'Models',
    summary: "A model version's model card (Markdown), from its model package.",
    input: s.VersionSelector,
    output: z.object({ name: z.string(), version: z.number(), markdown: z.string().nullable() }),
    handler: async (i, ctx) => {
      const v = await getModelVersion(ctx.store.db, i.name, i.selector);
      let markdown: string | null = null;
      try {
        const entry = (await ctx.artifacts.readManifest(v.source)).files.find((f) => f.path === CARD_FILE);
        if (entry) markdown = (await ctx.artifacts.readBytes(entry.digest)).toString('utf8');
      } catch (e) {
        // A version registered through the MLflow API may point at something that is no package.
        if (!(e instanceof SluiceError)) throw e;
      }
      return { name: v.name, version: v.version, markdown };
    },
  }),
  route({
    method: 'GET',
    path: 'models/:name/versions/:selector/lineage',
    tag: 'Models',
    summary: 'The lineage graph of a model version: sources → dataset versions → pipeline run and tracking run → the version → deployments.',
    input: s.VersionSelector,
    output: z.object({ nodes: z.array(LineageNode), edges: z.array(LineageEdge) }),
    handler: async (i, ctx) => {
      const v = await getModelVersion(ctx.store.db, i.name, i.selector);
      const nodes = new Map<string, Node>();
      const edges: Edge[] = [];
      const mv = `model_version:${v.name}:${v.version}`;
      nodes.set(mv, { id: mv, kind: 'model_version', label: `${v.name} v${v.version}`, detail: v.aliases.length ? `@${v.aliases.join(' @')}` : '' });
      const producer = v.runId ? `run:${v.runId}` : v.pipelineRunId ? `pipeline_run:${v.pipelineRunId}` : mv;
      if (v.pipelineRunId) {
        nodes.set(`pipeline_run:${v.pipelineRunId}`, { id: `pipeline_run:${v.pipelineRunId}`, kind: 'pipeline_run', label: v.pipelineRunId, detail: `code ${v.codeHash?.slice(0, 12) ?? '?'}` });
      }
      if (v.runId) {
        nodes.set(producer, { id: producer, kind: 'run', label: v.runId.slice(0, 12), detail: String(v.params.trainer ?? 'training run') });
        if (v.pipelineRunId) edges.push({ from: `pipeline_run:${v.pipelineRunId}`, to: producer, label: 'ran' });
      }
      if (producer !== mv) edges.push({ from: producer, to: mv, label: 'registered' });
      await datasetLineage(ctx, Object.values(v.datasets), nodes, edges);
      for (const [role, id] of Object.entries(v.datasets)) edges.push({ from: `dataset:${id}`, to: producer, label: role });
      const revisions = await ctx.store.db
        .selectFrom('deployment_revisions')
        .select(['id', 'environment', 'strategy', 'status', 'created_at'])
        .where('model', '=', v.name)
        .where('version', '=', v.version)
        .orderBy('id')
        .execute();
      for (const r of revisions) {
        const key = `deployment:${r.environment}`;
        const node = nodes.get(key);
        const detail = `revision ${r.id} ${r.strategy} ${r.status}`;
        if (node) node.detail = detail;
        else {
          nodes.set(key, { id: key, kind: 'deployment', label: r.environment, detail });
          edges.push({ from: mv, to: key, label: 'deployed' });
        }
      }
      return { nodes: [...nodes.values()], edges };
    },
  }),
];
