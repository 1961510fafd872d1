/**
 * Turns sluice.yaml into the pipeline DAG. Each source becomes two nodes, `acquire/<source>`
 * and `validate/<source>`; each declared step one node; each gate `gate/<name>`; registration
 * `register`. Edges come from the references between them ("clean", "split.train").
 */
import { resolve } from 'node:path';
import type { ProjectConfig, Resources, SourceConfig, StepConfig } from '../config/index.js';
import { SluiceError } from '../errors.js';
import { loadExpectations } from './expectations-file.js';
import type { OutputKind } from './task.js';

export type NodeKind = 'acquire' | 'validate' | 'prepare' | 'sql' | 'module' | 'check' | 'split' | 'train' | 'search' | 'evaluate' | 'command' | 'gate' | 'register';

export interface InputRef {
  node: string;
  output: string;
}

export interface PlanNode {
  id: string;
  kind: NodeKind;
  /** Runs in the engine's process (it only reads and writes records), not as a step process. */
  inline: boolean;
  deps: string[];
  inputs: Record<string, InputRef>;
  outputs: Record<string, OutputKind>;
  resources: Resources;
  /** What the cache key hashes: the node's settings as written in sluice.yaml. */
  config: unknown;
  source?: { name: string; config: SourceConfig; absPath?: string };
  step?: StepConfig;
}

export interface Plan {
  nodes: Map<string, PlanNode>;
  /** Node ids in a valid execution order. */
  order: string[];
}

