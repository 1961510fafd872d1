/** The loop's state now: latest pipeline runs, champion and production models, deployments, firing alerts. */
import { enc, v1, type Overview } from '../lib/api.js';
import { badge, empty, fmtDuration, fmtNum, fmtTime, h, link, section } from '../lib/dom.js';
import type { PageContext } from '../lib/router.js';
import { fill, headlineMetrics, kv } from './_common.js';

export async function overviewPage({ main }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Overview'));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const o = await v1<Overview>('overview');
    return [
      section(
        'Pipelines',
        o.projects.length === 0
          ? empty('No pipeline runs yet. `sluice run` starts one.')
          : h(
              'div',
              { class: 'cards' },
              o.projects.map((p) =>
                h(
                  'article',
                  { class: 'card', 'data-project': p.project },
                  h('h3', {}, p.project),
                  kv([
                    // Runs of another project in a shared store open in that project's own server.
                    ['latest run', p.served ? link(`/pipelines/${enc(p.latest_run.id)}`, p.latest_run.id) : h('span', { class: 'mono' }, p.latest_run.id)],
                    ['status', badge(p.latest_run.status)],
                    ['started', fmtTime(p.latest_run.started_at)],
                    ['took', fmtDuration(p.latest_run.ended_at ? p.latest_run.ended_at - p.latest_run.started_at : null)],
                    ['steps', `${p.steps.total} (${p.steps.succeeded} ran, ${p.steps.cached} cached${p.steps.failed ? `, ${p.steps.failed} failed` : ''})`],
                  ]),
                ),
              ),
            ),
      ),
      section(
        'Models',
        o.models.length === 0
          ? empty('No registered models yet.')
          : h(
              'div',
              { class: 'cards' },
              o.models.map((m) =>
                h(
                  'article',
                  { class: 'card', 'data-model': m.name },
                  h('h3', {}, link(`/models/${enc(m.name)}`, m.name)),
                  kv([
                    ['latest', m.latest_version === null ? '–' : link(`/models/${enc(m.name)}/versions/${m.latest_version}`, `v${m.latest_version}`)],
                    ...(['champion', 'production'] as const).map((alias): [string, HTMLElement | string] => {
                      const v = m[alias];
                      return [
                        alias,
                        v
                          ? h(
                              'span',
                              { 'data-alias': alias },
                              link(`/models/${enc(m.name)}/versions/${v.version}`, `v${v.version}`),
                              ' ',
                              h('span', { class: 'muted' }, headlineMetrics(v.metrics, 2).map(([k, x]) => `${k} ${fmtNum(x)}`).join(', ')),
                            )
                          : h('span', { class: 'muted', 'data-alias': alias }, 'none'),
                      ];
                    }),
                  ]),
                ),
              ),
            ),
      ),
      section(
        'Deployments',
        o.deployments.length === 0
          ? empty('No environments: declare one under `environments:` in sluice.yaml.')
          : h(
              'div',
              { class: 'cards' },
              o.deployments.map((d) =>
                h(
                  'article',
                  { class: 'card', 'data-environment': d.environment },
                  h('h3', {}, link(`/deployments/${enc(d.environment)}`, d.environment)),
                  kv([
                    ['health', badge(d.health)],
                    ['serving', d.current ? `${d.current.model} v${d.current.version}` : 'nothing yet'],
                    ['traffic', d.split.length ? d.split.map((s) => `${s.model} v${s.version} ${s.weight}%`).join(' · ') : '–'],
                  ]),
                ),
              ),
            ),
      ),
      section(
        'Firing alerts',
        o.alerts.length === 0
          ? empty('No firing alerts.')
          : h(
              'ul',
              { class: 'alerts' },
              o.alerts.map((a) => h('li', { 'data-alert': a.id }, badge(a.severity), ' ', h('strong', {}, a.rule), `${a.monitor ? ` on ${a.monitor}` : ''}: ${a.message} `, h('span', { class: 'muted' }, `since ${fmtTime(a.since)}`), ' ', link('/monitoring', 'monitoring'))),
            ),
      ),
    ];
  });
}
