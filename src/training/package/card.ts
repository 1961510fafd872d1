/**
 * The model card: a Markdown page a person reads before using the model. Sections follow
 * "Model Cards for Model Reporting" (Mitchell et al., 2019), cut to what Sluice knows: intended
 * use, training and evaluation data, metrics, fairness, limitations, how it was trained, and
 * how to run model.onnx with onnxruntime.
 */
import type { ModelSignature } from './signature.js';

export interface DatasetDescription {
  /** What the data is, where it comes from, how it was filtered. */
  description: string;
  /** Sluice dataset version id: the exact data, reproducible. */
  versionId?: string;
  rows?: number;
}

export interface MetricRow {
  metric: string;
  value: number;
  /** Which data it was measured on (default: the evaluation data). */
  dataset?: string;
  /** A slice such as `sex=Female`; absent for the whole dataset. */
  slice?: string;
}

export interface FairnessRow {
  /** The sensitive attribute, e.g. `sex`. */
  attribute: string;
  metric: string;
  value: number;
  /** The gate's threshold, as text (`>= 0.8`). */
  threshold?: string;
  result?: 'pass' | 'warn' | 'fail';
}

export interface ModelCardInput {
  name: string;
  version?: string;
  intendedUse: string;
  data: { training: DatasetDescription; evaluation: DatasetDescription };
  /** `{ roc_auc: 0.92 }` or rows with datasets and slices. */
  metrics: Record<string, number> | MetricRow[];
  /** Rows per attribute and metric, or a paragraph; absent: "not assessed", said plainly. */
  fairness?: FairnessRow[] | string;
  limitations: string | string[];
  trainer: string;
  params: Record<string, unknown>;
  /** When given, the usage section names the real inputs and outputs. */
  signature?: ModelSignature;
}

export function modelCard(card: ModelCardInput): string {
  const out: string[] = [];
  out.push(`# Model card: ${card.name}${card.version ? ` (version ${card.version})` : ''}`, '');
  out.push('## Intended use', '', card.intendedUse.trim(), '');
  out.push('## Training data', '', ..._dataset(card.data.training), '');
  out.push('## Evaluation data', '', ..._dataset(card.data.evaluation), '');

  out.push('## Metrics', '');
  const rows: MetricRow[] = Array.isArray(card.metrics)
    ? card.metrics
    : Object.entries(card.metrics).map(([metric, value]) => ({ metric, value }));
  if (rows.length === 0) out.push('No metrics were recorded.');
  else {
    const detailed = rows.some((r) => r.dataset !== undefined || r.slice !== undefined);
    out.push(
      ..._table(
        detailed ? ['Metric', 'Value', 'Data', 'Slice'] : ['Metric', 'Value'],
        rows.map((r) => (detailed ? [r.metric, _num(r.value), r.dataset ?? 'evaluation', r.slice ?? 'all'] : [r.metric, _num(r.value)])),
      ),
    );
  }
  out.push('');

  out.push('## Fairness', '');
  if (card.fairness === undefined || (Array.isArray(card.fairness) && card.fairness.length === 0)) {
    out.push('Fairness was not assessed for this model. Assess it before any use that affects people.');
  } else if (typeof card.fairness === 'string') {
    out.push(card.fairness.trim());
  } else {
    out.push(
      ..._table(
        ['Attribute', 'Metric', 'Value', 'Threshold', 'Result'],
        card.fairness.map((f) => [f.attribute, f.metric, _num(f.value), f.threshold ?? '', f.result ?? '']),
      ),
    );
  }
  out.push('');

  out.push('## Limitations', '');
  const limitations = typeof card.limitations === 'string' ? [card.limitations] : card.limitations;
  out.push(...(limitations.length > 0 ? limitations.map((l) => `- ${l.trim()}`) : ['None recorded.']), '');

  out.push('## Training', '', `Trainer: \`${card.trainer}\``, '');
  const params = Object.entries(card.params);
  if (params.length > 0) out.push(..._table(['Parameter', 'Value'], params.map(([k, v]) => [k, JSON.stringify(v) ?? 'undefined'])), '');

  out.push(..._usage(card.signature));
  return `${out.join('\n').trimEnd()}\n`;
}

