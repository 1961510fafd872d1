/**
 * The data gate end to end: expectations that catch what cleaning missed, the PII policy on
 * every dataset, bias thresholds, and the tools around them (infer, diff, HTML report).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incomeProject, makeProject, sluice, sluiceJson } from '../helpers/cli.js';

interface Summary {
  status: string;
  runId: string;
  datasets: { name: string; rows: number }[];
  errors: { step: string; message: string; code?: string }[];
}

const edit = (dir: string, from: string, to: string) => {
  const path = join(dir, 'sluice.yaml');
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`sluice.yaml has no '${from}'`);
  writeFileSync(path, text.replace(from, to));
};

describe('income expectations catch what the preparation would miss', () => {
  it("test labels ending with '.' fail the check on the test data", () => {
    const dir = incomeProject();
    edit(dir, `replace: { income: { ">50K.": ">50K", "<=50K.": "<=50K" } }`, 'replace: {}');
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(3);
    const err = r.data.errors.find((e) => e.step === 'checked_test');
    expect(err?.message).toContain("column 'income': 16281 of 16281 values (100.0%) are not in the set; examples: '<=50K.', '>50K.'");
    expect(r.data.datasets).toEqual([]);
  });

  it("'?' left in the data fails the domain check", () => {
    const dir = incomeProject();
    edit(dir, `    trim: true\n    nulls: ["?"]\n    rename: { Y: income }\n  clean_test:`, `    trim: true\n    rename: { Y: income }\n  clean_test:`);
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(3);
    const err = r.data.errors.find((e) => e.step === 'checked');
    expect(err?.message).toContain("column 'workclass': 1836 of 32561 values (5.6%) are not in the set; examples: '?'");
  });
});

const PEOPLE = 'id,email,score\n1,ada@example.com,0.5\n2,alan@example.org,0.7\n3,grace@example.net,0.9\n';
const project = (pii = '') => `project: people
sources:
  people: { path: people.csv, columns: { id: integer, email: string, score: double } }
${pii}`;

describe('the PII gate', () => {
  it('unapproved personal data fails the run, naming the column', () => {
    const dir = makeProject({ 'sluice.yaml': project(), 'people.csv': PEOPLE });
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(3);
    expect(r.data.errors[0].message).toContain('the PII gate failed');
    expect(r.data.errors[0].message).toContain("'email'");
    expect(r.data.datasets).toEqual([]);
  });

  it('masked columns are replaced by a salted hash before anything else sees them', () => {
    const dir = makeProject({ 'sluice.yaml': project('pii: { columns: { email: mask } }'), 'people.csv': PEOPLE });
    const r = sluice(dir, ['run', '--json'], { SLUICE_PII_SALT: 'pepper' });
    expect(r.code, r.stdout).toBe(0);
    const shown = sluiceJson<{ profile: { columns: { name: string; top?: { value: string }[] }[] }; validation: { pii: { passed: boolean } } }>(dir, ['datasets', 'show', 'people']).data;
    const emails = shown.profile.columns.find((c) => c.name === 'email')?.top?.map((t) => t.value) ?? [];
    expect(emails).toHaveLength(3);
    for (const v of emails) expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(shown.validation.pii.passed).toBe(true);
  });

  it('masking without a salt is refused with a hint', () => {
    const dir = makeProject({ 'sluice.yaml': project('pii: { columns: { email: mask } }'), 'people.csv': PEOPLE });
    const r = sluice(dir, ['run', '--json'], { SLUICE_PII_SALT: '' });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('SLUICE_PII_SALT');
  });

  it('allowed columns pass and the scan is kept with the version', () => {
    const dir = makeProject({ 'sluice.yaml': project('pii: { columns: { email: allow } }'), 'people.csv': PEOPLE });
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(0);
    const shown = sluiceJson<{ validation: { pii: { columns: { column: string; action: string }[] } } }>(dir, ['datasets', 'show', 'people']).data;
    expect(shown.validation.pii.columns.find((c) => c.column === 'email')?.action).toBe('allow');
  });

  it('blocked columns fail even when allowed elsewhere', () => {
    const dir = makeProject({ 'sluice.yaml': project('pii: { columns: { email: block } }'), 'people.csv': PEOPLE });
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(3);
    expect(r.data.errors[0].message).toContain('email');
  });
});

describe('bias checks on data', () => {
  it('a label-rate ratio under the fail threshold fails the check step with its figures', () => {
    const dir = incomeProject();
    edit(dir, 'thresholds: { label_rate_ratio: { warn: 0.8 }, min_group_share: { warn: 0.005 } }', 'thresholds: { label_rate_ratio: { warn: 0.8, fail: 0.5 } }');
    const r = sluiceJson<Summary>(dir, ['run']);
    expect(r.code).toBe(3);
    const err = r.data.errors.find((e) => e.step === 'checked');
    expect(err?.message).toContain('the bias check failed');
    expect(err?.message).toContain('sex');
  });
});

describe('data tools', () => {
  it('infer writes expectations that the same data passes, usable as a source expectations file', () => {
    const dir = makeProject({ 'sluice.yaml': project('pii: { columns: { email: allow } }'), 'people.csv': PEOPLE });
    expect(sluice(dir, ['run']).code).toBe(0);
    const r = sluice(dir, ['data', 'infer', 'people', '--write', 'people.expectations.yaml']);
    expect(r.code, r.stderr).toBe(0);
    const yaml = readFileSync(join(dir, 'people.expectations.yaml'), 'utf8');
    expect(yaml).toContain('expectations:');
    edit(dir, 'columns: { id: integer, email: string, score: double } }', 'columns: { id: integer, email: string, score: double }, expectations: people.expectations.yaml }');
    const again = sluiceJson<Summary>(dir, ['run', '--force']);
    expect(again.code, JSON.stringify(again.data.errors)).toBe(0);
    const shown = sluiceJson<{ validation: { expectations: { success: boolean; statistics: { evaluated: number } } } }>(dir, ['datasets', 'show', 'people']).data;
    expect(shown.validation.expectations.success).toBe(true);
    expect(shown.validation.expectations.statistics.evaluated).toBeGreaterThan(3);
  });

  it('diff shows schema, row count and per-column changes; show writes an HTML report', () => {
    const dir = makeProject({ 'sluice.yaml': project('pii: { columns: { email: allow } }'), 'people.csv': PEOPLE });
    expect(sluice(dir, ['run']).code).toBe(0);
    writeFileSync(join(dir, 'people.csv'), `${PEOPLE}4,linus@example.com,0.1\n`);
    expect(sluice(dir, ['run']).code).toBe(0);
    const versions = sluiceJson<{ id: string; name: string; row_count: number }[]>(dir, ['datasets', 'list', '--name', 'people']).data;
    expect(versions.map((v) => v.row_count).sort()).toEqual([3, 4]);
    const [newer, older] = versions;
    const diff = sluiceJson<{ rowChange: number; columns: { name: string; mean: [number, number] }[] }>(dir, ['datasets', 'diff', older.id, newer.id]).data;
    expect(diff.rowChange).toBe(1);
    const score = diff.columns.find((c) => c.name === 'score');
    expect(score?.mean[0]).toBeCloseTo(0.7, 12);
    expect(score?.mean[1]).toBeCloseTo(0.55, 12);
    const html = sluice(dir, ['datasets', 'show', newer.id, '--html', 'report.html']);
    expect(html.code).toBe(0);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toContain('<h2>PII scan');
    expect(page).toContain('<h2>Profile</h2>');
  });
});