export function buildPlan(config: ProjectConfig, projectDir: string): Plan {
  const nodes = new Map<string, PlanNode>();
  const base: Resources = config.defaults.resources;
  const resourcesOf = (partial?: Partial<Resources>): Resources => ({ ...base, ...(partial ?? {}) });

  for (const [name, source] of Object.entries(config.sources)) {
    const absPath = source.path !== undefined ? resolve(projectDir, source.path) : undefined;
    const sourceRef = { name, config: source, absPath };
    nodes.set(`acquire/${name}`, {
      id: `acquire/${name}`,
      kind: 'acquire',
      inline: false,
      deps: [],
      inputs: {},
      outputs: { data: 'dataset' },
      resources: resourcesOf(),
      config: {
        kind: source.kind,
        path: source.path ?? null,
        url: source.url ?? null,
        query: source.query ?? null,
        format: source.format,
        header: source.header,
        delimiter: source.delimiter ?? null,
        columns: source.columns ? Object.keys(source.columns) : null,
        filter: source.filter ?? null,
      },
      source: sourceRef,
    });
    nodes.set(`validate/${name}`, {
      id: `validate/${name}`,
      kind: 'validate',
      inline: false,
      deps: [`acquire/${name}`],
      inputs: { data: { node: `acquire/${name}`, output: 'data' } },
      outputs: { data: 'dataset' },
      resources: resourcesOf(),
      config: {
        columns: source.columns ?? null,
        nulls: source.nulls,
        header: source.header,
        expectations: loadExpectations(projectDir, source.expectations, `sources.${name}.expectations`),
      },
      source: sourceRef,
    });
  }

  const resolveRef = (ref: string, where: string): InputRef => {
    const [name, output] = ref.split('.');
    if (config.sources[name]) return { node: `validate/${name}`, output: 'data' };
    const step = config.steps[name];
    if (!step) throw new SluiceError('CONFIG_INVALID', `${where}: '${ref}' is neither a source nor a step`, { where });
    switch (step.kind) {
      case 'split':
        if (!output) throw new SluiceError('CONFIG_INVALID', `${where}: say which part of split '${name}' to use, e.g. '${name}.${Object.keys(step.fractions)[0]}'`, { where });
        return { node: name, output };
      case 'train':
      case 'search':
        return { node: name, output: 'model' };
      case 'evaluate':
        return { node: name, output: 'report' };
      case 'command': {
        const names = Object.keys(step.outputs);
        if (output) return { node: name, output };
        if (names.length === 1) return { node: name, output: names[0] };
        throw new SluiceError('CONFIG_INVALID', `${where}: command step '${name}' has ${names.length} outputs; name one, e.g. '${name}.${names[0] ?? 'out'}'`, { where });
      }
      default:
        return { node: name, output: 'data' };
    }
  };

  for (const [name, step] of Object.entries(config.steps)) {
    const where = `steps.${name}`;
    let inputs: Record<string, InputRef> = {};
    let outputs: Record<string, OutputKind> = {};
    switch (step.kind) {
      case 'prepare':
        inputs = { data: resolveRef(step.input, `${where}.input`) };
        outputs = { data: 'dataset' };
        break;
      case 'split':
        inputs = { data: resolveRef(step.input, `${where}.input`) };
        outputs = Object.fromEntries(Object.keys(step.fractions).map((k) => [k, 'dataset' as const]));
        break;
      case 'train':
      case 'search':
        inputs = { train: resolveRef(step.train, `${where}.train`) };
        if (step.validation) inputs.validation = resolveRef(step.validation, `${where}.validation`);
        outputs = { model: 'model' };
        break;
      case 'evaluate':
        inputs = { model: resolveRef(step.model, `${where}.model`), data: resolveRef(step.data, `${where}.data`) };
        outputs = { report: 'report' };
        break;
      case 'command':
        inputs = Object.fromEntries(Object.entries(step.inputs).map(([k, ref]) => [k, resolveRef(ref, `${where}.inputs.${k}`)]));
        outputs = Object.fromEntries(Object.entries(step.outputs).map(([k, o]) => [k, o.type]));
        break;
      case 'sql':
      case 'module':
        inputs = Object.fromEntries(Object.entries(step.inputs).map(([k, ref]) => [k, resolveRef(ref, `${where}.inputs.${k}`)]));
        outputs = { data: 'dataset' };
        break;
      case 'check':
        inputs = { data: resolveRef(step.input, `${where}.input`) };
        if (step.reference) inputs.reference = resolveRef(step.reference, `${where}.reference`);
        outputs = { data: 'dataset' };
        break;
    }
    const { resources, needs, description: _d, ...rest } = step as StepConfig & { needs?: string[]; description?: string; resources?: Partial<Resources> };
    const deps = [...new Set([...Object.values(inputs).map((i) => i.node), ...(needs ?? [])])];
    // Expectations named by file go into the cache key by content, not by name.
    const config = step.kind === 'check' ? { ...rest, expectations: loadExpectations(projectDir, step.expectations, `${where}.expectations`) } : rest;
    nodes.set(name, { id: name, kind: step.kind, inline: false, deps, inputs, outputs, resources: resourcesOf(resources), config, step });
  }

  for (const [name, gate] of Object.entries(config.gates ?? {})) {
    nodes.set(`gate/${name}`, {
      id: `gate/${name}`,
      kind: 'gate',
      inline: true,
      deps: [gate.evaluation],
      inputs: { report: { node: gate.evaluation, output: 'report' } },
      outputs: {},
      resources: resourcesOf(),
      config: gate,
    });
  }

  if (config.register) {
    const r = config.register;
    nodes.set('register', {
      id: 'register',
      kind: 'register',
      inline: true,
      deps: [r.from, r.evaluation, ...r.gates.map((g) => `gate/${g}`)],
      inputs: { model: { node: r.from, output: 'model' } },
      outputs: {},
      resources: resourcesOf(),
      config: r,
    });
  }

  for (const node of nodes.values()) {
    if (node.resources.cpus <= 0) throw new SluiceError('CONFIG_INVALID', `Step '${node.id}' requests ${node.resources.cpus} CPUs`, { where: `steps.${node.id}.resources.cpus` });
  }
  return { nodes, order: topoOrder(nodes) };
}

function topoOrder(nodes: Map<string, PlanNode>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') throw new SluiceError('CONFIG_INVALID', `Steps form a cycle: ${[...path, id].join(' → ')}`);
    const node = nodes.get(id);
    if (!node) throw new SluiceError('CONFIG_INVALID', `Step '${path.at(-1)}' depends on '${id}', which does not exist`);
    state.set(id, 'visiting');
    for (const d of node.deps) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of nodes.keys()) visit(id, []);
  return order;
}
