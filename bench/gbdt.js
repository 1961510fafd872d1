// Benchmark of the built-in GBDT on UCI Adult: train on adult.data, test on adult.test.
// Prints test error, ROC AUC, number of trees and training time (median of 3 runs; CPU time too,
// since wall time on a shared machine also counts other processes).
//   node bench/gbdt.js                 (after `npm run build`)
//   SLUICE_DIST=/tmp/gbdtbuild node bench/gbdt.js
// Two set-ups: "full" trains on the whole of adult.data for max_iter iterations; "early" holds
// out a seeded 10% of adult.data as validation for early stopping and trains on the other 90%.
import { readAdult, rocAuc } from './_adult.js';

// A relative SLUICE_DIST is relative to this file, as any import specifier.
const { trainGbdt, predictGbdt } = await import((process.env.SLUICE_DIST ?? '../dist') + '/training/gbdt/index.js');



function takeRows(table, idx) {
  return {
    rowCount: idx.length,
    columns: table.columns.map((c) => ({
      ...c,
      values: c.type === 'number' ? Float64Array.from(idx, (i) => c.values[i]) : idx.map((i) => c.values[i]),
    })),
  };
}

/** Seeded 90/10 split (a simple LCG shuffle, so the bench needs nothing else). */
function holdout(table, fraction, seed) {
  const idx = Array.from({ length: table.rowCount }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = idx.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nVal = Math.round(table.rowCount * fraction);
  const sorted = (a) => a.sort((x, y) => x - y);
  return [takeRows(table, sorted(idx.slice(nVal))), takeRows(table, sorted(idx.slice(0, nVal)))];
}


const train = readAdult('adult.data');
const test = readAdult('adult.test');
const yTest = test.columns.find((c) => c.name === 'Y').values.map((v) => (v === '>50K' ? 1 : 0));
const options = { task: 'binary', target: 'Y', positive: '>50K', seed: 42 };

function run(label, trainTable, valTable) {
  const times = [];
  const cpu = [];
  let result;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    result = trainGbdt(trainTable, options, valTable);
    const c = process.cpuUsage(c0);
    times.push((performance.now() - t0) / 1000);
    cpu.push((c.user + c.system) / 1e6);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const p = predictGbdt(result.model, test);
  let wrong = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] >= 0.5 ? 1 : 0) !== yTest[i]) wrong++;
  console.log(
    `${label.padEnd(44)} error ${((100 * wrong) / p.length).toFixed(2)}%  AUC ${rocAuc(yTest, p).toFixed(4)}  ` +
      `trees ${result.model.trees.length}  train ${times[1].toFixed(2)} s wall, ${cpu[1].toFixed(2)} s CPU (medians of 3)`,
  );
}

console.log(`Adult: ${train.rowCount} training rows, ${test.rowCount} test rows; defaults (lr 0.1, 31 leaves, min_samples_leaf 20)`);
run('full: all of adult.data, 200 iterations', train, undefined);
const [fit, val] = holdout(train, 0.1, 42);
run(`early: 90% fit, 10% validation (${val.rowCount} rows)`, fit, val);
