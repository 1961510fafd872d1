import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { initProject, loadProject } from './index.js';

function tempDir(name = 'churn'): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'sluice-init-')), name);
  mkdirSync(dir);
  return dir;
}

describe('initProject()', () => {
  test('writes a sluice.yaml that loads and a .gitignore for the workspace', () => {
    const dir = tempDir();
    expect(initProject(dir)).toEqual([path.join(dir, 'sluice.yaml'), path.join(dir, '.gitignore')]);
    const text = readFileSync(path.join(dir, 'sluice.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/sluice/schema/sluice.schema.json');
    const { config } = loadProject(dir);
    expect(config.project).toBe('churn');
    expect(Object.values(config.steps).map((s) => s.kind)).toEqual(['prepare', 'split', 'train', 'evaluate']);
    expect(Object.keys(config.gates)).toEqual(['quality']);
    expect(config.register).toMatchObject({ model: 'churn', from: 'train', gates: ['quality'] });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('.sluice/\n');
  });

  test('refuses to overwrite a project file unless forced', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'sluice.yaml'), 'project: mine\n');
    expect(() => initProject(dir)).toThrow(expect.objectContaining({ code: 'CONFLICT', hint: expect.stringContaining('--force') }));
    expect(readFileSync(path.join(dir, 'sluice.yaml'), 'utf8')).toBe('project: mine\n');
    expect(initProject(dir, { force: true, name: 'forced' })).toContain(path.join(dir, 'sluice.yaml'));
    expect(loadProject(dir).config.project).toBe('forced');
  });

  test('appends the workspace to an existing .gitignore only when missing', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules');
    expect(initProject(dir)).toHaveLength(2);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.sluice/\n');
    expect(initProject(dir, { force: true })).toEqual([path.join(dir, 'sluice.yaml')]);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.sluice/\n');
  });

  test('makes a valid project name from the folder name, or rejects a bad one', () => {
    const dir = tempDir('2024 Churn model!');
    initProject(dir);
    expect(loadProject(dir).config.project).toBe('Churn-model');
    const yamlWord = tempDir('null');
    initProject(yamlWord);
    expect(loadProject(yamlWord).config.project).toBe('null');
    expect(() => initProject(tempDir(), { name: 'bad name' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
