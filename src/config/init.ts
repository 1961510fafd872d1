import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SluiceError } from '../errors.js';
import { _projectFilesIn } from './load.js';

export interface InitOptions {
  /** Project name; defaults to the folder's name, made valid. */
  name?: string;
  /** Overwrite an existing project file. */
  force?: boolean;
}

const WORKSPACE = '.sluice';
const PROJECT_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Writes a starter `sluice.yaml` and ignores the workspace in `.gitignore`; returns the absolute paths written. */
export function initProject(dir: string, options: InitOptions = {}): string[] {
  const root = path.resolve(dir);
  const name = options.name ?? projectName(path.basename(root));
  if (!PROJECT_PATTERN.test(name)) {
    throw new SluiceError('CONFIG_INVALID', `Cannot use '${name}' as a project name`, {
      hint: "Use a name that starts with a letter and contains only letters, digits, '_', '.' and '-'.",
    });
  }
  const existing = _projectFilesIn(root);
  if (existing.length && !options.force) {
    throw new SluiceError('CONFLICT', `Cannot create ${path.join(root, existing[0])}: the file already exists`, {
      hint: 'Use --force to overwrite it.',
    });
  }
  mkdirSync(root, { recursive: true });
  const file = path.join(root, existing[0] ?? 'sluice.yaml');
  writeFileSync(file, template(name));
  const written = [file];

  const gitignore = path.join(root, '.gitignore');
  const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : undefined;
  const lines = ignored?.split(/\r?\n/).map((l) => l.trim()) ?? [];
  if (![WORKSPACE, `${WORKSPACE}/`, `/${WORKSPACE}`, `/${WORKSPACE}/`].some((l) => lines.includes(l))) {
    const separator = !ignored || ignored.endsWith('\n') ? '' : '\n';
    appendFileSync(gitignore, `${separator}${WORKSPACE}/\n`);
    written.push(gitignore);
  }
  return written;
}

/** A valid project name from a folder name: `My Project!` → `My-Project`. */
function projectName(folder: string): string {
  const name = folder.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/-+$/, '');
  return name || 'project';
}

/** The name as a YAML scalar: plain unless YAML would read it as something else (`null`, `true`). */
function scalar(value: string): string {
  return parse(value) === value ? value : JSON.stringify(value);
}

function template(name: string): string {
  return `# yaml-language-server: $schema=node_modules/sluice/schema/sluice.schema.json
# Sluice project: data in, a tested model out. Run it with \`npx sluice run\`.
project: ${scalar(name)}

# Where Sluice keeps its records, datasets and models (ignored by git).
workspace: ${WORKSPACE}

# Sources: the input files. Declare every column, in the file's order, with its type:
# string, integer, double, boolean, date or timestamp.
sources:
  customers:
    path: data/customers.csv
    header: true
    nulls: ["", "NA"]
    columns:
      customer_id: string
      age: integer
      monthly_spend: double
      plan: string
      signup_date: date
      churned: string

# Steps: the pipeline. A step names its input: a source, a step, or one output of a
# step such as \`split.train\`. Sluice runs steps in order and skips any step whose
# config, code and inputs have not changed.
steps:
  clean:
    kind: prepare
    input: customers
    trim: true
    drop: [customer_id]
    drop_missing: [churned]
  split:
    kind: split
    input: clean
    fractions: { train: 0.7, validation: 0.15, test: 0.15 }
    seed: 42
    stratify: churned
  train:
    kind: train
    trainer: logistic_regression
    train: split.train
    validation: split.validation
    target: churned
    positive: "yes"
    exclude: [signup_date]
    params: { l2: 0.001, max_iter: 200 }
    resources: { memory: 2GB, timeout: 10m }
  evaluate:
    kind: evaluate
    model: train
    data: split.test

# Gates: checks on an evaluation's metrics. A failed check stops the model from
# being registered; a check with \`severity: warn\` is only reported.
gates:
  quality:
    evaluation: evaluate
    checks:
      - { metric: accuracy, op: ">=", threshold: 0.8 }
      - { metric: roc_auc, op: ">=", threshold: 0.75, severity: warn }

# Register: the trained model that becomes a new version in the model registry
# once it passes the listed gates.
register:
  model: ${scalar(name)}
  from: train
  evaluation: evaluate
  gates: [quality]
`;
}
