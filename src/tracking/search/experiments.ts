/** experiments/search: filter on name, times and tags; order by them; paged. */
import { sql, type RawBuilder } from 'kysely';
import type { Db, ExperimentsTable } from '../../store/index.js';
import type { Selectable } from 'kysely';
import { withTags } from '../experiments.js';
import type { Experiment } from '../types.js';
import { parseFilter, type Grammar } from './filter.js';
import { parseOrderBy } from './order-by.js';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.js';
import type { ViewType } from './runs.js';
import { binary, compareNumber, compareText, dialectOf } from './sql.js';

export interface SearchExperimentsOptions {
  filter?: string;
  viewType?: ViewType;
  /** Default 1000, at most 50,000. */
  maxResults?: number;
  orderBy?: readonly string[];
  pageToken?: string;
}

export const EXPERIMENT_GRAMMAR: Grammar = {
  entities: ['tag'],
  stringAttributes: { name: 'name', experiment_id: 'experiment_id' },
  numericAttributes: { creation_time: 'creation_time', last_update_time: 'last_update_time' },
  listAttributes: [],
};

export async function searchExperiments(db: Db, options: SearchExperimentsOptions = {}): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
  const maxResults = options.maxResults ?? 1000;
  checkMaxResults(maxResults, 50_000);
  const clauses = parseFilter(options.filter, EXPERIMENT_GRAMMAR);
  const orderBy = parseOrderBy(options.orderBy ?? ['creation_time DESC', 'experiment_id ASC'], EXPERIMENT_GRAMMAR);
  const offset = decodePageToken(options.pageToken);
  const dialect = dialectOf(db);

  const where: RawBuilder<unknown>[] = [];
  const view = options.viewType ?? 'ACTIVE_ONLY';
  if (view !== 'ALL') where.push(sql`e.lifecycle_stage = ${view === 'ACTIVE_ONLY' ? 'active' : 'deleted'}`);
  for (const c of clauses) {
    if (c.type === 'tag') {
      if (c.comparator === 'IS NULL') where.push(sql`e.experiment_id not in (select experiment_id from experiment_tags where key = ${c.key})`);
      else if (c.comparator === 'IS NOT NULL') where.push(sql`e.experiment_id in (select experiment_id from experiment_tags where key = ${c.key})`);
      else where.push(sql`e.experiment_id in (select experiment_id from experiment_tags where key = ${c.key} and ${compareText(dialect, sql.ref('value'), c.comparator, c.value as string)})`);
    } else if (typeof c.value === 'number') {
      where.push(compareNumber(sql.ref(`e.${c.key}`), c.comparator, c.value));
    } else {
      where.push(compareText(dialect, sql.ref(`e.${c.key}`), c.comparator, c.value as string));
    }
  }
  const joins: RawBuilder<unknown>[] = [];
  const order: RawBuilder<unknown>[] = [];
  orderBy.forEach((o, i) => {
    const dir = sql.raw(o.ascending ? 'asc' : 'desc');
    if (o.type === 'tag') {
      const alias = sql.table(`t${i}`);
      joins.push(sql`left join experiment_tags ${alias} on ${alias}.experiment_id = e.experiment_id and ${alias}.key = ${o.key}`);
      order.push(sql`case when ${alias}.value is null then 1 else 0 end`, sql`${binary(dialect, sql.ref(`t${i}.value`))} ${dir}`);
    } else if (o.key === 'experiment_id') {
      // Ids are integer strings: order them as numbers.
      order.push(sql`length(e.experiment_id) ${dir}`, sql`${binary(dialect, sql.ref('e.experiment_id'))} ${dir}`);
    } else {
      order.push(o.key === 'name' ? sql`${binary(dialect, sql.ref('e.name'))} ${dir}` : sql`${sql.ref(`e.${o.key}`)} ${dir}`);
    }
  });
  if (!orderBy.some((o) => o.type === 'attribute' && o.key === 'experiment_id')) order.push(sql`length(e.experiment_id) desc`, sql`e.experiment_id desc`);

  const rows = (
    await sql<Selectable<ExperimentsTable>>`select e.* from experiments e ${sql.join(joins, sql` `)}
      ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
      order by ${sql.join(order)} limit ${maxResults + 1} offset ${offset}`.execute(db)
  ).rows;
  const experiments = await withTags(db, rows.slice(0, maxResults));
  return rows.length > maxResults ? { experiments, nextPageToken: encodePageToken(offset + maxResults) } : { experiments };
}
