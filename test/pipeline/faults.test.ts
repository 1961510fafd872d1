/**
 * Bad input and faults: each gives a clear error naming what and where, the run is recorded as
 * failed with the step's log, and a failed run creates no dataset or model version.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { incomeProject, makeProject, sluice, sluiceJson, sluiceSpawn } from '../helpers/cli.js';

const CSV = 'x,y,label\n1,2.5,a\n2,3.5,b\n3,1.5,a\n4,0.5,b\n5,2.0,a\n6,1.0,b\n7,2.2,a\n8,3.1,b\n';

function yaml(extra = '', columns = '{ x: integer, y: double, label: string }') {
  return `project: tiny
sources:
  points:
    path: points.csv
    columns: ${columns}
${extra}`;
}

async function countRecords(dir: string) {
  const store = await openStore({ workspace: join(dir, '.sluice') });
  try {
    const count = async (table: 'dataset_versions' | 'model_versions') =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const runs = await store.db.selectFrom('pipeline_runs').selectAll().orderBy('started_at').execute();
    return { datasets: await count('dataset_versions'), models: await count('model_versions'), runs };
  } finally {
    await store.close();
  }
}

describe('bad input', () => {
  it('a missing source file fails the acquire step, naming the source and path', async () => {
    const dir = makeProject({ 'sluice.yaml': yaml() });
    const r = sluice(dir, ['run']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("Source 'points': file");
    expect(r.stdout).toContain('points.csv does not exist');
    const rec = await countRecords(dir);
    expect(rec.runs.map((x) => x.status)).toEqual(['failed']);
    expect(rec.datasets).toBe(0);
    expect(rec.models).toBe(0);
  });

  it('a header that does not match the schema names the columns', async () => {
    const dir = makeProject({ 'sluice.yaml': yaml('', '{ x: integer, why: double, label: string }'), 'points.csv': CSV });
    const r = sluice(dir, ['run']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("declared but not in the data: 'why'");
    expect(r.stdout).toContain("in the data but not declared: 'y'");
    expect((await countRecords(dir)).datasets).toBe(0);
  });

  it('a value of the wrong type names the column, the line and the value', async () => {
    const dir = makeProject({ 'sluice.yaml': yaml(), 'points.csv': CSV.replace('3,1.5,a', '3,abc,a') });
    const r = sluice(dir, ['run']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("column 'y' is declared double but 1 value(s) are not (first at line 4: 'abc')");
  });

  it('a YAML typo gives the file, line and key, and records no run', async () => {
    const dir = makeProject({ 'sluice.yaml': yaml().replace('columns:', 'colums:'), 'points.csv': CSV });
    const r = sluice(dir, ['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sluice\.yaml:5:\d+/);
    expect(r.stderr).toContain("unknown key 'colums'");
    expect(existsSync(join(dir, '.sluice', 'sluice.db'))).toBe(false);
  });

  it('a command step that exits non-zero fails the run and keeps its log', async () => {
    const dir = makeProject({
      'sluice.yaml': yaml(`steps:
  broken:
    kind: command
    run: echo "about to fail"; exit 3
    inputs: { data: points }
    outputs: { out: { type: file, path: out.txt } }
`),
      'points.csv': CSV,
    });
    const r = sluiceJson<{ status: string; errors: { step: string; message: string }[]; runId: string }>(dir, ['run']);
    expect(r.code).toBe(5);
    expect(r.data.status).toBe('failed');
    expect(r.data.errors[0]).toMatchObject({ step: 'broken' });
    expect(r.data.errors[0].message).toContain('exited with code 3');
    const logs = sluiceJson<{ steps: { step: string; lines: string[] }[] }>(dir, ['logs', r.data.runId, '--step', 'broken']).data;
    expect(logs.steps[0].lines).toContain('about to fail');
    const rec = await countRecords(dir);
    expect(rec.datasets).toBe(0);
  });

  it('a gate that fails records every reason, blocks registration and exits 6', async () => {
    const dir = incomeProject();
    const path = join(dir, 'sluice.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(path, readFileSync(path, 'utf8').replace('threshold: 0.85', 'threshold: 0.99'));
    const r = sluiceJson<{ status: string; gates: { status: string; checks: { metric: string; passed: boolean }[] }[]; model?: unknown }>(dir, ['run']);
    expect(r.code).toBe(6);
    expect(r.data.status).toBe('blocked');
    expect(r.data.gates[0].status).toBe('fail');
    expect(r.data.gates[0].checks.find((c) => c.metric === 'accuracy')?.passed).toBe(false);
    expect(r.data.model).toBeUndefined();
    expect((await countRecords(dir)).models).toBe(0);
    const shown = sluiceJson<{ gates: { gate: string; status: string }[] }>(dir, ['runs', 'show', 'latest']).data;
    expect(shown.gates).toEqual(expect.arrayContaining([expect.objectContaining({ gate: 'accuracy', status: 'fail' })]));
  });
});

describe('faults', () => {
  it('kill -9 during a run leaves no half-written record; the next run marks it failed and carries on', async () => {
    const dir = makeProject({
      'sluice.yaml': yaml(`steps:
  slow:
    kind: command
    run: echo started; sleep 30; echo done > "$SLUICE_OUTPUT_OUT"
    inputs: { data: points }
    outputs: { out: { type: file, path: out.txt } }
`),
      'points.csv': CSV,
    });
    const child = sluiceSpawn(dir, ['run']);
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the slow step never started:\n${seen}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('started')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    // The orphaned step notices its parent is gone and stops within a second.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await countRecords(dir);
    expect(before.runs.map((x) => x.status)).toEqual(['running']);
    expect(before.datasets).toBe(0);
    const tmp = join(dir, '.sluice', 'artifacts', 'tmp');
    const objectsBefore = existsSync(tmp) ? readdirSync(tmp) : [];

    // Make the step quick and run again: the abandoned run is marked failed first.
    const path = join(dir, 'sluice.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(path, readFileSync(path, 'utf8').replace('sleep 30', 'sleep 0'));
    const r = sluice(dir, ['run']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('was abandoned');
    const after = await countRecords(dir);
    expect(after.runs.map((x) => x.status)).toEqual(['failed', 'succeeded']);
    expect(JSON.parse(after.runs[0].error ?? '{}').code).toBe('ABANDONED');
    expect(after.datasets).toBeGreaterThan(0);
    void objectsBefore;
  });

  it('a step over its time limit is stopped and reported as such', async () => {
    const dir = makeProject({
      'sluice.yaml': yaml(`steps:
  sleepy:
    kind: command
    run: sleep 20
    outputs: { out: { type: file, path: out.txt } }
    resources: { timeout: 1s }
`),
      'points.csv': CSV,
    });
    const r = sluiceJson<{ status: string; errors: { step: string; message: string; code: string }[] }>(dir, ['run']);
    expect(r.code).toBe(5);
    expect(r.data.errors[0]).toMatchObject({ step: 'sleepy', code: 'STEP_TIMEOUT' });
    expect(r.data.errors[0].message).toContain('time limit of 1.00 s');
    const steps = sluiceJson<{ steps: { name: string; failure: string }[] }>(dir, ['runs', 'show', 'latest']).data.steps;
    expect(steps.find((s) => s.name === 'sleepy')?.failure).toBe('timeout');
  });

  it('a step over its memory limit is stopped and reported as such', async () => {
    const dir = makeProject({
      'sluice.yaml': yaml(`steps:
  hungry:
    kind: command
    run: node -e "const a = []; for (;;) a.push(Buffer.alloc(16e6, 1))"
    outputs: { out: { type: file, path: out.txt } }
    resources: { memory: 300MB, timeout: 60s }
`),
      'points.csv': CSV,
    });
    const r = sluiceJson<{ errors: { step: string; message: string; code: string }[] }>(dir, ['run']);
    expect(r.code).toBe(5);
    expect(r.data.errors[0]).toMatchObject({ step: 'hungry', code: 'STEP_OUT_OF_MEMORY' });
    expect(r.data.errors[0].message).toContain('memory limit of 286.1 MiB');
  });
});
