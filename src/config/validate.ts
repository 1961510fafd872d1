import { z } from 'zod';
import { monitoringReferenceProblems } from './monitoring.js';
import { parseRef, projectSchema, type ProjectConfig, type StepConfig } from './schema.js';
import { triggerReferenceProblems } from './triggers.js';

export type Path = (string | number)[];

/** One problem in a project file. `at: 'key'` points at the key of the last path part, `'value'` at its value. */
export interface Problem {
  path: Path;
  message: string;
  at: 'key' | 'value';
}

export type Validation = { ok: true; config: ProjectConfig } | { ok: false; problems: Problem[] };

/** Checks parsed YAML against the schema and then the references between sources, steps, gates and register. */
export function validateProject(data: unknown): Validation {
  // Top-level `x-` keys hold YAML anchors and are ignored.
  if (isRecord(data)) data = Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-')));
  const knownKeys = new WeakMap<object, string[]>();
  const result = projectSchema.safeParse(data, {
    reportInput: true,
    error: (iss) => {
      if (iss.code === 'unrecognized_keys' && iss.inst instanceof z.ZodObject) knownKeys.set(iss.keys, Object.keys(iss.inst.shape));
      return undefined;
    },
  });
  if (!result.success) {
    return { ok: false, problems: result.error.issues.flatMap((iss) => fromZod(iss, knownKeys.get(iss.code === 'unrecognized_keys' ? iss.keys : {}))) };
  }
  const problems = checkReferences(result.data);
  return problems.length ? { ok: false, problems } : { ok: true, config: result.data };
}

function fromZod(iss: z.core.$ZodIssue, knownKeys: string[] = []): Problem[] {
  const { path } = iss as { path: Path };
  const input = 'input' in iss ? iss.input : undefined;
  if (input === undefined && typeof path.at(-1) === 'string' && ['invalid_type', 'invalid_value', 'invalid_union'].includes(iss.code)) {
    const values = iss.code === 'invalid_value' ? iss.values : [];
    const hint = values.length === 1 ? ` (set it to ${quote(values[0])})` : values.length ? ` (${choices(values)})` : '';
    return [{ path: path.slice(0, -1), at: 'key', message: `missing required key '${String(path.at(-1))}'${hint}` }];
  }
  switch (iss.code) {
    case 'unrecognized_keys':
      return iss.keys.map((key) => ({ path: [...path, key], at: 'key', message: `unknown key '${key}'${didYouMean(key, knownKeys)}` }));
    case 'invalid_type':
      return [{ path, at: 'value', message: `expected ${expected(iss.expected)}, got ${describe(input)}` }];
    case 'invalid_value':
      return [{ path, at: 'value', message: `expected ${choices(iss.values)}, got ${quote(input)}${didYouMean(input, iss.values)}` }];
    case 'invalid_union': {
      if ('discriminator' in iss && iss.discriminator) {
        const options = (iss as { options?: unknown[] }).options ?? [];
        const value = isRecord(input) ? input[iss.discriminator] : undefined;
        if (value === undefined) {
          return [{ path: path.slice(0, -1), at: 'key', message: `missing required key '${iss.discriminator}' (${choices(options)})` }];
        }
        return [{ path, at: 'value', message: `expected ${choices(options)}, got ${quote(value)}${didYouMean(value, options)}` }];
      }
      const types = iss.errors.flatMap((branch) => branch.map((b) => (b.code === 'invalid_type' ? expected(b.expected, true) : undefined)));
      if (types.every(Boolean)) return [{ path, at: 'value', message: `expected ${orList(types as string[])}, got ${describe(input)}` }];
      // One branch took the value (a number or a string) but rejected it: its problem is the useful one.
      const best = iss.errors.find((branch) => branch.every((b) => b.code !== 'invalid_type')) ?? iss.errors[0] ?? [];
      return best.flatMap((b) => fromZod({ ...b, path: [...path, ...(b.path as Path)] }));
    }
    case 'invalid_key':
      return iss.issues.map((inner) => ({ path, at: 'key', message: inner.message }));
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small';
      const bound = Number(small ? iss.minimum : iss.maximum);
      if (iss.origin === 'array') return [{ path, at: 'value', message: `expected ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}` }];
      if (iss.origin === 'string') return [{ path, at: 'value', message: small && bound === 1 ? 'must not be empty' : `expected ${small ? 'at least' : 'at most'} ${bound} characters` }];
      const rel = small ? (iss.inclusive ? 'at least' : 'greater than') : iss.inclusive ? 'at most' : 'less than';
      return [{ path, at: 'value', message: `expected a number ${rel} ${bound}, got ${describe(input)}` }];
    }
    default:
      // Regex and refine checks in schema.ts carry their own plain-English messages.
      return [{ path, at: 'value', message: iss.message }];
  }
}

