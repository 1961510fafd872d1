#!/usr/bin/env node
// `npm run bench -- <name> [options]`: runs one benchmark and prints its figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Files starting with '_' are shared helpers, not benchmarks.
const names = readdirSync(here).filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !existsSync(join(here, `${name}.js`))) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${names.join(', ')}`);
  process.exit(name ? 2 : 0);
}
const r = spawnSync(process.execPath, [join(here, `${name}.js`), ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
