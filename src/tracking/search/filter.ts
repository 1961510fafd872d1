/**
 * MLflow's search filter grammar: comparisons joined by AND, e.g.
 * `metrics.rmse < 0.5 and params.model = 'tree' and tags."team name" LIKE 'ml-%'`.
 * Each search (runs, experiments, registered models, model versions) says which entity types
 * and attributes it accepts; anything else is a USAGE error naming the clause.
 */
import { SluiceError } from '../../errors.js';
import { tokenize, type Token } from './tokens.js';

export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

export interface Clause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  /** A number (metrics, numeric attributes), a string, a list (IN), or null (IS NULL). */
  value: number | string | string[] | null;
}

/** What one kind of search accepts. */
export interface Grammar {
  /** Entity types besides 'attribute', e.g. ['metric', 'param', 'tag', 'dataset'] for runs. */
  entities: EntityType[];
  /** Attribute keys compared as strings, and their accepted aliases (alias -> key). */
  stringAttributes: Record<string, string>;
  /** Attribute keys compared as numbers (epoch ms), with aliases. */
  numericAttributes: Record<string, string>;
  /** Attribute keys that accept IN and NOT IN. */
  listAttributes: string[];
}

const ENTITY_ALIASES: Record<string, EntityType> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

const DATASET_KEYS = ['name', 'digest', 'context'];
const NUMERIC_COMPARATORS: Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
const STRING_COMPARATORS: Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];

export function parseFilter(filter: string | undefined, grammar: Grammar): Clause[] {
  if (!filter || filter.trim() === '') return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  const invalid = (from: number): never => {
    const text = tokens.slice(from).map((t) => t.text).join(' ');
    throw usage(`Invalid clause(s) in filter string: '${text}'`, filter);
  };
  while (i < tokens.length) {
    const start = i;
    const ident = tokens[i++];
    if (ident.kind !== 'identifier') invalid(start);
    const op = tokens[i++];
    if (!op || op.kind !== 'operator') invalid(start);
    let value: Token | Token[] | null = null;
    if (op.text !== 'IS NULL' && op.text !== 'IS NOT NULL') {
      const next = tokens[i++];
      if (!next) invalid(start);
      if (next.kind === 'open') {
        const items: Token[] = [];
        for (;;) {
          const item = tokens[i++];
          if (!item || item.kind !== 'string') invalid(start);
          items.push(item);
          const sep = tokens[i++];
          if (sep?.kind === 'close') break;
          if (sep?.kind !== 'comma') invalid(start);
        }
        value = items;
      } else if (next.kind === 'string' || next.kind === 'number') {
        value = next;
      } else {
        invalid(start);
      }
    }
    clauses.push(toClause(ident, op.text as Comparator, value, grammar, filter));
    checkSize(clauses, filter);
    if (i < tokens.length) {
      const and = tokens[i++];
      if (and.kind !== 'and' || i >= tokens.length) invalid(i - 1);
    }
  }
  return clauses;
}

/** Bounds that keep one query within what both databases take (SQLite: 32,766 parameters). */
export const MAX_CLAUSES = 200;
export const MAX_LIST_ITEMS = 10_000;

function checkSize(clauses: Clause[], filter: string): void {
  const items = clauses.reduce((n, c) => n + (Array.isArray(c.value) ? c.value.length : 1), 0);
  if (clauses.length > MAX_CLAUSES || items > MAX_LIST_ITEMS) {
    throw usage(`The filter is too large: at most ${MAX_CLAUSES} comparisons and ${MAX_LIST_ITEMS} values in all`, filter.slice(0, 200));
  }
}

/** `metrics.rmse` -> {type: 'metric', key: 'rmse'}; a bare name is an attribute. */
export function parseIdentifier(token: Token, grammar: Grammar, source: string): { type: EntityType; key: string } {
  const { prefix, key } = token;
  let type: EntityType = 'attribute';
  if (prefix !== undefined) {
    const entity = ENTITY_ALIASES[prefix];
    if (!entity || (entity !== 'attribute' && !grammar.entities.includes(entity))) {
      const valid = ['attribute', ...grammar.entities].join("', '");
      throw usage(`Invalid entity type '${prefix}'. Valid values are '${valid}'`, source);
    }
    type = entity;
  }
  if (key === undefined || key === '') throw usage(`Invalid identifier '${token.text}'`, source);
  if (type === 'attribute') {
    const canonical = grammar.stringAttributes[key] ?? grammar.numericAttributes[key];
    if (!canonical) {
      const valid = [...new Set([...Object.values(grammar.stringAttributes), ...Object.values(grammar.numericAttributes)])];
      throw usage(`Invalid attribute key '${key}' specified. Valid keys are '${valid.join("', '")}'`, source);
    }
    return { type, key: canonical };
  }
  if (type === 'dataset' && !DATASET_KEYS.includes(key)) {
    throw usage(`Invalid dataset key '${key}' specified. Valid keys are '${DATASET_KEYS.join("', '")}'`, source);
  }
  return { type, key };
}

function toClause(ident: Token, comparator: Comparator, value: Token | Token[] | null, grammar: Grammar, source: string): Clause {
  const { type, key } = parseIdentifier(ident, grammar, source);
  const numeric = type === 'metric' || (type === 'attribute' && Object.values(grammar.numericAttributes).includes(key));
  const allowed: Comparator[] = numeric
    ? NUMERIC_COMPARATORS
    : type === 'param' || type === 'tag'
      ? [...STRING_COMPARATORS, 'IS NULL', 'IS NOT NULL']
      : type === 'dataset' || grammar.listAttributes.includes(key)
        ? [...STRING_COMPARATORS, 'IN', 'NOT IN']
        : STRING_COMPARATORS;
  if (!allowed.includes(comparator)) {
    throw usage(`Invalid comparator '${comparator}' for ${type} '${key}': use one of ${allowed.join(', ')}`, source);
  }
  if (value === null) return { type, key, comparator, value: null };
  if (Array.isArray(value)) return { type, key, comparator, value: value.map((t) => t.value as string) };
  if (numeric) {
    if (value.kind !== 'number') throw usage(`Expected a numeric value for ${type} '${key}', found ${value.text}`, source);
    return { type, key, comparator, value: value.value as number };
  }
  if (value.kind !== 'string') throw usage(`Expected a quoted string value for ${type} '${key}' (e.g. 'my-value'), found ${value.text}`, source);
  return { type, key, comparator, value: value.value as string };
}

export function usage(message: string, filter: string): SluiceError {
  return new SluiceError('USAGE', message, {
    where: filter,
    hint: "Write comparisons joined by AND, e.g. metrics.rmse < 0.5 AND params.model = 'tree'.",
  });
}
