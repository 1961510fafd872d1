/**
 * A small real project for the CI tests: 600 points, a logistic regression that reaches about
 * 0.85 accuracy, a gate, a registered model, real checks (py_compile, pytest, an HTTP call to
 * the ephemeral model server) — a full `sluice ci` takes a few seconds. It lives in its own git
 * repository, so branch and commit come from git as in a user's checkout.
 */
import { spawnSync } from 'node:child_process';
import { makeProject } from '../helpers/cli.js';

export function tinyCsv(rows = 600, seed = 7): string {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['x1,x2,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = rand() * 4 - 2;
    const x2 = rand() * 4 - 2;
    const p = 1 / (1 + Math.exp(-(2 * x1 - 1.5 * x2)));
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${rand() < p ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface TinyOptions {
  /** Accuracy the gate asks for (default 0.7; 0.99 makes it fail). */
  threshold?: number;
  /** A staging environment's router port. */
  stagingPort?: number;
  /** Extra lines appended to sluice.yaml. */
  extra?: string;
}

export function tinyYaml(options: TinyOptions = {}): string {
  return `project: tiny
sources:
  points:
    path: data/points.csv
    columns: { x1: double, x2: double, label: string }
steps:
  split: { kind: split, input: points, fractions: { train: 0.7, test: 0.3 }, seed: 1 }
  train: { kind: train, trainer: logistic_regression, train: split.train, target: label, positive: "yes", params: { max_iter: 100 } }
  evaluate: { kind: evaluate, model: train, data: split.test, bootstrap: 0 }
gates:
  quality:
    evaluation: evaluate
    checks:
      - { metric: accuracy, op: ">=", threshold: ${options.threshold ?? 0.7} }
      - { metric: roc_auc, min_absolute_change: 0.5, greater_is_better: true, severity: warn }
register: { model: tiny, from: train, evaluation: evaluate, gates: [quality], aliases: [champion] }
checks:
  - { name: syntax, run: "python3 -m py_compile src/features.py" }
  - { name: unit, run: "python3 -m pytest -q -p no:cacheprovider tests" }
  - { name: api, stage: integration, run: "curl -fsS \\"$SLUICE_MODEL_URL/v2/models/$(echo $SLUICE_MODEL | cut -d@ -f1)\\"" }
ci:
  sample: { rows: 400 }
${options.stagingPort ? `environments:\n  staging:\n    port: ${options.stagingPort}\n    smoke:\n      - name: a point\n        request: { records: [{ x1: 1.5, x2: -1.0 }] }\n        expect: { label: "yes" }\n` : ''}${options.extra ?? ''}`;
}

export function tinyProject(options: TinyOptions = {}): string {
  const dir = makeProject({
    'sluice.yaml': tinyYaml(options),
    'data/points.csv': tinyCsv(),
    'src/features.py': 'def scale(x):\n    return 2 * x\n',
    'tests/test_features.py': 'import sys, os\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))\nfrom features import scale\n\ndef test_scale():\n    assert scale(2) == 4\n',
    '.gitignore': '.sluice/\nsluice-ci/\nmodel-package/\nnode_modules/\n',
  });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'tiny project']);
  return dir;
}

export function git(dir: string, args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}
