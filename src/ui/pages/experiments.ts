/**
 * Experiments and their runs: a virtualised table (100,000 rows scroll smoothly) filled page by
 * page from runs/search, sorted and filtered on the server in MLflow's syntax, with a choice of
 * columns. Filter, sort and columns live in the URL, so a view can be linked.
 */
import { enc, mlflowPost, type Experiment, type MlflowRun } from '../lib/api.js';
import { empty, fmtTime, h, link, replace, table } from '../lib/dom.js';
import { navigate, setQuery, type PageContext } from '../lib/router.js';
import { VirtualTable, type Column } from '../lib/vtable.js';
import { errorBox, fill } from './_common.js';

export async function experimentsPage({ main }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Experiments'));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const { experiments = [] } = await mlflowPost<{ experiments?: Experiment[] }>('experiments/search', { max_results: 1000, order_by: ['last_update_time DESC'] });
    if (experiments.length === 0) return empty('No experiments yet.');
    return table(
      ['Experiment', 'ID', 'Last update'],
      experiments.map((x) => [link(`/experiments/${enc(x.experiment_id)}`, x.name), h('span', { class: 'mono' }, x.experiment_id), fmtTime(x.last_update_time)]),
      { 'data-table': 'experiments', 'aria-label': 'Experiments' },
    );
  });
}

export interface RunRow {
  id: string;
  name: string;
  status: string;
  start: number;
  duration: number | null;
  metrics: Record<string, number>;
  params: Record<string, string>;
}

export const toRow = (r: MlflowRun): RunRow => ({
  id: r.info.run_id,
  name: r.info.run_name ?? r.info.run_id,
  status: r.info.status,
  start: r.info.start_time ?? 0,
  duration: r.info.end_time && r.info.start_time ? r.info.end_time - r.info.start_time : null,
  metrics: Object.fromEntries((r.data.metrics ?? []).map((m) => [m.key, m.value])),
  params: Object.fromEntries((r.data.params ?? []).map((p) => [p.key, p.value])),
});

const FIXED: Column<RunRow>[] = [
  { key: 'name', label: 'Run', value: (r) => r.name, sortKey: 'attributes.run_name', width: 200 },
  { key: 'status', label: 'Status', value: (r) => r.status, sortKey: 'attributes.status', width: 100 },
  { key: 'start', label: 'Started', value: (r) => fmtTime(r.start), sortKey: 'attributes.start_time', width: 170 },
];

function columnFor(key: string): Column<RunRow> {
  const [kind, ...rest] = key.split('.');
  const name = rest.join('.');
  const quoted = /^[\w]+$/.test(name) ? name : `\`${name}\``;
  if (kind === 'metrics') return { key, label: name, value: (r) => r.metrics[name], numeric: true, sortKey: `metrics.${quoted}` };
  return { key, label: name, value: (r) => r.params[name], sortKey: `params.${quoted}` };
}

const FIRST_PAGE = 200;
const PAGE = 5000;