const STEP_OUTPUT = { prepare: 'dataset', sql: 'dataset', module: 'dataset', check: 'dataset', split: 'dataset', train: 'model', search: 'model', evaluate: 'evaluation' } as const;

function checkReferences(config: ProjectConfig): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: Path, message: string, at: Problem['at'] = 'value') => problems.push({ path, message, at });
  const { sources, steps, gates, register } = config;
  const names = [...Object.keys(sources), ...Object.keys(steps)];
  const kindOf = (n: string) => (Object.hasOwn(steps, n) ? `${a(steps[n].kind)} step` : Object.hasOwn(sources, n) ? 'a source' : undefined);
  const stepOf = (n: string): StepConfig | undefined => (Object.hasOwn(steps, n) ? steps[n] : undefined);

  for (const n of Object.keys(steps)) {
    if (Object.hasOwn(sources, n)) problem(['steps', n], `name '${n}' is used by a source and a step; sources and steps need different names`, 'key');
  }

  /** What a ref produces ('dataset', 'model', ...), or undefined after reporting why it is not valid. */
  const resolve = (value: string, path: Path): string | undefined => {
    const { name, output } = parseRef(value);
    const kind = kindOf(name);
    if (!kind) return void problem(path, `unknown source or step '${name}'${didYouMean(name, names)}`);
    const step = stepOf(name);
    if (!step) return output ? void problem(path, `'${name}' is a source and has no outputs; use '${name}'`) : 'dataset';
    const outputs = step.kind === 'split' ? Object.keys(step.fractions) : step.kind === 'command' ? Object.keys(step.outputs) : [];
    if (step.kind !== 'split' && step.kind !== 'command') {
      return output ? void problem(path, `'${name}' is ${kind} and has no named outputs; use '${name}'`) : STEP_OUTPUT[step.kind];
    }
    if (output === undefined && outputs.length !== 1) {
      return void problem(path, outputs.length
        ? `'${name}' has ${outputs.length} outputs (${outputs.join(', ')}); name one, such as '${name}.${outputs[0]}'`
        : `'${name}' declares no outputs`);
    }
    const out = output ?? outputs[0];
    if (!outputs.includes(out)) return void problem(path, `'${name}' has no output '${out}' (it has ${outputs.join(', ')})${didYouMean(out, outputs)}`);
    return step.kind === 'command' ? step.outputs[out].type : 'dataset';
  };
  const expect = (value: string | undefined, path: Path, want: string) => {
    if (value === undefined) return;
    const got = resolve(value, path);
    if (got && got !== want) problem(path, `expected ${a(want)}, but '${value}' gives ${a(got)}`);
  };
  const expectStep = (value: string, path: Path, kind: StepConfig['kind']) => {
    const actual = kindOf(value);
    if (!actual) problem(path, `expected the name of ${a(kind)} step, got '${value}'${didYouMean(value, Object.keys(steps).filter((n) => steps[n].kind === kind))}`);
    else if (stepOf(value)?.kind !== kind) problem(path, `expected the name of ${a(kind)} step, but '${value}' is ${actual}`);
  };

  const deps = new Map<string, string[]>();
  for (const [n, step] of Object.entries(steps)) {
    const at = (...p: Path) => ['steps', n, ...p];
    const refs: string[] = [];
    const use = (value: string | undefined, path: Path, want?: string) => {
      if (value === undefined) return;
      refs.push(parseRef(value).name);
      if (want) expect(value, path, want);
      else resolve(value, path);
    };
    switch (step.kind) {
      case 'prepare':
      case 'split':
        use(step.input, at('input'), 'dataset');
        break;
      case 'check':
        use(step.input, at('input'), 'dataset');
        use(step.reference, at('reference'), 'dataset');
        break;
      case 'train':
      case 'search':
        use(step.train, at('train'), 'dataset');
        use(step.validation, at('validation'), 'dataset');
        break;
      case 'evaluate':
        use(step.model, at('model'), 'model');
        use(step.data, at('data'), 'dataset');
        break;
      case 'command':
        for (const [k, v] of Object.entries(step.inputs)) use(v, at('inputs', k));
        break;
      case 'sql':
      case 'module':
        for (const [k, v] of Object.entries(step.inputs)) use(v, at('inputs', k), 'dataset');
        break;
    }
    (step.needs ?? []).forEach((need, i) => {
      if (!kindOf(need)) problem(at('needs', i), `unknown step '${need}'${didYouMean(need, Object.keys(steps))}`);
      else if (!stepOf(need)) problem(at('needs', i), `'${need}' is a source; needs lists steps`);
      refs.push(need);
    });
    deps.set(n, refs.filter((r) => stepOf(r)));
  }

  // Reversed so the arrows follow the data: `a → b` means b uses a.
  const cycle = findCycle(deps)?.reverse();
  if (cycle) problem(['steps', cycle[0]], `steps form a cycle: ${cycle.join(' → ')}`, 'key');

  for (const [n, gate] of Object.entries(gates)) expectStep(gate.evaluation, ['gates', n, 'evaluation'], 'evaluate');

  if (register) {
    if (stepOf(register.from)?.kind !== 'search') expectStep(register.from, ['register', 'from'], 'train');
    expectStep(register.evaluation, ['register', 'evaluation'], 'evaluate');
    const evaluation = stepOf(register.evaluation);
    if (evaluation?.kind === 'evaluate' && ['train', 'search'].includes(stepOf(register.from)?.kind ?? '') && evaluation.model !== register.from) {
      problem(['register', 'evaluation'], `'${register.evaluation}' evaluates '${evaluation.model}', not the registered model '${register.from}'`);
    }
    register.gates.forEach((g, i) => {
      if (!Object.hasOwn(gates, g)) problem(['register', 'gates', i], `unknown gate '${g}'${didYouMean(g, Object.keys(gates))}`);
    });
  }
  problems.push(...triggerReferenceProblems(config));
  problems.push(...monitoringReferenceProblems(config));
  return problems;
}

