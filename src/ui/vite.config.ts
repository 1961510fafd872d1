// The web UI's build: plain TypeScript pages bundled by Vite into dist/ui, with hashed file
// names under assets/ (the server caches those forever) and a manifest that marks a real build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite src/ui` during development: the API comes from a running `sluice server`.
    proxy: Object.fromEntries(['/api', '/ajax-api', '/openapi.json'].map((p) => [p, process.env.SLUICE_SERVER ?? 'http://127.0.0.1:5000'])),
  },
});
