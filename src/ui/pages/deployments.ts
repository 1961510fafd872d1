/** Deployments: each environment's health, traffic split, revisions, smoke checks and canary analyses, and rollback. */
import { enc, v1, v1Post, type DeploymentSummary, type Revision } from '../lib/api.js';
import { badge, empty, fmtNum, fmtTime, h, link, replace, section, table } from '../lib/dom.js';
import { navigate, type PageContext } from '../lib/router.js';
import { errorBox, fill, kv } from './_common.js';

interface Analysis {
  status: string;
  canary: { requests: number; errorRate: number; p99Ms: number | null; meanProbability: number | null };
  stable: { requests: number; errorRate: number; p99Ms: number | null; meanProbability: number | null };
  shift: number | null;
  failures: string[];
}
interface Detail extends DeploymentSummary {
  revisions: Revision[];
  rollback: { via_api: boolean; command: string };
}

function trafficBar(split: DeploymentSummary['split']): HTMLElement {
  if (split.length === 0) return empty('No traffic routed.');
  return h(
    'div',
    { class: 'traffic', role: 'img', 'aria-label': `Traffic split: ${split.map((s) => `${s.model} v${s.version} ${s.weight}%`).join(', ')}`, 'data-split': split.map((s) => `${s.model}@${s.version}=${s.weight}`).join(',') },
    split.filter((s) => s.weight > 0).map((s) => {
      const d = h('div', {}, `${s.model} v${s.version} · ${s.weight}%`);
      d.style.width = `${s.weight}%`;
      return d;
    }),
  );
}

export async function deploymentsPage({ main }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Deployments'));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const { deployments } = await v1<{ deployments: DeploymentSummary[] }>('deployments');
    if (deployments.length === 0) return empty('No environments: declare one under `environments:` in sluice.yaml, then `sluice env serve --env <name>` and `sluice deploy`.');
    return h(
      'div',
      { class: 'cards' },
      deployments.map((d) =>
        h(
          'article',
          { class: 'card', 'data-environment': d.environment },
          h('h3', {}, link(`/deployments/${enc(d.environment)}`, d.environment)),
          kv([
            ['health', badge(d.health)],
            ['serving', d.current ? `${d.current.model} v${d.current.version} (revision ${d.current.id})` : 'nothing yet'],
            ['router', d.router_url ?? 'not known to this server'],
          ]),
          trafficBar(d.split),
        ),
      ),
    );
  });
}

function analysisTable(list: Analysis[]): HTMLElement {
  return table(
    ['Step', 'Result', 'Canary requests', 'Canary errors', 'Canary p99', 'Stable p99', 'Prediction shift', 'Failures'],
    list.map((a, i) => [
      String(i + 1),
      badge(a.status),
      String(a.canary.requests),
      `${fmtNum(a.canary.errorRate * 100, 2)}%`,
      a.canary.p99Ms === null ? '–' : `${fmtNum(a.canary.p99Ms, 1)} ms`,
      a.stable.p99Ms === null ? '–' : `${fmtNum(a.stable.p99Ms, 1)} ms`,
      a.shift === null ? '–' : fmtNum(a.shift),
      a.failures.join('; ') || '–',
    ]),
    { 'data-table': 'analysis' },
  );
}

export async function deploymentPage({ main, params }: PageContext): Promise<void> {
  const env = params.env;
  main.append(h('h1', {}, `Environment ${env}`));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const d = await v1<Detail>(`deployments/${enc(env)}`);
    const canaries = d.revisions.filter((r) => Array.isArray(r.detail.analyses) && (r.detail.analyses as unknown[]).length > 0);
    const checksOf = (r: Revision) => (Array.isArray(r.detail.checks) ? (r.detail.checks as { name: string; passed: boolean; message: string }[]) : []);
    return [
      kv([
        ['health', badge(d.health)],
        ['router', d.router_url ?? 'not known to this server'],
        ['serving', d.current ? h('span', {}, link(`/models/${enc(d.current.model)}/versions/${d.current.version}`, `${d.current.model} v${d.current.version}`), ` since ${fmtTime(d.current.updatedAt)}`) : 'nothing yet'],
      ]),
      section('Traffic split', trafficBar(d.split)),
      section('Rollback', rollbackControl(env, d)),
      section(
        'Revisions',
        d.revisions.length === 0
          ? empty('No revisions yet.')
          : table(
              ['Revision', 'When', 'Model', 'Strategy', 'Status', 'Checks', 'Who', 'Why'],
              d.revisions.map((r) => [
                String(r.id),
                fmtTime(r.createdAt),
                link(`/models/${enc(r.model)}/versions/${r.version}`, `${r.model} v${r.version}`),
                r.strategy,
                badge(r.status),
                checksOf(r).map((c) => h('div', {}, c.passed ? '✓ ' : '✗ ', c.message)),
                r.actor,
                r.reason ?? (typeof r.detail.error === 'string' ? r.detail.error : ''),
              ]),
              { 'data-table': 'revisions' },
            ),
      ),
      section(
        'Canary analysis',
        canaries.length === 0
          ? empty('No canary deployments yet.')
          : canaries.map((r) => h('div', {}, h('h3', {}, `Revision ${r.id}: ${r.model} v${r.version} `, badge(r.status)), analysisTable(r.detail.analyses as Analysis[]))),
      ),
    ];
  });
}

function rollbackControl(env: string, d: Detail): HTMLElement {
  const previous = d.revisions.find((r) => r.id !== d.current?.id && ['superseded', 'applied'].includes(r.status));
  if (!d.rollback.via_api || d.health !== 'up') {
    return h(
      'div',
      {},
      h('p', {}, d.rollback.via_api ? "The environment's router is not running, so this page cannot roll back. In the project folder, run:" : 'This server does not know where the environment runs. In the project folder, run:'),
      h('pre', { 'data-command': d.rollback.command }, d.rollback.command),
    );
  }
  const out = h('div', { 'aria-live': 'polite' });
  const reason = h('input', { id: 'rollback-reason', type: 'text', placeholder: 'why (recorded in the revision)', size: 40 });
  const confirm = h('button', { type: 'button', class: 'danger', hidden: true }, 'Confirm rollback');
  const start = h('button', { type: 'button', class: 'danger' }, 'Roll back…');
  start.addEventListener('click', () => {
    confirm.hidden = false;
    confirm.focus();
  });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    start.disabled = true;
    replace(out, h('p', {}, 'Rolling back…'));
    try {
      const r = await v1Post<Revision>(`deployments/${enc(env)}/rollback`, { reason: reason.value || undefined });
      replace(out, h('p', { role: 'status' }, `Rolled back: revision ${r.id} serves ${r.model} v${r.version}.`));
      setTimeout(() => navigate(window.location.pathname, { replace: true }), 800);
    } catch (e) {
      replace(out, errorBox(e));
      confirm.disabled = false;
      start.disabled = false;
    }
  });
  return h(
    'div',
    {},
    h('p', {}, `Returns the environment to the version it served before${previous ? ` (${previous.model} v${previous.version})` : ''}, through its router.`),
    h('div', { class: 'toolbar' }, h('label', { for: 'rollback-reason' }, 'Reason'), reason, start, confirm),
    out,
  );
}
