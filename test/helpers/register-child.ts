/**
 * A second process for the store tests: opens the store at <url> (migrating it, perhaps while
 * other processes do the same), creates a tracking run and registers <count> versions of
 * <model> from it at once, starting at epoch ms <startAt> so that the processes overlap; prints the version numbers it got as JSON. Each registration reads
 * (the run) before it writes, the pattern that fails with SQLITE_BUSY under deferred transactions.
 *   node --import ./test/helpers/ts-register.mjs test/helpers/register-child.ts <url> <workspace> <model> <count> <startAt>
 */
import { openStore } from '../../src/store/index.js';
import { registerModelVersion } from '../../src/registry/index.js';
import { createRun, getOrCreateExperiment } from '../../src/tracking/index.js';

const [url, workspace, name, count, startAt] = process.argv.slice(2);
const store = await openStore({ url, workspace });
try {
  const experiment = await getOrCreateExperiment(store.db, name);
  const run = await createRun(store.db, { experimentId: experiment.experimentId, runName: `child-${process.pid}` });
  await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
  const registered = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      registerModelVersion(store, {
        name,
        runId: run.runId,
        source: `sha256:child-${process.pid}-${i}`,
        datasets: {},
        params: {},
        metrics: {},
        gates: [],
        actor: `child-${process.pid}`,
        reason: 'concurrency test',
      }),
    ),
  );
  process.stdout.write(JSON.stringify(registered.map((r) => r.version)));
} finally {
  await store.close();
}
