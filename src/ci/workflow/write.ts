/** Writes the CI workflow file for a project (`sluice init --ci`), atomically, never over an existing one without --force. */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadProject } from '../../config/index.js';
import { SluiceError } from '../../errors.js';
import { workflowFor, workflowOptions, workflowPath, type WorkflowPlatform } from './index.js';

export async function writeWorkflow(dir: string, platform: WorkflowPlatform, options: { force?: boolean } = {}): Promise<string> {
  const loaded = await loadProject(dir);
  const file = join(loaded.dir, workflowPath(platform));
  if (existsSync(file) && !options.force) {
    throw new SluiceError('CONFLICT', `Cannot write ${file}: the file already exists`, { hint: 'Use --force to replace it (your edits to it would be lost).' });
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, workflowFor(platform, workflowOptions(loaded.config, loaded.dir)));
  await rename(`${file}.tmp`, file);
  return file;
}