function _dataset(d: DatasetDescription): string[] {
  const lines = [d.description.trim()];
  const facts = [
    d.versionId ? `- Dataset version: \`${d.versionId}\`` : '',
    d.rows !== undefined ? `- Rows: ${d.rows.toLocaleString('en-US')}` : '',
  ].filter(Boolean);
  return facts.length > 0 ? [...lines, '', ...facts] : lines;
}

function _usage(signature?: ModelSignature): string[] {
  const inputs = signature?.inputs ?? [];
  const out = [
    '## How to use it',
    '',
    'The package holds `model.onnx` (the model, ONNX), `signature.json` (its inputs and outputs),',
    '`metadata.json` (run, data, metrics) and this card. Any ONNX runtime can run it; with onnxruntime:',
    '',
  ];
  if (signature) {
    out.push(
      ..._table(
        ['Input', 'Type', 'Shape', 'Missing value'],
        inputs.map((i) => [i.name, i.type, _shape(i.shape), i.nullable ? (i.missing === '' ? "'' (empty string)" : (i.missing ?? 'null')) : 'not allowed']),
      ),
      '',
      ..._table(['Output', 'Type', 'Shape', 'Meaning'], signature.outputs.map((o) => [o.name, o.type, _shape(o.shape), _role(o.role, signature)])),
      '',
    );
  }
  const example = (i: ModelSignature['inputs'][number], js: boolean): string => {
    const v = i.type === 'string' ? JSON.stringify(i.categories?.[0] ?? 'value') : '0';
    if (js) {
      const data = i.type === 'string' ? `[${v}]` : `${_typed(i.type)}.from([${i.type === 'int64' ? '0n' : v}])`;
      return `  ${JSON.stringify(i.name)}: new ort.Tensor('${i.type}', ${data}, [1, 1]),`;
    }
    return `    ${JSON.stringify(i.name)}: np.array([[${v}]], dtype=${i.type === 'string' ? 'object' : `np.${i.type}`}),`;
  };
  const shown = inputs.slice(0, 3);
  const rest = inputs.length > shown.length ? [`  // ... and ${inputs.length - shown.length} more inputs, one tensor each`] : [];
  out.push(
    'Node.js (`onnxruntime-node`):',
    '',
    '```js',
    "import * as ort from 'onnxruntime-node';",
    "const session = await ort.InferenceSession.create('model.onnx');",
    'const outputs = await session.run({',
    ...(shown.length > 0 ? shown.map((i) => example(i, true)) : ['  // one tensor per input in signature.json']),
    ...rest,
    '});',
    '```',
    '',
    'Python (`onnxruntime`):',
    '',
    '```python',
    'import numpy as np',
    'import onnxruntime as ort',
    '',
    'session = ort.InferenceSession("model.onnx")',
    'outputs = session.run(None, {',
    ...(shown.length > 0 ? shown.map((i) => example(i, false)) : ['    # one array per input in signature.json']),
    ...rest.map((r) => r.replace('  //', '    #')),
    '})',
    '```',
    '',
    'In Sluice, `readModelPackage(dir)` loads the package and `predictRecords(session, signature, records)` checks',
    'records against the signature and runs them.',
  );
  return out;
}

function _role(role: string, s: ModelSignature): string {
  if (role === 'label') return 'predicted class';
  if (role === 'probabilities') return `probability per class: ${(s.classes ?? []).map((c) => `\`${c}\``).join(', ')}`;
  return 'predicted value';
}

function _typed(type: string): string {
  return type === 'float32' ? 'Float32Array' : type === 'float64' ? 'Float64Array' : 'BigInt64Array';
}

function _shape(shape: (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'N' : String(d))).join(', ')}]`;
}

function _num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** A Markdown table; pipes and line breaks inside cells are escaped so a value cannot break it. */
function _table(header: string[], rows: string[][]): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}
