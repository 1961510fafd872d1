/**
 * The front of a tree-ensemble graph, shared by the GBDT and the random forest: one input per
 * feature (float64 numbers, strings), categories mapped to the training codes by a LabelEncoder
 * (unseen → 'other', missing → NaN), all concatenated into one float64 matrix; and the outputs.
 */
import type { FeatureInfo } from '../gbdt/types.js';
import type { ModelSignature, SignatureInput } from '../package/signature.js';
import { checkExportable, INTERNAL, MISSING_STRING } from './_common.js';
import { attr, DataType, type Node, type ValueInfo } from './proto.js';

const ML = 'ai.onnx.ml';

export function treeEnsembleFront(
  what: string,
  model: { task: 'binary' | 'multiclass' | 'regression'; classes: string[]; features: FeatureInfo[] },
): { inputs: ValueInfo[]; outputs: ValueInfo[]; nodes: Node[]; features: string } {
  const outputs: ValueInfo[] =
    model.task === 'regression'
      ? [{ name: 'value', dataType: DataType.FLOAT, shape: [null, 1] }]
      : [
          { name: 'label', dataType: DataType.STRING, shape: [null] },
          { name: 'probabilities', dataType: DataType.FLOAT, shape: [null, model.classes.length] },
        ];
  checkExportable(what, model.features, outputs.map((o) => o.name));
  const inputs: ValueInfo[] = [];
  const nodes: Node[] = [];
  const columns: string[] = [];
  for (const f of model.features) {
    if (f.kind === 'numeric') {
      inputs.push({ name: f.name, dataType: DataType.DOUBLE, shape: [null, 1] });
      columns.push(f.name);
      continue;
    }
    inputs.push({ name: f.name, dataType: DataType.STRING, shape: [null, 1] });
    const code = `${INTERNAL}code:${f.name}`;
    const codeDouble = `${INTERNAL}code64:${f.name}`;
    // Codes are small integers and NaN: exact in float32, so LabelEncoder's float output loses nothing.
    nodes.push(
      {
        op: 'LabelEncoder',
        domain: ML,
        inputs: [f.name],
        outputs: [code],
        attributes: {
          keys_strings: attr.strings([...f.categories, MISSING_STRING]),
          values_floats: attr.floats([...f.categories.map((_, i) => i), NaN]),
          default_float: attr.float(f.categories.length), // 'other'
        },
      },
      { op: 'Cast', inputs: [code], outputs: [codeDouble], attributes: { to: attr.int(DataType.DOUBLE) } },
    );
    columns.push(codeDouble);
  }
  const features = `${INTERNAL}features`;
  nodes.push({ op: 'Concat', inputs: columns, outputs: [features], attributes: { axis: attr.int(1) } });
  return { inputs, outputs, nodes, features };
}

/** The signature of a tree-ensemble graph built on treeEnsembleFront. */
export function treeEnsembleSignature(model: { task: 'binary' | 'multiclass' | 'regression'; classes: string[]; features: FeatureInfo[] }): ModelSignature {
  const inputs = model.features.map((f): SignatureInput =>
    f.kind === 'numeric'
      ? { name: f.name, type: 'float64', shape: [null, 1], nullable: true, missing: 'NaN' }
      : { name: f.name, type: 'string', shape: [null, 1], nullable: true, missing: MISSING_STRING, categories: f.categories.slice() },
  );
  if (model.task === 'regression') {
    return { format: 'sluice-signature', version: 1, task: 'regression', inputs, outputs: [{ name: 'value', type: 'float32', shape: [null, 1], role: 'value' }] };
  }
  return {
    format: 'sluice-signature',
    version: 1,
    task: model.task,
    classes: model.classes.slice(),
    ...(model.task === 'binary' ? { positiveClass: model.classes[1] } : {}),
    inputs,
    outputs: [
      { name: 'label', type: 'string', shape: [null], role: 'label' },
      { name: 'probabilities', type: 'float32', shape: [null, model.classes.length], role: 'probabilities', description: 'Columns in the order of classes' },
    ],
  };
}
