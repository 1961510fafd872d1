/** MLflow's order_by clauses: `"<identifier> [ASC|DESC]"`, e.g. `metrics.rmse ASC`. */
import { SluiceError } from '../../errors.js';
import { parseIdentifier, type EntityType, type Grammar } from './filter.js';
import { tokenize } from './tokens.js';

export interface OrderBy {
  type: EntityType;
  key: string;
  ascending: boolean;
}

export function parseOrderBy(clauses: readonly string[] | undefined, grammar: Grammar): OrderBy[] {
  return (clauses ?? []).map((clause) => {
    const tokens = tokenize(clause);
    const [ident, direction, ...extra] = tokens;
    const dir = direction?.text.toUpperCase();
    if (!ident || ident.kind !== 'identifier' || extra.length > 0 || (direction && dir !== 'ASC' && dir !== 'DESC')) {
      throw new SluiceError('USAGE', `Invalid order_by clause '${clause}'. Could not be parsed.`, {
        hint: 'Write "<identifier> [ASC|DESC]", e.g. "metrics.rmse ASC" or "start_time DESC".',
      });
    }
    const { type, key } = parseIdentifier(ident, grammar, clause);
    if (type === 'dataset') throw new SluiceError('USAGE', `Cannot order by dataset attribute '${key}'`, { where: clause });
    return { type, key, ascending: dir !== 'DESC' };
  });
}