/** The first cycle found in the graph, as a closed path: [a, b, a]. */
function findCycle(deps: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    const i = stack.indexOf(n);
    if (i >= 0) return [...stack.slice(i), n];
    if (done.has(n)) return undefined;
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    done.add(n);
    return undefined;
  };
  for (const n of deps.keys()) {
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

// ---- wording ----

function a(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expected(type: string, inList = false): string {
  const words: Record<string, string> = {
    string: 'a string', number: 'a number', int: 'a whole number', boolean: inList ? 'a boolean' : 'true or false',
    object: 'a mapping', record: 'a mapping', array: 'a list', null: 'null',
  };
  return words[type] ?? type;
}

function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function quote(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return typeof v === 'object' && v !== null ? describe(v) : String(v);
}

function choices(values: readonly unknown[]): string {
  return values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`;
}

/** A value as a user would name it: "string 'abc'", "number 3", "a list", "nothing". */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' ? `string ${quote(v)}` : String(v);
}

/** " (did you mean 'steps'?)" when a known word is a small edit away. */
function didYouMean(word: unknown, candidates: readonly unknown[]): string {
  if (typeof word !== 'string') return '';
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance && d <= Math.max(1, Math.floor(c.length / 3))) [best, bestDistance] = [c, d];
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** Edit distance counting a swap of two neighbouring letters as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
