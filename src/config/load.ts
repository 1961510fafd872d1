import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { SluiceError, errorMessage } from '../errors.js';
import type { ProjectConfig } from './schema.js';
import { validateProject, type Path, type Problem } from './validate.js';

export const CONFIG_FILES = ['sluice.yaml', 'sluice.yml'] as const;

export interface LoadedProject {
  config: ProjectConfig;
  /** Absolute path of the project file. */
  file: string;
  /** Absolute path of the project root: the folder holding the project file. */
  dir: string;
  /** sha256 (hex) of the file's text. */
  hash: string;
}

/** One problem in a project file, as listed in `details.issues` of a CONFIG_INVALID error. */
export interface ConfigIssue {
  /** Where in the config, such as `steps.train.params.l2`; empty for YAML syntax errors. */
  path: string;
  line: number;
  column: number;
  message: string;
}

/** Reads and checks `sluice.yaml` (or `sluice.yml`) in a folder, or the given project file. */
export function loadProject(pathOrDir: string): LoadedProject {
  const file = findProjectFile(path.resolve(pathOrDir));
  const text = readFileSync(file, 'utf8');
  const relative = path.relative(process.cwd(), file);
  const label = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  const config = parseProject(text, label);
  return { config, file, dir: path.dirname(file), hash: createHash('sha256').update(text).digest('hex') };
}

/** Names of the project files present in a folder. */
export function _projectFilesIn(dir: string): string[] {
  return CONFIG_FILES.filter((name) => existsSync(path.join(dir, name)));
}

function findProjectFile(target: string): string {
  const notFound = (message: string) =>
    new SluiceError('CONFIG_NOT_FOUND', message, { hint: 'Run `sluice init` to create a project here, or give the path of your project.' });
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    throw notFound(`Cannot find ${target}`);
  }
  if (!isDir) return target;
  const found = _projectFilesIn(target);
  if (found.length === 0) throw notFound(`Cannot find sluice.yaml in ${target}`);
  if (found.length > 1) {
    throw new SluiceError('CONFIG_INVALID', `Cannot choose between sluice.yaml and sluice.yml in ${target}`, { hint: 'Keep one of the two files.' });
  }
  return path.join(target, found[0]);
}

/** Parses and checks the text of a project file; `fileLabel` names the file in error messages. */
export function parseProject(text: string, fileLabel = 'sluice.yaml'): ProjectConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length) {
    throw invalid(fileLabel, doc.errors.map((e) => ({ path: '', ...at(e.pos[0]), message: e.message })));
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    throw invalid(fileLabel, [{ path: '', line: 1, column: 1, message: errorMessage(e) }]);
  }
  if (data === null || data === undefined) {
    throw invalid(fileLabel, [{ path: '', line: 1, column: 1, message: "the file is empty; it needs at least 'project' and 'sources'" }]);
  }
  const result = validateProject(data);
  if (result.ok) return result.config;
  const issues = result.problems.map((p) => ({ path: formatPath(p.path), ...at(offsetOf(doc, p)), message: p.message }));
  throw invalid(fileLabel, issues.sort((a, b) => a.line - b.line || a.column - b.column));
}

function invalid(file: string, issues: ConfigIssue[]): SluiceError {
  const lines = issues.map((i) => `${file}:${i.line}:${i.column}  ${i.path ? `${i.path}: ` : ''}${i.message}`);
  const message = lines.length === 1 ? lines[0] : `${file} has ${lines.length} problems:\n  ${lines.join('\n  ')}`;
  return new SluiceError('CONFIG_INVALID', message, { details: { file, issues } });
}

/** `steps.train.params.l2`, `gates.accuracy.checks[0]`, `replace.income[">50K."]`. */
function formatPath(p: Path): string {
  return p.reduce<string>((s, seg) => {
    if (typeof seg === 'number') return `${s}[${seg}]`;
    if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) return s ? `${s}.${seg}` : seg;
    return `${s}[${JSON.stringify(seg)}]`;
  }, '');
}

/** Offset in the text of the key or value a problem is about, or of its nearest ancestor present in the file. */
function offsetOf(doc: Document, problem: Problem): number {
  let key: unknown;
  let value: unknown = doc.contents;
  for (const seg of problem.path) {
    const node = deref(doc, value);
    let next: { key: unknown; value: unknown } | undefined;
    if (isMap(node)) next = findPair(doc, node, String(seg));
    else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) next = { key: node.items[seg], value: node.items[seg] };
    if (!next) break;
    ({ key, value } = next);
  }
  // A problem with a whole block (`expected a list, got a mapping`) reads best at its key.
  const node = problem.at === 'key' || (isCollection(value) && !value.flow) ? (key ?? value) : (value ?? key);
  return rangeStart(node);
}

function rangeStart(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function findPair(doc: Document, map: YAMLMap, key: string, depth = 0): { key: unknown; value: unknown } | undefined {
  for (const pair of map.items) if (isScalar(pair.key) && String(pair.key.value) === key) return pair;
  if (depth > 10) return undefined;
  // Keys brought in by a `<<: *anchor` merge live in the anchored map.
  for (const pair of map.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol') continue;
    const merged = deref(doc, pair.value);
    for (const source of isSeq(merged) ? merged.items : [merged]) {
      const m = deref(doc, source);
      const found = isMap(m) ? findPair(doc, m, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
