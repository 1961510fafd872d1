/** Merging user parameters with the defaults, and rejecting impossible ones with a clear error. */
import { SluiceError } from '../../errors.js';
import { DEFAULT_PARAMS, type ForestParams, type ForestTask, type MaxFeatures } from './types.js';

const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1;

const RULES: Record<keyof ForestParams, [(v: unknown) => boolean, string]> = {
  n_estimators: [positiveInt, 'an integer >= 1'],
  max_features: [
    (v) => v === null || v === 'sqrt' || v === 'log2' || v === 'all' || positiveInt(v) || (typeof v === 'number' && v > 0 && v < 1),
    "'sqrt', 'log2', 'all', an integer >= 1, a share between 0 and 1, or null",
  ],
  max_depth: [(v) => v === null || positiveInt(v), 'an integer >= 1 or null'],
  min_samples_leaf: [positiveInt, 'an integer >= 1'],
  bootstrap: [(v) => typeof v === 'boolean', 'true or false'],
  max_bins: [(v) => typeof v === 'number' && Number.isInteger(v) && v >= 2 && v <= 255, 'an integer from 2 to 255'],
  min_category_count: [positiveInt, 'an integer >= 1'],
};

export function resolveParams(given: Partial<ForestParams> = {}): ForestParams {
  const params: ForestParams = { ...DEFAULT_PARAMS };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in RULES)) {
      throw new SluiceError('USAGE', `Unknown random forest parameter '${key}'`, {
        hint: `Known parameters: ${Object.keys(RULES).join(', ')}`,
      });
    }
    if (value === undefined) continue;
    const k = key as keyof ForestParams;
    const [ok, want] = RULES[k];
    if (!ok(value)) throw new SluiceError('USAGE', `Random forest parameter ${k} must be ${want}; got ${JSON.stringify(value)}`);
    (params as unknown as Record<string, unknown>)[k] = value;
  }
  return params;
}

/** Features drawn per split out of `total` (the model's feature count), at least 1. */
export function featuresPerSplit(maxFeatures: MaxFeatures | null, task: ForestTask, total: number): number {
  const m = maxFeatures ?? (task === 'regression' ? 1 / 3 : 'sqrt');
  const count =
    m === 'sqrt' ? Math.floor(Math.sqrt(total))
    : m === 'log2' ? Math.floor(Math.log2(total))
    : m === 'all' ? total
    : m < 1 ? Math.floor(m * total)
    : m;
  return Math.max(1, Math.min(total, count));
}
