/** Input checks shared by the tracking functions (MLflow's rules, mlflow/utils/validation.py). */
import { SluiceError } from '../errors.js';

/** MLflow's key characters (Python's \w is Unicode-aware, hence \p{L} and \p{N}). */
const KEY = /^[/\p{L}\p{N}_.\- ]{1,250}$/u;

/** Metric, param and tag keys: MLflow's characters, a relative path without "..". */
export function checkKey(kind: 'metric' | 'param' | 'tag', key: string): void {
  if (!KEY.test(key) || key.startsWith('/') || key.split('/').includes('..')) {
    throw new SluiceError('USAGE', `Invalid ${kind} key '${key}'`, {
      hint: 'Keys are 1-250 characters of letters, digits, _ - . space and /, and form a relative path without "..".',
    });
  }
}

/** Artifact paths: relative, no "..", no empty segments, no backslashes. */
export function checkArtifactPath(path: string): void {
  const parts = path.split('/');
  if (path === '' || path.includes('\\') || path.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new SluiceError('USAGE', `Invalid artifact path '${path}'`, {
      hint: 'Use a relative path such as "model/model.onnx", without "..", "." or empty segments.',
    });
  }
}
