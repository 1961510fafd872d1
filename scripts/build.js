#!/usr/bin/env node
// Build: TypeScript to dist/ (what the step worker and the library use), then the CLI as one
// bundled file, dist/sluice.js. Loading ~400 small ES modules (Kysely alone is 280) costs more
// than a cached pipeline run itself; one bundle starts in a fraction of that.
//
// The build goes to a fresh folder that then replaces dist/ by rename, so a test or a server
// running from dist/ while someone rebuilds never sees a half-written or empty dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { build as buildUi } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const next = join(root, `.dist-build-${process.pid}`);
rmSync(next, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit' });

  await build({
    input: join(next, 'cli', 'main.js'),
    platform: 'node',
    // Native add-ons and the heavy engines stay outside, loaded only when a command needs them.
    external: ['better-sqlite3', 'pg', '@duckdb/node-api', 'onnxruntime-node', '@resvg/resvg-js', /^node:/],
    logLevel: 'warn',
    // Chunks beside the entry, at the root of dist/ (src/dist-path.ts relies on that), so each
    // command's code loads only when that command runs.
    output: { dir: next, entryFileNames: 'sluice.js', chunkFileNames: 'sluice-[name]-[hash].js', format: 'esm', sourcemap: false },
  });

  const { hashDist } = await import(join(next, 'pipeline', 'cache-key.js'));
  writeFileSync(join(next, 'build-info.json'), JSON.stringify({ codeHash: await hashDist(next) }));

  // The web UI (src/ui, plain TypeScript bundled by Vite) into dist/ui, which `sluice server`
  // serves. hashDist leaves it out: a UI change does not invalidate pipeline caches.
  await buildUi({ configFile: join(root, 'src', 'ui', 'vite.config.ts'), logLevel: 'warn', build: { outDir: join(next, 'ui'), emptyOutDir: true } });

  const old = join(root, `.dist-old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
} catch (e) {
  rmSync(next, { recursive: true, force: true });
  throw e;
}
