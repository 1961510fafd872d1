/**
 * Entry point of a step's own process: `node worker.js <task.json>`. It runs one built-in step
 * and writes the step's result next to its outputs. Exit code 0 means the result is complete;
 * anything else means the step failed and its outputs are discarded.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, isSluiceError } from '../errors.js';
import { runAcquire, runPrepare, runSplit, runValidate } from './steps/data-steps.js';
import { runEvaluate } from './steps/evaluate-step.js';
import { runSearch, runTrain } from './steps/train-step.js';
import { runCommand } from './steps/command-step.js';
import { runModule, runSql } from './steps/sql-steps.js';
import { runCheck } from './steps/data-gate.js';
import { datasetResult } from './steps/data-steps.js';
import { RESULT_FILE, type StepResult, type StepTask } from './task.js';
import { ERROR_FILE } from './worker-contract.js';

const RUNNERS: Record<StepTask['kind'], (task: StepTask) => Promise<StepResult | null>> = {
  acquire: runAcquire,
  validate: runValidate,
  prepare: runPrepare,
  split: runSplit,
  train: runTrain,
  evaluate: runEvaluate,
  command: runCommand,
  sql: runSql,
  module: runModule,
  search: runSearch,
  check: (task) => runCheck(task, (path, summary) => datasetResult(path, 'data.parquet', summary, task)),
};

/**
 * A step runs in its own process group so that limits can stop all of it. If the engine dies
 * (kill -9), nothing would stop the group: so the worker watches its parent and takes the whole
 * group down when the parent is gone.
 */
function watchParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      try {
        process.kill(-process.pid, 'SIGKILL');
      } catch {
        process.exit(137);
      }
    }
  }, 250).unref();
}


async function main(): Promise<void> {
  const taskFile = process.argv[2];
  if (!taskFile) throw new Error('usage: worker.js <task.json>');
  const task = JSON.parse(await readFile(taskFile, 'utf8')) as StepTask;
  watchParent();
  try {
    const result = await RUNNERS[task.kind](task);
    if (result === null) return;
    const tmp = join(task.outputDir, `${RESULT_FILE}.tmp`);
    await writeFile(tmp, JSON.stringify(result));
    await rename(tmp, join(task.outputDir, RESULT_FILE));
  } catch (e) {
    const error = isSluiceError(e) ? e.toJSON() : { code: 'STEP_FAILED', message: errorMessage(e) };
    await writeFile(join(task.workdir, ERROR_FILE), JSON.stringify(error));
    console.error(`error: ${errorMessage(e)}`);
    process.exitCode = 1;
  }
}

await main();
