/**
 * Paths inside Sluice's compiled output. This file compiles to dist/dist-path.js, and the CLI
 * bundle is dist/sluice.js: both sit at the root of dist/, so paths relative to this module's URL
 * are right in either.
 */
import { fileURLToPath } from 'node:url';

export function distPath(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}
