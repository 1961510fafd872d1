// Benchmark: built-in logistic regression on UCI Adult (train adult.data without fnlwgt,
// evaluate on adult.test). Run after a build:  node bench/training.js
// or against another build:  SLUICE_DIST=/tmp/trainbuild node bench/training.js
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { readAdult } from './_adult.js';

// SLUICE_DIST is a folder, relative to the working directory; by default the project's dist/.
const dist = process.env.SLUICE_DIST ? pathToFileURL(resolve(process.env.SLUICE_DIST)).href : new URL('../dist', import.meta.url).href;
const { trainLogisticRegression, predictProba } = await import(`${dist}/training/index.js`);
const { binaryClassificationMetrics } = await import(`${dist}/evaluation/index.js`);


const train = readAdult('adult.data');
const test = readAdult('adult.test');
const options = { target: 'Y', positive: '>50K', exclude: ['fnlwgt'] };

const times = [];
let result;
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  result = trainLogisticRegression(train, options);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);

const labels = test.columns.find((c) => c.name === 'Y').values;
const y = Uint8Array.from(labels, (v) => (v === '>50K' ? 1 : 0));
const m = binaryClassificationMetrics(y, predictProba(result.model, test));

console.log(`logistic regression on Adult: ${train.rowCount} train rows, ${test.rowCount} test rows, ${result.model.featureNames.length} encoded features`);
console.log(`test error     ${((1 - m.accuracy) * 100).toFixed(2)}%`);
console.log(`ROC AUC        ${m.roc_auc.toFixed(4)}`);
console.log(`log loss       ${m.log_loss.toFixed(4)}`);
console.log(`iterations     ${result.iterations} (converged: ${result.converged})`);
console.log(`training time  ${times[1].toFixed(0)} ms (median of 3; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
