/** Model references in text form, and the naming rules they depend on. */
import { SluiceError } from '../errors.js';
import type { ModelRef } from './types.js';

/** Model names cannot hold "@" or "/": those separate name from version in a reference. */
const MODEL_NAME = /^[A-Za-z0-9][\w.-]{0,254}$/;

export function checkModelName(name: string): void {
  if (!MODEL_NAME.test(name)) {
    throw new SluiceError('USAGE', `Invalid model name '${name}'`, {
      hint: 'Use up to 255 letters, digits, _ . -, starting with a letter or digit.',
    });
  }
}

/**
 * Parses `income`, `income@3`, `income@champion`, or MLflow's `models:/income/3` and
 * `models:/income@champion`. A bare name means the latest version.
 */
export function parseModelRef(ref: string): ModelRef {
  let text = ref.trim();
  if (text.startsWith('models:/')) text = text.slice('models:/'.length).replace('/', '@');
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const selector = at < 0 ? 'latest' : text.slice(at + 1);
  if (!MODEL_NAME.test(name) || !/^[\w-]+$/.test(selector)) {
    throw new SluiceError('USAGE', `Invalid model reference '${ref}'`, {
      hint: 'Write <name>, <name>@<version> or <name>@<alias>, e.g. income, income@3, income@champion.',
    });
  }
  return { name, versionOrAlias: /^\d+$/.test(selector) ? Number(selector) : selector };
}
