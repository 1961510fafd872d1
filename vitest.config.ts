import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // @actions/workflow-parser ships source maps that point at sources it does not ship; loading its
  // files without them keeps the test output free of one warning per module.
  plugins: [
    {
      name: 'workflow-parser-without-sourcemaps',
      load(id: string) {
        if (!id.includes('/node_modules/@actions/workflow-parser/') || !id.endsWith('.js')) return null;
        return readFileSync(id.split('?')[0], 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      },
    },
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node
    // refuses; let Vite transform it instead (test/ci checks generated workflows with it).
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
