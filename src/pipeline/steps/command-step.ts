/**
 * Worker-side runner of a `command` step: the user's shell command, with the step's environment
 * (inputs, outputs, tracking ids) and its output passed straight through.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FILE, type StepResult, type StepTask } from '../task.js';

export async function runCommand(task: StepTask): Promise<StepResult | null> {
  const { run } = task.spec as { run: string };
  const code = await new Promise<number>((resolve) => {
    const child = spawn('/bin/sh', ['-c', run], { cwd: task.workdir, env: process.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => {
      console.error(`cannot start the command: ${e.message}`);
      resolve(127);
    });
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  if (code !== 0) {
    process.exitCode = code;
    console.error(`the command exited with code ${code}`);
    return null;
  }
  // The engine checks the declared outputs; a command may add metrics and params in _result.json.
  return readFile(join(task.outputDir, RESULT_FILE), 'utf8').then(
    (t) => JSON.parse(t) as StepResult,
    () => null,
  );
}
