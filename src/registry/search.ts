/** MLflow's registered-models/search and model-versions/search over the registry. */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db, ModelVersionsTable, RegisteredModelsTable } from '../store/index.js';
import { binary, checkMaxResults, compareNumber, compareText, decodePageToken, dialectOf, encodePageToken, parseFilter, parseOrderBy, type Grammar } from '../tracking/index.js';
import { DELETED_STAGE, describeModels, withAliasesAndTags } from './_model.js';
import type { ModelVersion, RegisteredModel } from './types.js';

export interface RegistrySearchOptions {
  filter?: string;
  maxResults?: number;
  orderBy?: readonly string[];
  pageToken?: string;
}

const MODEL_GRAMMAR: Grammar = {
  entities: ['tag'],
  stringAttributes: { name: 'name' },
  numericAttributes: { creation_timestamp: 'creation_time', last_updated_timestamp: 'last_updated_time' },
  listAttributes: [],
};

const VERSION_GRAMMAR: Grammar = {
  entities: ['tag'],
  stringAttributes: { name: 'name', run_id: 'run_id', source_path: 'source', source: 'source' },
  numericAttributes: {
    version_number: 'version',
    version: 'version',
    creation_timestamp: 'creation_time',
    last_updated_timestamp: 'last_updated_time',
  },
  listAttributes: ['run_id'],
};

/** Default 100 per page, at most 1000; ordered by name unless told otherwise. */
export async function searchRegisteredModels(db: Db, options: RegistrySearchOptions = {}): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
  const page = await searchRows<Selectable<RegisteredModelsTable>>(db, options, {
    grammar: MODEL_GRAMMAR,
    defaultMax: 100,
    max: 1000,
    table: 'registered_models',
    tagJoin: (t) => sql`${t}.name = m.name`,
    tagTable: 'registered_model_tags',
    tiebreak: [sql`m.name asc`],
  });
  return { models: await describeModels(db, page.rows), nextPageToken: page.nextPageToken };
}

/** Default 10,000 per page, at most 200,000; newest versions first unless told otherwise. */
export async function searchModelVersions(db: Db, options: RegistrySearchOptions = {}): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
  const page = await searchRows<Selectable<ModelVersionsTable>>(db, options, {
    grammar: VERSION_GRAMMAR,
    defaultMax: 10_000,
    max: 200_000,
    table: 'model_versions',
    where: sql`m.current_stage <> ${DELETED_STAGE}`,
    tagJoin: (t) => sql`${t}.name = m.name and ${t}.version = m.version`,
    tagTable: 'model_version_tags',
    tiebreak: [sql`m.name asc`, sql`m.version desc`],
  });
  const versions: ModelVersion[] = [];
  for (const row of page.rows) versions.push(...(await withAliasesAndTags(db, row.name, [row])));
  return { versions, nextPageToken: page.nextPageToken };
}

interface Target {
  grammar: Grammar;
  defaultMax: number;
  max: number;
  table: 'registered_models' | 'model_versions';
  where?: RawBuilder<unknown>;
  tagTable: 'registered_model_tags' | 'model_version_tags';
  tagJoin: (alias: RawBuilder<unknown>) => RawBuilder<unknown>;
  tiebreak: RawBuilder<unknown>[];
}

async function searchRows<T>(db: Db, options: RegistrySearchOptions, target: Target): Promise<{ rows: T[]; nextPageToken?: string }> {
  const maxResults = options.maxResults ?? target.defaultMax;
  checkMaxResults(maxResults, target.max);
  const clauses = parseFilter(options.filter, target.grammar);
  const orderBy = parseOrderBy(options.orderBy, target.grammar);
  const offset = decodePageToken(options.pageToken);
  const dialect = dialectOf(db);
  const tags = sql.table(target.tagTable);

  const where: RawBuilder<unknown>[] = target.where ? [target.where] : [];
  for (const c of clauses) {
    const t = sql.table('t');
    if (c.type === 'tag') {
      // `!=` also matches entities without the tag: MLflow 3 clients add
      // "tags.`mlflow.prompt.is_prompt` != 'true'" to every registered-model search.
      const negated = c.comparator === 'IS NULL' || c.comparator === '!=';
      const match =
        c.comparator === 'IS NULL' || c.comparator === 'IS NOT NULL'
          ? sql`1 = 1`
          : compareText(dialect, sql.ref('t.value'), c.comparator === '!=' ? '=' : c.comparator, c.value as string);
      const exists = sql`exists (select 1 from ${tags} ${t} where ${target.tagJoin(t)} and ${t}.key = ${c.key} and ${match})`;
      where.push(negated ? sql`not ${exists}` : exists);
    } else if (typeof c.value === 'number') {
      where.push(compareNumber(sql.ref(`m.${c.key}`), c.comparator, c.value));
    } else if (c.comparator === 'IN' || c.comparator === 'NOT IN') {
      where.push(sql`${sql.ref(`m.${c.key}`)} ${sql.raw(c.comparator === 'IN' ? 'in' : 'not in')} (${sql.join(c.value as string[])})`);
    } else {
      where.push(compareText(dialect, sql.ref(`m.${c.key}`), c.comparator, c.value as string));
    }
  }
  const order: RawBuilder<unknown>[] = orderBy.map((o) => {
    const dir = sql.raw(o.ascending ? 'asc' : 'desc');
    return o.key === 'name' ? sql`${binary(dialect, sql.ref('m.name'))} ${dir}` : sql`${sql.ref(`m.${o.key}`)} ${dir}`;
  });
  const rows = (
    await sql<T>`select m.* from ${sql.table(target.table)} m
      ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}
      order by ${sql.join([...order, ...target.tiebreak])} limit ${maxResults + 1} offset ${offset}`.execute(db)
  ).rows;
  return rows.length > maxResults ? { rows: rows.slice(0, maxResults), nextPageToken: encodePageToken(offset + maxResults) } : { rows };
}
