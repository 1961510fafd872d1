/**
 * runs/search: MLflow's filter, order_by and paging, compiled to one SQL query for the page of
 * run ids (plus a few to load the page's params, metrics and tags), on SQLite and PostgreSQL.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db, TrackingRunRow } from '../../store/index.js';
import { loadRuns } from '../_load.js';
import type { Run } from '../types.js';
import { parseFilter, type Clause, type Grammar } from './filter.js';
import { parseOrderBy, type OrderBy } from './order-by.js';
import { checkMaxResults, decodePageToken, encodePageToken } from './page-token.js';
import { binary, compareNumber, compareText, dialectOf, type SqlDialect } from './sql.js';

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface SearchRunsOptions {
  /** Experiments to search; undefined searches all of them, [] finds nothing (as MLflow). */
  experimentIds?: readonly string[];
  filter?: string;
  viewType?: ViewType;
  /** Default 1000, at most 50,000. */
  maxResults?: number;
  orderBy?: readonly string[];
  pageToken?: string;
}

export interface RunsPage {
  runs: Run[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export const RUN_GRAMMAR: Grammar = {
  entities: ['metric', 'param', 'tag', 'dataset'],
  stringAttributes: {
    run_id: 'run_id',
    run_name: 'run_name',
    'run name': 'run_name',
    'Run name': 'run_name',
    'Run Name': 'run_name',
    status: 'status',
    user_id: 'user_id',
    artifact_uri: 'artifact_uri',
    experiment_id: 'experiment_id',
    lifecycle_stage: 'lifecycle_stage',
  },
  numericAttributes: { start_time: 'start_time', end_time: 'end_time', created: 'start_time', Created: 'start_time' },
  listAttributes: ['run_id'],
};

export const MAX_RUN_RESULTS = 50_000;

export async function searchRuns(db: Db, options: SearchRunsOptions = {}): Promise<RunsPage> {
  const maxResults = options.maxResults ?? 1000;
  checkMaxResults(maxResults, MAX_RUN_RESULTS);
  const clauses = parseFilter(options.filter, RUN_GRAMMAR);
  const orderBy = parseOrderBy(options.orderBy, RUN_GRAMMAR);
  const offset = decodePageToken(options.pageToken);
  if (options.experimentIds?.length === 0) return { runs: [] };

  const dialect = dialectOf(db);
  const where: RawBuilder<unknown>[] = [];
  if (options.experimentIds) where.push(sql`r.experiment_id in (${sql.join(options.experimentIds)})`);
  const view = options.viewType ?? 'ACTIVE_ONLY';
  if (view !== 'ALL') where.push(sql`r.lifecycle_stage = ${view === 'ACTIVE_ONLY' ? 'active' : 'deleted'}`);
  // Clauses that name the runs they match: SQLite intersects them in one subquery (far cheaper
  // than testing each run against each), PostgreSQL plans semi-joins better one by one.
  const sets = clauses.map((c) => runSet(dialect, c)).filter((x) => x !== undefined);
  if (sets.length && dialect === 'sqlite') where.push(sql`r.run_id in (${sql.join(sets, sql` intersect `)})`);
  else for (const set of sets) where.push(sql`r.run_id in (${set})`);
  for (const clause of clauses) if (!runSet(dialect, clause)) where.push(clauseSql(dialect, clause));
  const { joins, order } = orderSql(dialect, orderBy);

  const query = sql<TrackingRunRow>`select r.* from tracking_runs r ${sql.join(joins, sql` `)}
    ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
    order by ${sql.join(order)} limit ${maxResults + 1} offset ${offset}`;
  const rows = (await query.execute(db)).rows;
  const page = rows.slice(0, maxResults);
  const runs = await loadRuns(db, page);
  return rows.length > maxResults ? { runs, nextPageToken: encodePageToken(offset + maxResults) } : { runs };
}

const KEYED: Record<string, 'latest_metrics' | 'params' | 'run_tags'> = { metric: 'latest_metrics', param: 'params', tag: 'run_tags' };

/** The ids of the runs a metric, param, tag or dataset clause matches, as a subquery. */
function runSet(dialect: SqlDialect, c: Clause): RawBuilder<unknown> | undefined {
  const { comparator: op, key } = c;
  if (c.type === 'metric') {
    const value = c.value as number;
    // A NaN compares unequal to everything and matches nothing else.
    if (op === '!=') return sql`select run_id from latest_metrics where key = ${key} and (is_nan = 1 or value <> ${value})`;
    return sql`select run_id from latest_metrics where key = ${key} and is_nan = 0 and ${compareNumber(sql.ref('value'), op, value)}`;
  }
  if (c.type === 'param' || c.type === 'tag') {
    const table = sql.table(KEYED[c.type]);
    if (op === 'IS NULL') return undefined;
    if (op === 'IS NOT NULL') return sql`select run_id from ${table} where key = ${key}`;
    return sql`select run_id from ${table} where key = ${key} and ${compareText(dialect, sql.ref('value'), op, c.value as string)}`;
  }
  if (c.type === 'dataset') {
    const column = { name: sql`coalesce(d.name, v.name)`, digest: sql`coalesce(d.digest, substr(v.digest, 1, 16))`, context: sql`i.context` }[key]!;
    return sql`select i.run_id from run_inputs i
      left join tracking_datasets d on d.dataset_id = i.dataset_id
      left join dataset_versions v on v.id = i.dataset_id
      where ${listOrText(dialect, column, op, c.value)}`;
  }
  return undefined;
}

/** A clause that is not a run set: IS NULL on a param or tag, or an attribute comparison. */
function clauseSql(dialect: SqlDialect, c: Clause): RawBuilder<unknown> {
  const { comparator: op, key } = c;
  if (op === 'IS NULL') return sql`r.run_id not in (select run_id from ${sql.table(KEYED[c.type])} where key = ${key})`;
  const column = sql.ref(`r.${key}`);
  if (typeof c.value === 'number') return compareNumber(column, op, c.value);
  return listOrText(dialect, column, op, c.value);
}

function listOrText(dialect: SqlDialect, column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, op: string, value: Clause['value']): RawBuilder<unknown> {
  if (op === 'IN') return sql`${column} in (${sql.join(value as string[])})`;
  if (op === 'NOT IN') return sql`${column} not in (${sql.join(value as string[])})`;
  return compareText(dialect, column, op, value as string);
}

/** MLflow's order: the given keys (missing values last, NaN just before them), then start_time DESC, run_id. */
function orderSql(dialect: SqlDialect, orderBy: OrderBy[]): { joins: RawBuilder<unknown>[]; order: RawBuilder<unknown>[] } {
  const joins: RawBuilder<unknown>[] = [];
  const order: RawBuilder<unknown>[] = [];
  orderBy.forEach((o, i) => {
    const dir = sql.raw(o.ascending ? 'asc' : 'desc');
    if (o.type === 'attribute') {
      const column = sql.ref(`r.${o.key}`);
      const value = o.key === 'start_time' || o.key === 'end_time' ? column : binary(dialect, column);
      order.push(sql`case when ${column} is null then 1 else 0 end`, sql`${value} ${dir}`);
      return;
    }
    const alias = sql.table(`o${i}`);
    joins.push(sql`left join ${sql.table(KEYED[o.type])} ${alias} on ${alias}.run_id = r.run_id and ${alias}.key = ${o.key}`);
    const ref = (col: string) => sql.ref(`o${i}.${col}`);
    if (o.type === 'metric') {
      order.push(sql`case when ${ref('run_id')} is null then 2 when ${ref('is_nan')} = 1 then 1 else 0 end`, sql`${ref('value')} ${dir}`);
    } else {
      order.push(sql`case when ${ref('run_id')} is null then 1 else 0 end`, sql`${binary(dialect, ref('value'))} ${dir}`);
    }
  });
  if (!orderBy.some((o) => o.type === 'attribute' && o.key === 'start_time')) order.push(sql`r.start_time desc`);
  order.push(sql`${binary(dialect, sql.ref('r.run_id'))} asc`);
  return { joins, order };
}
