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

/** Resolves at the first SIGINT or SIGTERM: long-running commands then close cleanly. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs `fn` with a signal that aborts at SIGINT or SIGTERM: a run stops its steps and records why. */
export async function abortOnSignal<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
