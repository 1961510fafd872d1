/** What the exporters share: how missing strings are fed, and name checks. */
import { SluiceError } from '../../errors.js';

/**
 * ONNX string tensors cannot hold a null, so a missing categorical value is fed as the empty
 * string. The signature says so (`missing: ''`), and predictRecords writes it for null.
 */
export const MISSING_STRING = '';

/** Intermediate values get this prefix, which column names are unlikely to have. */
export const INTERNAL = 'sluice:';

/**
 * Graph inputs are named after the feature columns; they must not clash with the outputs or
 * the internal names, nor may a category be the empty string (it means missing here).
 */
export function checkExportable(
  model: string,
  features: { name: string; categories?: string[] }[],
  outputs: string[],
): void {
  for (const f of features) {
    if (outputs.includes(f.name) || f.name.startsWith(INTERNAL)) {
      throw new SluiceError('DATA_INVALID', `Cannot export the ${model} to ONNX: feature '${f.name}' clashes with a name the graph uses`, {
        where: `column '${f.name}'`,
        hint: `Rename the column: ${outputs.map((o) => `'${o}'`).join(', ')} and names starting with '${INTERNAL}' are taken.`,
      });
    }
    if (f.categories?.includes(MISSING_STRING)) {
      throw new SluiceError('DATA_INVALID', `Cannot export the ${model} to ONNX: column '${f.name}' has the empty string as a category`, {
        where: `column '${f.name}'`,
        hint: 'The ONNX model reads an empty string as missing; map empty strings to null (or a named category) during preparation.',
      });
    }
  }
}