export async function experimentPage({ main, params, query, signal }: PageContext): Promise<void> {
  const id = params.id;
  const heading = h('h1', {}, `Experiment ${id}`);
  main.append(heading);
  void mlflowPost<{ experiments?: Experiment[] }>('experiments/search', { max_results: 1000 }).then(({ experiments = [] }) => {
    const x = experiments.find((e) => e.experiment_id === id);
    if (x) heading.textContent = `Experiment ${x.name}`;
  }, () => {});

  const filter = query.get('filter') ?? '';
  const order = query.get('order') ?? 'attributes.start_time DESC';
  const input = h('input', { id: 'run-filter', class: 'grow', type: 'search', value: filter, placeholder: 'metrics.roc_auc > 0.9 and params.max_iter = "300"', 'aria-describedby': 'filter-help' });
  const form = h(
    'form',
    { class: 'toolbar', role: 'search' },
    h('label', { for: 'run-filter' }, 'Filter'),
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
  );
  const help = h('p', { id: 'filter-help', class: 'muted' }, 'MLflow filter syntax: metrics.x > 0.9, params.p = "v", tags.t = "v", attributes.status = "FINISHED", joined with and. Press / to focus.');
  const status = h('span', { class: 'muted', 'aria-live': 'polite', 'data-count': '0' }, 'loading…');
  const compare = h('button', { type: 'button', disabled: true }, 'Compare selected');
  const chooser = h('details', { class: 'columns' }, h('summary', { class: 'button' }, 'Columns'), h('div', { role: 'group', 'aria-label': 'Columns to show' }));
  const tools = h('div', { class: 'toolbar' }, status, compare, chooser);
  const holder = h('div', {});
  main.append(form, help, tools, holder);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams(window.location.search);
    if (input.value.trim()) q.set('filter', input.value.trim());
    else q.delete('filter');
    navigate(`${window.location.pathname}?${q}`);
  });
  const slash = (e: KeyboardEvent) => {
    if (e.key === '/' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      input.focus();
    }
  };
  document.addEventListener('keydown', slash);
  signal.addEventListener('abort', () => document.removeEventListener('keydown', slash));

  const selected = new Set<string>();
  const [sortKey, dir] = [order.replace(/\s+(ASC|DESC)$/i, ''), /\s+ASC$/i.test(order)];
  const vt = new VirtualTable<RunRow>({
    label: 'Runs',
    rowId: (r) => r.id,
    rowLabel: (r) => `run ${r.name}`,
    onOpen: (r) => navigate(`/runs/${enc(r.id)}`),
    onSort: (key) => {
      const q = new URLSearchParams(window.location.search);
      q.set('order', `${key} ${key === sortKey && !dir ? 'ASC' : 'DESC'}`);
      navigate(`${window.location.pathname}?${q}`);
    },
    sort: { key: sortKey, asc: dir },
    selected,
    onSelect: (s) => {
      compare.disabled = s.size < 2;
      compare.textContent = `Compare selected (${s.size})`;
    },
  });
  signal.addEventListener('abort', () => vt.destroy());
  compare.addEventListener('click', () => navigate(`/compare?runs=${[...selected].map(enc).join(',')}`));

  const rows: RunRow[] = [];
  let chosen = query.get('cols')?.split(',').filter(Boolean) ?? null;
  const known = new Set<string>();
  const setColumns = () => {
    const keys = chosen ?? [...known].filter((k) => k.startsWith('metrics.')).slice(0, 5).concat([...known].filter((k) => k.startsWith('params.')).slice(0, 2));
    vt.setColumns([...FIXED, ...keys.map(columnFor)]);
    const box = chooser.querySelector('div')!;
    replace(
      box,
      [...known].sort().map((k) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            value: k,
            checked: keys.includes(k),
            onchange: () => {
              chosen = [...box.querySelectorAll<HTMLInputElement>('input:checked')].map((x) => x.value);
              const q = new URLSearchParams(window.location.search);
              q.set('cols', chosen.join(','));
              setQuery(q);
              setColumns();
            },
          }),
          k,
        ),
      ),
    );
  };
  holder.append(vt.el);

  let token: string | undefined;
  let first = true;
  try {
    do {
      const page = await mlflowPost<{ runs?: MlflowRun[]; next_page_token?: string }>('runs/search', {
        experiment_ids: [id],
        filter,
        order_by: [order],
        max_results: first ? FIRST_PAGE : PAGE,
        page_token: token,
      });
      if (signal.aborted) return;
      const before = known.size;
      for (const r of page.runs ?? []) {
        const row = toRow(r);
        rows.push(row);
        if (rows.length <= FIRST_PAGE) for (const k of Object.keys(row.metrics)) known.add(`metrics.${k}`);
        if (rows.length <= FIRST_PAGE) for (const k of Object.keys(row.params)) known.add(`params.${k}`);
      }
      if (first || known.size !== before) setColumns();
      token = page.next_page_token;
      vt.setRows(rows, token ? rows.length + 1 : rows.length);
      status.textContent = `${rows.length.toLocaleString('en-US')} runs${token ? ', loading more…' : ''}`;
      status.dataset.count = String(rows.length);
      status.dataset.done = token ? 'false' : 'true';
      if (first && rows.length === 0) holder.append(empty(filter ? 'No run matches this filter.' : 'No runs in this experiment.'));
      // Let the first rows paint before the bigger pages arrive.
      if (first) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      first = false;
    } while (token && !signal.aborted);
  } catch (e) {
    status.textContent = '';
    holder.prepend(errorBox(e));
  }
}
