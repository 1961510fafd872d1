/**
 * The first real loop, end to end through the CLI on the UCI Adult data: acquire → validate →
 * prepare → split → train → evaluate → gate → register, then a cached rerun and the lineage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { incomeProject, sluice, sluiceJson } from '../helpers/cli.js';

interface Summary {
  runId: string;
  status: string;
  steps: { id: string; state: string }[];
  gates: { gate: string; status: string; checks: { metric: string; actual: number; passed: boolean }[] }[];
  datasets: { id: string; name: string; rows: number }[];
  model?: { name: string; version: number; existing: boolean };
}

describe('the income example', () => {
  let dir: string;
  let first: Summary;

  beforeAll(() => {
    dir = incomeProject();
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code, r.stderr).toBe(0);
    first = r.data;
  });

  it('runs every step and registers income@1 when the gate passes', () => {
    expect(first.status).toBe('succeeded');
    expect(first.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['acquire/adult', 'validate/adult', 'acquire/adult_test', 'validate/adult_test', 'clean', 'clean_test', 'checked', 'checked_test', 'split', 'train', 'baseline', 'test', 'test_baseline', 'gate/accuracy', 'gate/fairness', 'register']),
    );
    expect(first.steps.every((s) => s.state === 'done')).toBe(true);
    expect(first.model).toEqual({ name: 'income', version: 1, existing: false, runId: expect.any(String) });
    const gate = first.gates.find((g) => g.gate === 'accuracy');
    expect(gate?.status).toBe('pass');
    const accuracy = gate?.checks.find((c) => c.metric === 'accuracy')?.actual ?? 0;
    // The GBDT beats every algorithm listed in adult.names (best: 14.05% test error).
    expect(1 - accuracy).toBeLessThan(0.135);
    expect(first.gates.find((g) => g.gate === 'fairness')?.status).toBe('warn');
  });

  it('creates dataset versions with the right row counts, and the split is exact', () => {
    const rows = Object.fromEntries(first.datasets.map((d) => [d.name, d.rows]));
    expect(rows.adult).toBe(32561);
    expect(rows.adult_test).toBe(16281);
    expect(rows['split.train'] + rows['split.validation']).toBe(32561);
    expect(rows['split.validation']).toBe(Math.round(32561 * 0.2));
  });

  it('reuses every step on an unchanged rerun and registers nothing new', () => {
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(0);
    const stepRuns = sluiceJson<{ steps: { name: string; status: string }[] }>(dir, ['runs', 'show', r.data.runId]).data.steps;
    const processSteps = stepRuns.filter((s) => !s.name.startsWith('gate/') && s.name !== 'register');
    expect(processSteps.every((s) => s.status === 'cached')).toBe(true);
    expect(r.data.model).toMatchObject({ name: 'income', version: 1, existing: true });
    expect(sluiceJson<unknown[]>(dir, ['models', 'list', 'income']).data).toHaveLength(1);
    // A cached step's log is the output of the run that made the cached result.
    const logs = sluiceJson<{ steps: { step: string; status: string; from_run?: string; lines: string[] }[] }>(dir, ['logs', r.data.runId, '--step', 'train', '--grep', '^iteration 1:']).data.steps;
    expect(logs).toEqual([{ step: 'train', status: 'cached', from_run: first.runId, lines: [expect.stringMatching(/^iteration 1: train loss/)] }]);
  });

  it('reruns only what a change touches', () => {
    const yaml = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    writeFileSync(join(dir, 'sluice.yaml'), yaml.replace('learning_rate: 0.1', 'learning_rate: 0.15'));
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code, r.stderr).toBe(0);
    const steps = sluiceJson<{ steps: { name: string; status: string }[] }>(dir, ['runs', 'show', r.data.runId]).data.steps;
    const status = Object.fromEntries(steps.map((s) => [s.name, s.status]));
    expect(status['acquire/adult']).toBe('cached');
    expect(status.split).toBe('cached');
    expect(status.train).toBe('succeeded');
    expect(status.test).toBe('succeeded');
    expect(status.baseline).toBe('cached');
    expect(r.data.model).toMatchObject({ name: 'income', version: 2, existing: false });
    writeFileSync(join(dir, 'sluice.yaml'), yaml);
  });

  it('shows what made a model: data versions, code hash, params, metrics and gates', () => {
    const m = sluiceJson<{
      name: string;
      version: number;
      codeHash: string;
      runId: string;
      datasets: { role: string; id: string; name: string; rows: number; lineage: { sources: { uri: string; digest: string }[] } }[];
      params: Record<string, string>;
      metrics: Record<string, number>;
      gates: { gate: string; status: string }[];
    }>(dir, ['models', 'show', 'income@1']).data;
    expect(m.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.params.learning_rate).toBe('0.1');
    expect(m.params.seed).toBe('7');
    expect(m.metrics.accuracy).toBeGreaterThan(0.865);
    expect(m.metrics.roc_auc).toBeGreaterThan(0.92);
    expect(m.metrics['sex.equalized_odds_difference']).toBeLessThan(0.15);
    expect(m.gates).toEqual([expect.objectContaining({ gate: 'accuracy', status: 'pass' }), expect.objectContaining({ gate: 'fairness', status: 'warn' })]);
    const train = m.datasets.find((d) => d.role === 'train');
    expect(train?.name).toBe('split.train');
    // Each registration moves the champion alias (the l2 change above registered version 2).
    expect(sluiceJson<{ version: number; aliases: string[] }>(dir, ['models', 'show', 'income@champion']).data).toMatchObject({ version: 2, aliases: ['champion'] });
    expect(train?.lineage.sources[0]).toMatchObject({ uri: 'data/adult.data', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const test = m.datasets.find((d) => d.role === 'test');
    expect(test?.rows).toBe(16281);
    const text = sluice(dir, ['models', 'show', 'income@1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('code hash');
    expect(text.stdout).toContain('data/adult.data');
  });

  it('keeps every step log and filters it', () => {
    const r = sluiceJson<{ steps: { step: string; lines: string[] }[] }>(dir, ['logs', first.runId, '--step', 'train', '--grep', '^iteration']);
    expect(r.code).toBe(0);
    expect(r.data.steps).toHaveLength(1);
    expect(r.data.steps[0].lines.length).toBeGreaterThan(2);
    expect(r.data.steps[0].lines.every((l) => l.startsWith('iteration'))).toBe(true);
    const missing = sluice(dir, ['logs', first.runId, '--step', 'nope']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("no step 'nope'");
  });

  it('tracks each loss history once per step, the summary value being its last point', () => {
    const db = new Database(join(dir, '.sluice', 'sluice.db'), { readonly: true });
    try {
      const dup = db.prepare("SELECT run_id, key, step, count(*) AS n FROM metrics WHERE key IN ('train_loss', 'validation_loss') GROUP BY run_id, key, step HAVING n > 1").all();
      expect(dup).toEqual([]);
      const rows = db.prepare("SELECT m.value, m.step, l.value AS latest, l.step AS latest_step FROM metrics m JOIN latest_metrics l ON l.run_id = m.run_id AND l.key = m.key WHERE m.key = 'train_loss' ORDER BY m.run_id, m.step").all() as { value: number; step: number; latest: number; latest_step: number }[];
      expect(rows.length).toBeGreaterThan(2);
      const maxStep = Math.max(...rows.map((r) => r.step));
      expect(rows.find((r) => r.step === maxStep)).toMatchObject({ latest_step: maxStep });
    } finally {
      db.close();
    }
  });

  it('lists runs and datasets', () => {
    const runs = sluiceJson<{ id: string; status: string }[]>(dir, ['runs', 'list']).data;
    expect(runs.length).toBe(3);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const ds = sluiceJson<{ id: string; name: string }[]>(dir, ['datasets', 'list']).data;
    expect(ds.map((d) => d.name)).toEqual(expect.arrayContaining(['adult', 'adult.raw', 'clean', 'split.train']));
    const shown = sluiceJson<{ schema: { name: string }[] }>(dir, ['datasets', 'show', 'clean']).data;
    expect(shown.schema.map((c) => c.name)).toContain('income');
  });
});
