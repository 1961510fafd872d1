/** Dataset versions: schema, per-column profile charts, the validation report, the PII scan and lineage. */
import { enc, v1, type ColumnProfile, type DatasetVersion } from '../lib/api.js';
import { barChart } from '../lib/chart.js';
import { badge, empty, fmtNum, fmtTime, h, link, section, table } from '../lib/dom.js';
import type { PageContext } from '../lib/router.js';
import { errorBox, fill, kv } from './_common.js';

export async function datasetsPage({ main }: PageContext): Promise<void> {
  main.append(h('h1', {}, 'Datasets'));
  const body = h('div', {});
  main.append(body);
  await fill(body, async () => {
    const { dataset_versions: list } = await v1<{ dataset_versions: DatasetVersion[] }>('datasets', { limit: 1000 });
    if (list.length === 0) return empty('No dataset versions yet. `sluice run` creates them.');
    return table(
      ['Dataset', 'Version', 'Rows', 'Columns', 'Checks', 'Created', 'Pipeline run'],
      list.map((d) => [
        d.name,
        link(`/datasets/${enc(d.id)}?name=${enc(d.name)}`, d.id),
        h('span', { class: 'num', 'data-rows': d.id }, d.row_count.toLocaleString('en-US')),
        String(d.schema.length),
        d.validation?.expectations ? badge(d.validation.expectations.success ? 'passed' : 'failed') : '–',
        fmtTime(d.created_at),
        link(`/pipelines/${enc(d.pipeline_run_id)}`, d.pipeline_run_id),
      ]),
      { 'data-table': 'datasets', 'aria-label': 'Dataset versions, newest first' },
    );
  });
}

function columnChart(c: ColumnProfile): HTMLElement {
  const facts = `${c.type}, ${fmtNum(c.nullFraction * 100, 1)}% missing${c.distinct !== undefined ? `, ${c.distinct.toLocaleString('en-US')} distinct` : ''}${c.mean !== undefined ? `, mean ${fmtNum(c.mean)}` : ''}`;
  const chart = c.histogram
    ? barChart(
        c.histogram.counts.map((_, i) => `${fmtNum(c.histogram!.edges[i], 2)}–${fmtNum(c.histogram!.edges[i + 1], 2)}`),
        c.histogram.counts,
        { title: c.name },
      )
    : c.top?.length
      ? barChart(c.top.map((t) => t.value), c.top.map((t) => t.count), { title: c.name })
      : h('figure', { class: 'barfig' }, h('figcaption', {}, c.name), empty('no distribution recorded'));
  return h('div', { 'data-column': c.name }, chart, h('p', { class: 'muted' }, facts));
}

export async function datasetPage({ main, params, query }: PageContext): Promise<void> {
  let d: DatasetVersion;
  const name = query.get('name');
  try {
    // Same content, same id: under several names (e.g. a prepared and a checked step's output)
    // one version has each name's own checks and lineage, so a name in the link picks those.
    const named = name ? (await v1<{ dataset_versions: DatasetVersion[] }>('datasets', { name, limit: 10_000 })).dataset_versions.find((x) => x.id === params.id) : undefined;
    d = named ?? (await v1<{ dataset_version: DatasetVersion }>(`datasets/${enc(params.id)}`)).dataset_version;
  } catch (e) {
    main.append(h('h1', {}, `Dataset ${params.id}`), errorBox(e));
    return;
  }
  const v = d.validation;
  const lin = d.lineage;
  main.append(
    h('h1', {}, `Dataset ${d.name} `, h('span', { class: 'mono muted' }, d.id)),
    kv([
      ['rows', h('span', { 'data-rows': d.id }, d.row_count.toLocaleString('en-US'))],
      ['columns', String(d.schema.length)],
      ['content sha256', h('span', { class: 'mono' }, d.digest)],
      ['created', fmtTime(d.created_at)],
      ['pipeline run', link(`/pipelines/${enc(d.pipeline_run_id)}`, d.pipeline_run_id)],
    ]),
    section(
      'Lineage',
      h(
        'ul',
        {},
        h('li', {}, `made by step ${lin.step ?? '?'}`, lin.code_hash ? h('span', { class: 'muted' }, ` (code ${lin.code_hash.slice(0, 12)})`) : null),
        (lin.sources ?? []).map((s) => h('li', {}, `source ${s.name}: `, h('span', { class: 'mono' }, s.uri), h('span', { class: 'muted' }, ` sha256 ${s.digest.slice(0, 16)}`))),
        (lin.inputs ?? []).filter((i) => i.dataset && i.dataset !== d.id).map((i) => h('li', {}, `input ${i.name}: `, link(`/datasets/${enc(i.dataset!)}`, i.dataset!))),
        (lin.inputs ?? []).some((i) => i.dataset === d.id) ? h('li', {}, 'checked without changing the data: same content as its input') : null,
      ),
    ),
    section('Schema', table(['Column', 'Type'], d.schema.map((s) => [s.name, h('span', { class: 'mono' }, s.type)]), { 'data-table': 'schema' })),
    section(
      'Validation',
      !v
        ? empty('No validation report.')
        : [
            v.expectations
              ? [
                  h('p', {}, 'Expectations: ', badge(v.expectations.success ? 'passed' : 'failed'), ` ${v.expectations.statistics.successful} of ${v.expectations.statistics.evaluated} met${v.expectations.statistics.warnings ? `, ${v.expectations.statistics.warnings} warnings` : ''}`),
                  table(
                    ['Result', 'Expectation', 'Column', 'Message'],
                    v.expectations.results.map((r) => [badge(r.success ? 'pass' : r.severity === 'warn' ? 'warn' : 'fail'), r.expectation.expect, r.expectation.column ?? '–', r.message]),
                    { 'data-table': 'expectations' },
                  ),
                ]
              : null,
            v.bias?.attributes?.length
              ? [
                  h('h3', {}, `Bias check (label ${v.bias.label ?? '?'} = ${v.bias.positive ?? '?'})`),
                  v.bias.attributes.map((a) =>
                    h(
                      'div',
                      { 'data-bias': a.attribute },
                      h('p', {}, h('strong', {}, a.attribute), ' ', badge(a.status), ' ', (a.reasons ?? []).join('; ')),
                      table(['Group', 'Rows', 'Share', 'Positive rate'], a.groups.map((g) => [g.group, g.count.toLocaleString('en-US'), `${(g.share * 100).toFixed(1)}%`, `${(g.positiveRate * 100).toFixed(1)}%`])),
                    ),
                  ),
                ]
              : null,
          ],
    ),
    section(
      'PII scan',
      !v?.pii
        ? empty('No PII scan recorded.')
        : [
            h('p', { 'data-pii': v.pii.passed ? 'passed' : 'failed' }, badge(v.pii.passed ? 'passed' : 'failed'), ` ${v.pii.scannedColumns.length} text columns scanned; ${v.pii.columns.filter((c) => c.action !== 'none').length} with personal data found.`),
            v.pii.columns.length ? table(['Column', 'Found', 'Action'], v.pii.columns.map((c) => [c.column, c.kind ?? c.detector ?? '–', c.action]), { 'data-table': 'pii' }) : null,
          ],
    ),
    section('Profile', d.profile ? h('div', { class: 'profile-grid' }, d.profile.columns.map(columnChart)) : empty('No profile recorded.')),
  );
}
