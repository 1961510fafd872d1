import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../config/index.js';
import { sampledConfig } from './sample.js';

function project(yaml: string, files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sample-'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return { dir, config: parseProject(yaml, 'sluice.yaml') };
}

describe('sampledConfig()', () => {
  it('keeps the header and the first N records, a quoted newline staying inside its record', async () => {
    const { dir, config } = project(
      'project: p\nsources:\n  notes:\n    path: notes.csv\n    columns: { id: integer, text: string }\n  other:\n    path: other.jsonl\nci:\n  sample: { rows: 2, sources: { other: 1 } }\n',
      { 'notes.csv': 'id,text\n1,"two\nlines"\n2,plain\n3,never\n', 'other.jsonl': '{"a":1}\n{"a":2}\n' },
    );
    const registering = { ...config, register: { model: 'm', from: 't', evaluation: 'e', gates: [], aliases: [] } };
    const { config: sampled, notes } = await sampledConfig(registering, { projectDir: dir, workspace: join(dir, '.sluice') });
    expect(readFileSync(sampled.sources.notes.path!, 'utf8')).toBe('id,text\n1,"two\nlines"\n2,plain\n');
    expect(readFileSync(sampled.sources.other.path!, 'utf8')).toBe('{"a":1}\n');
    expect(notes).toEqual([{ source: 'notes', rows: 2 }, { source: 'other', rows: 1 }]);
    // A sampled run never registers.
    expect(sampled.register).toBeUndefined();
    expect(registering.register).toBeDefined();
  });

  it('explains a missing sample and an unknown source name', async () => {
    const { dir, config } = project('project: p\nsources:\n  a:\n    path: a.jsonl\n', { 'a.jsonl': '{"a":1}\n' });
    await expect(sampledConfig(config, { projectDir: dir, workspace: join(dir, '.sluice') })).rejects.toThrow(/needs a declared sample/);
    const bad = project('project: p\nsources:\n  a:\n    path: a.jsonl\nci:\n  sample: { sources: { b: 3 } }\n', { 'a.jsonl': '{"a":1}\n' });
    await expect(sampledConfig(bad.config, { projectDir: bad.dir, workspace: join(bad.dir, '.sluice') })).rejects.toThrow(/names source 'b', which is not declared/);
  });
});
