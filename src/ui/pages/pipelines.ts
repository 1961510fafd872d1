/** Pipeline runs: the list, and one run's DAG (status, cache hit, time per step) with a step's logs, live while it runs. */
import { enc, v1, type Dag, type GateResult, type PipelineRun } from '../lib/api.js';
import { badge, empty, fmtDuration, fmtTime, h, link, replace, section, table } from '../lib/dom.js';
import { drawGraph, type GraphNode } from '../lib/graph.js';
import type { PageContext } from '../lib/router.js';
import { errorBox, fill, kv } from './_common.js';

export async function pipelinesPage({ main }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Pipeline runs'));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const { pipeline_runs: runs } = await v1<{ pipeline_runs: PipelineRun[] }>('pipeline-runs', { limit: 200 });
    if (runs.length === 0) return empty('No pipeline runs yet. `sluice run` starts one.');
    return table(
      ['Run', 'Status', 'Trigger', 'Started', 'Took'],
      runs.map((r) => [link(`/pipelines/${enc(r.id)}`, r.id), badge(r.status), r.trigger, fmtTime(r.started_at), fmtDuration(r.ended_at ? r.ended_at - r.started_at : null)]),
      { 'aria-label': 'Pipeline runs, newest first', 'data-table': 'pipeline-runs' },
    );
  });
}

const tone = (status: string): GraphNode['tone'] =>
  status === 'succeeded' ? 'good' : status === 'failed' ? 'bad' : status === 'running' || status === 'cached' ? 'warn' : status === 'not_run' || status === 'skipped' ? 'muted' : 'neutral';

export async function pipelineRunPage({ main, params, signal }: PageContext): Promise<void> {
  const runRef = params.id;
  const heading = h('h1', {}, `Pipeline run ${runRef}`);
  const summary = h('div', {});
  const graph = h('div', { class: 'graph-wrap' });
  const stepPanel = h('div', { id: 'step-panel' });
  const gates = h('div', {});
  main.append(heading, summary, section('Steps', h('p', { class: 'muted' }, 'Each step: its kind, status and time; a cached step was reused, not run again. Select one for its logs.'), graph), stepPanel, gates);

  let dag: Dag;
  const load = async (): Promise<boolean> => {
    try {
      dag = await v1<Dag>(`pipeline-runs/${enc(runRef)}/dag`);
    } catch (e) {
      replace(summary, errorBox(e));
      return false;
    }
    const run = dag.pipeline_run;
    heading.textContent = `Pipeline run ${run.id}`;
    replace(
      summary,
      kv([
        ['project', run.project],
        ['status', badge(run.status)],
        ['trigger', run.trigger],
        ['started', fmtTime(run.started_at)],
        ['took', fmtDuration(run.ended_at ? run.ended_at - run.started_at : null)],
        ['steps', `${dag.nodes.length}: ${dag.nodes.filter((n) => n.status === 'succeeded').length} ran, ${dag.nodes.filter((n) => n.cached).length} cached, ${dag.nodes.filter((n) => n.status === 'failed').length} failed`],
      ]),
    );
    const nodes: GraphNode[] = dag.nodes.map((n) => ({
      id: n.name,
      label: n.name,
      sub: `${n.kind} · ${n.cached ? 'cached' : n.status}${n.duration_ms !== null ? ` · ${fmtDuration(n.duration_ms)}` : ''}`,
      tone: tone(n.status),
      href: `/pipelines/${enc(run.id)}/steps/${enc(n.name)}`,
      title: `Step ${n.name}: ${n.kind}, ${n.cached ? 'cached' : n.status}${n.duration_ms !== null ? `, ${fmtDuration(n.duration_ms)}` : ''}`,
    }));
    replace(graph, drawGraph(nodes, dag.edges, `DAG of pipeline run ${run.id}`));
    return run.status === 'running';
  };

  const running = await load();
  if (params.step) await showStep(stepPanel, runRef, params.step, signal);
  void fill(gates, async () => {
    const { gates: list } = await v1<{ gates: GateResult[] }>(`pipeline-runs/${enc(runRef)}`);
    return section(
      'Gates',
      list.length === 0
        ? empty('No gate results in this run.')
        : table(
            ['Gate', 'Judged', 'Status', 'Checks'],
            list.map((g) => [
              g.gate,
              `${g.subject_kind} ${g.subject_id.slice(0, 16)}`,
              badge(g.status),
              h('ul', {}, (Array.isArray(g.details) ? (g.details as { message?: string; passed?: boolean; severity?: string }[]) : []).map((c) => h('li', {}, `${c.passed === false ? (c.severity === 'warn' ? '⚠ ' : '✗ ') : '✓ '}${c.message ?? ''}`))),
            ]),
            { 'data-table': 'gates' },
          ),
    );
  });
  // While the run runs, redraw the graph every two seconds.
  if (running) {
    const timer = setInterval(async () => {
      if (!(await load())) clearInterval(timer);
    }, 2000);
    signal.addEventListener('abort', () => clearInterval(timer));
  }
}

async function showStep(panel: HTMLElement, runRef: string, step: string, signal: AbortSignal): Promise<void> {
  const log = h('pre', { class: 'log', 'aria-live': 'polite', 'aria-label': `Output of step ${step}`, tabindex: 0, 'data-log': step }, '');
  const state = h('span', {});
  replace(panel, section(`Step ${step}`, h('p', {}, 'Status: ', state, ' ', link(`/pipelines/${enc(runRef)}`, 'close')), log));
  let info: { status: string; live: boolean; text: string | null };
  try {
    info = await v1(`pipeline-runs/${enc(runRef)}/steps/${enc(step)}/logs`);
  } catch (e) {
    replace(panel, errorBox(e));
    return;
  }
  replace(state, badge(info.status));
  if (info.status !== 'running' && info.status !== 'pending') {
    log.textContent = info.text ?? '(no output recorded)';
    return;
  }
  // Live: server-sent events append the output as the step writes it.
  replace(state, badge(info.status), ' ', h('span', { class: 'muted', 'data-live': 'true' }, 'live'));
  const source = new EventSource(`/api/v1/pipeline-runs/${enc(runRef)}/steps/${enc(step)}/logs/stream`);
  signal.addEventListener('abort', () => source.close());
  source.addEventListener('log', (e) => {
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    log.textContent += (JSON.parse((e as MessageEvent<string>).data) as { text: string }).text;
    if (atEnd) log.scrollTop = log.scrollHeight;
  });
  source.addEventListener('status', (e) => replace(state, badge((JSON.parse((e as MessageEvent<string>).data) as { status: string }).status), ' ', h('span', { class: 'muted', 'data-live': 'true' }, 'live')));
  source.addEventListener('end', (e) => {
    replace(state, badge((JSON.parse((e as MessageEvent<string>).data) as { status: string }).status));
    source.close();
  });
  source.onerror = () => source.close();
}
