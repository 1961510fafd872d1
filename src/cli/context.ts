/** Shared by the commands: the global options and opening the project they name. */
import type { Command } from 'commander';
import { openProject, type Project } from '../project.js';

export function projectDir(cmd: Command): string {
  return (cmd.optsWithGlobals() as { project?: string }).project ?? '.';
}

export async function withProject<T>(cmd: Command, fn: (project: Project) => Promise<T>): Promise<T> {
  const project = await openProject(projectDir(cmd));
  try {
    return await fn(project);
  } finally {
    await project.close();
  }
}
