/** Merging user parameters with the defaults, and rejecting impossible ones with a clear error. */
import { SluiceError } from '../../errors.js';
import { DEFAULT_PARAMS, type GbdtParams } from './types.js';

type Check = (v: number) => boolean;
const positive: Check = (v) => v > 0;
const nonNegative: Check = (v) => v >= 0;
const positiveInt: Check = (v) => Number.isInteger(v) && v >= 1;

const RULES: Record<keyof GbdtParams, [Check, string]> = {
  learning_rate: [positive, 'a number > 0'],
  max_iter: [positiveInt, 'an integer >= 1'],
  max_leaf_nodes: [(v) => Number.isInteger(v) && v >= 2, 'an integer >= 2'],
  max_depth: [positiveInt, 'an integer >= 1 or null'],
  min_samples_leaf: [positiveInt, 'an integer >= 1'],
  l2_regularization: [nonNegative, 'a number >= 0'],
  max_bins: [(v) => Number.isInteger(v) && v >= 2 && v <= 255, 'an integer from 2 to 255'],
  min_category_count: [positiveInt, 'an integer >= 1'],
  tol: [nonNegative, 'a number >= 0'],
  n_iter_no_change: [positiveInt, 'an integer >= 1'],
};

export function resolveParams(given: Partial<GbdtParams> = {}): GbdtParams {
  const params: GbdtParams = { ...DEFAULT_PARAMS };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in RULES)) {
      throw new SluiceError('USAGE', `Unknown GBDT parameter '${key}'`, {
        hint: `Known parameters: ${Object.keys(RULES).join(', ')}`,
      });
    }
    if (value === undefined) continue;
    const k = key as keyof GbdtParams;
    const [ok, want] = RULES[k];
    const valid = k === 'max_depth' && value === null ? true : typeof value === 'number' && Number.isFinite(value) && ok(value);
    if (!valid) throw new SluiceError('USAGE', `GBDT parameter ${k} must be ${want}; got ${JSON.stringify(value)}`);
    (params as unknown as Record<string, unknown>)[k] = value;
  }
  return params;
}
