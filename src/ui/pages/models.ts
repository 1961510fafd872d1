/** Models: versions, aliases, tags, gate results, the model card, and lineage from data through the run and version to deployments. */
import { enc, v1, type LineageGraph, type ModelVersion, type RegisteredModel } from '../lib/api.js';
import { badge, empty, fmtNum, fmtTime, h, link, section, table } from '../lib/dom.js';
import { drawGraph, type GraphNode } from '../lib/graph.js';
import { markdown } from '../lib/markdown.js';
import type { PageContext } from '../lib/router.js';
import { errorBox, fill, headlineMetrics, kv } from './_common.js';

const aliasList = (aliases: string[]) => (aliases.length ? aliases.map((a) => h('span', { class: 'badge neutral', 'data-alias': a }, `@${a}`)) : '–');
const tagList = (tags: Record<string, string>) => (Object.keys(tags).length ? Object.entries(tags).map(([k, v]) => h('span', { class: 'badge neutral' }, v ? `${k}=${v}` : k)) : '–');

export async function modelsPage({ main }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Models'));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const { models } = await v1<{ models: RegisteredModel[] }>('models');
    if (models.length === 0) return empty('No registered models yet.');
    return table(
      ['Model', 'Latest version', 'Aliases', 'Tags', 'Updated'],
      models.map((m) => [
        link(`/models/${enc(m.name)}`, m.name),
        m.latestVersion === null ? '–' : link(`/models/${enc(m.name)}/versions/${m.latestVersion}`, `v${m.latestVersion}`),
        Object.entries(m.aliases).map(([a, v]) => h('span', { class: 'badge neutral' }, `@${a} → v${v}`)),
        tagList(m.tags),
        fmtTime(m.lastUpdatedTime),
      ]),
      { 'data-table': 'models' },
    );
  });
}

export async function modelPage({ main, params }: PageContext): Promise<void> {
  const name = params.name;
  main.append(h('h1', {}, `Model ${name}`));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const [{ versions }, { events }] = await Promise.all([
      v1<{ versions: ModelVersion[] }>(`models/${enc(name)}/versions`),
      v1<{ events: { version: number | null; action: string; detail: Record<string, unknown>; actor: string; reason: string; at: number }[] }>(`models/${enc(name)}/history`),
    ]);
    return [
      section(
        'Versions',
        table(
          ['Version', 'Created', 'Aliases', 'Tags', 'Gates', 'Metrics'],
          versions.map((v) => [
            link(`/models/${enc(name)}/versions/${v.version}`, `v${v.version}`),
            fmtTime(v.creationTime),
            aliasList(v.aliases),
            tagList(v.tags),
            v.gates.map((g) => [badge(g.status), ' ', g.gate, ' ']),
            headlineMetrics(v.metrics).map(([k, x]) => `${k} ${fmtNum(x)}`).join(', '),
          ]),
          { 'data-table': 'versions' },
        ),
      ),
      section(
        'History',
        table(
          ['When', 'Version', 'Action', 'Detail', 'Who', 'Why'],
          events.map((e) => [fmtTime(e.at), e.version === null ? '–' : `v${e.version}`, e.action, h('span', { class: 'mono' }, JSON.stringify(e.detail).slice(0, 120)), e.actor, e.reason]),
          { 'data-table': 'history' },
        ),
      ),
    ];
  });
}

const KIND_LINK: Record<string, (id: string) => string | undefined> = {
  dataset: (id) => `/datasets/${enc(id.slice('dataset:'.length))}`,
  pipeline_run: (id) => `/pipelines/${enc(id.slice('pipeline_run:'.length))}`,
  run: (id) => `/runs/${enc(id.slice('run:'.length))}`,
  model_version: (id) => {
    const [, n, v] = id.split(':');
    return `/models/${enc(n)}/versions/${v}`;
  },
  deployment: (id) => `/deployments/${enc(id.slice('deployment:'.length))}`,
  source: () => undefined,
};

export async function modelVersionPage({ main, params }: PageContext): Promise<void> {
  const base = `models/${enc(params.name)}/versions/${enc(params.version)}`;
  let v: ModelVersion;
  try {
    ({ version: v } = await v1<{ version: ModelVersion }>(base));
  } catch (e) {
    main.append(h('h1', {}, `${params.name} ${params.version}`), errorBox(e));
    return;
  }
  const lineage = h('div', { class: 'graph-wrap' });
  const card = h('div', {});
  const metrics = Object.entries(v.metrics).filter(([k]) => !k.includes('.'));
  main.append(
    h('h1', {}, `${v.name} `, h('span', { 'data-version': v.version }, `v${v.version}`)),
    kv([
      ['aliases', aliasList(v.aliases)],
      ['tags', tagList(v.tags)],
      ['registered', fmtTime(v.creationTime)],
      ['training run', v.runId ? link(`/runs/${enc(v.runId)}`, v.runId) : '–'],
      ['pipeline run', v.pipelineRunId ? link(`/pipelines/${enc(v.pipelineRunId)}`, v.pipelineRunId) : '–'],
      ['code', v.codeHash ? h('span', { class: 'mono' }, v.codeHash.slice(0, 16)) : '–'],
      ['data', Object.entries(v.datasets).map(([role, id]) => h('span', {}, `${role}: `, link(`/datasets/${enc(id)}`, id), ' '))],
      ['package', h('span', { class: 'mono' }, v.source.slice(0, 16))],
    ]),
    section('Lineage', h('p', { class: 'muted' }, 'From the sources through dataset versions and the runs to this version and the environments serving it. Select a node to open it.'), lineage),
    section(
      'Gates',
      v.gates.length === 0
        ? empty('No gates recorded.')
        : table(
            ['Gate', 'Result', 'Checks'],
            v.gates.map((g) => [g.gate, badge(g.status), h('ul', {}, (g.checks ?? []).map((c) => h('li', {}, `${c.passed === false ? (c.severity === 'warn' ? '⚠ ' : '✗ ') : '✓ '}${c.message ?? ''}`)))]),
            { 'data-table': 'gates' },
          ),
    ),
    section('Metrics', table(['Metric', 'Value'], metrics.map(([k, x]) => [k, h('span', { class: 'num', 'data-metric': k }, fmtNum(x))]), { 'data-table': 'metrics' })),
    section('Model card', card),
  );
  await Promise.all([
    fill(lineage, async () => {
      const g = await v1<LineageGraph>(`${base}/lineage`);
      const nodes: GraphNode[] = g.nodes.map((n) => ({
        id: n.id,
        label: n.label,
        sub: `${n.kind.replace('_', ' ')}${n.detail ? ` · ${n.detail}` : ''}`,
        tone: n.kind === 'model_version' ? 'good' : n.kind === 'deployment' ? 'warn' : 'neutral',
        href: KIND_LINK[n.kind]?.(n.id),
      }));
      return drawGraph(nodes, g.edges, `Lineage of ${v.name} v${v.version}`);
    }),
    fill(card, async () => {
      const c = await v1<{ markdown: string | null }>(`${base}/card`);
      if (!c.markdown) return empty('This version has no model card.');
      const card = markdown(c.markdown, { headingShift: 2 });
      card.classList.add('model-card');
      return card;
    }),
  ]);
}
