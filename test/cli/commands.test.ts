/** The CLI's smaller promises: init, --keep-workdir, logs --follow, and TypeScript module steps. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, sluice, sluiceAsync, sluiceJson, sluiceSpawn, tempDir } from '../helpers/cli.js';

describe('sluice init', () => {
  it('scaffolds a commented sluice.yaml and a .gitignore, and refuses to overwrite', () => {
    const dir = tempDir('sluice-init-');
    const r = sluiceJson<{ files: string[] }>(dir, ['init', '--name', 'churn']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toMatch(/^# /m);
    expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toContain('project: churn');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.sluice');
    const again = sluice(dir, ['init']);
    expect(again.code).toBe(9);
    expect(again.stderr).toContain('--force');
  });
});

const CSV = 'x\ty\n1\ta\n2\tb\n3\ta\n';

describe('steps', () => {
  it('a TypeScript module step prepares data with DuckDB; a TSV source reads with tabs', () => {
    const dir = makeProject({
      'points.tsv': CSV,
      'double.ts': `import type { ModuleContext } from 'sluice';
export default async function prepare({ inputs, output, params, sql }: ModuleContext): Promise<void> {
  const [{ n }] = await sql(\`SELECT count(*)::INTEGER AS n FROM \${inputs.points}\`);
  await output(\`SELECT x * \${params.factor} AS x2, y, \${n} AS total FROM \${inputs.points}\`);
}
`,
      'sluice.yaml': `project: mod
sources:
  points: { path: points.tsv, columns: { x: integer, y: string } }
steps:
  doubled:
    kind: module
    module: double.ts
    inputs: { points: points }
    params: { factor: 2 }
    columns: { x2: integer, y: string, total: integer }
`,
    });
    const r = sluiceJson<{ errors: unknown[]; datasets: { name: string; rows: number }[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    expect(r.data.datasets.find((d) => d.name === 'doubled')?.rows).toBe(3);
    const shown = sluiceJson<{ profile: { columns: { name: string; max: number }[] } }>(dir, ['datasets', 'show', 'doubled']).data;
    expect(shown.profile.columns.find((c) => c.name === 'x2')?.max).toBe(6);
    expect(shown.profile.columns.find((c) => c.name === 'total')?.max).toBe(3);
  });

  it('--keep-workdir keeps each step’s work directory; by default it is removed', () => {
    const dir = makeProject({ 'points.tsv': CSV, 'sluice.yaml': 'project: keep\nsources:\n  points: { path: points.tsv, columns: { x: integer, y: string } }\n' });
    expect(sluice(dir, ['run']).code).toBe(0);
    expect(readdirSync(join(dir, '.sluice', 'work')).length).toBe(0);
    const r = sluiceJson<{ runId: string }>(dir, ['run', '--force', '--keep-workdir']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, '.sluice', 'work', r.data.runId, 'acquire__points', 'task.json'))).toBe(true);
  });
});

describe('sluice logs --follow', () => {
  it('prints a running step’s output as it comes and stops when the run ends', async () => {
    const dir = makeProject({
      'sluice.yaml': `project: follow
sources:
  points: { path: points.tsv, columns: { x: integer, y: string } }
steps:
  ticker:
    kind: command
    run: for i in 1 2 3 4 5; do echo "tick $i"; sleep 0.4; done; echo done > "$SLUICE_OUTPUT_OUT"
    outputs: { out: { type: file, path: out.txt } }
`,
      'points.tsv': CSV,
    });
    const run = sluiceSpawn(dir, ['run', '--quiet']);
    const closed = new Promise((res) => run.on('close', res));
    // Wait until the run is recorded as running, then follow it.
    let followed = '';
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const r = await sluiceAsync(dir, ['logs', 'latest', '--follow', '--step', 'ticker']);
      followed = r.stdout;
      if (r.code === 0 && followed.includes('tick')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    await closed;
    expect(followed).toContain('tick 5');
    expect(followed).toMatch(/run \S+ succeeded/);
  });
});
