/**
 * Writing ONNX models: a few plain types for graphs, nodes, attributes and tensors, and
 * `encodeModel`, which turns them into ModelProto bytes with protobufjs and the schema subset
 * in _schema.ts.
 */
import protobuf from 'protobufjs/light.js';
import type { Type } from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './_schema.js';

/** TensorProto.DataType values Sluice uses. */
export const DataType = { FLOAT: 1, INT64: 7, STRING: 8, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** ir_version 8 goes with ai.onnx opset 17 (ONNX 1.12), which every onnxruntime since 1.12 reads. */
export const IR_VERSION = 8;
export const OPSET_ONNX = 17;
export const OPSET_ML = 3;

export interface Tensor {
  name?: string;
  dataType: DataTypeCode;
  dims: number[];
  /** float and double tensors go to raw_data (little-endian), int64 to int64_data, strings to string_data. */
  values: Float32Array | Float64Array | number[] | string[];
}

export type Attribute =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: ArrayLike<number> }
  | { kind: 'ints'; value: ArrayLike<number> }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: Tensor };

/** Attribute constructors: `attr.ints([0, 1])`, `attr.tensor(doubles([...]))`. */
export const attr = {
  float: (value: number): Attribute => ({ kind: 'float', value }),
  int: (value: number): Attribute => ({ kind: 'int', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
  floats: (value: ArrayLike<number>): Attribute => ({ kind: 'floats', value }),
  ints: (value: ArrayLike<number>): Attribute => ({ kind: 'ints', value }),
  strings: (value: string[]): Attribute => ({ kind: 'strings', value }),
  tensor: (value: Tensor): Attribute => ({ kind: 'tensor', value }),
};

/** A 1-D double tensor: how *_as_tensor attributes carry float64 thresholds and weights. */
export function doubles(values: ArrayLike<number>): Tensor {
  return { dataType: DataType.DOUBLE, dims: [values.length], values: Float64Array.from(values) };
}

export interface Node {
  op: string;
  /** '' (ai.onnx) or 'ai.onnx.ml'. */
  domain?: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, Attribute>;
}

/** A graph input or output: a tensor of one element type; null dimensions are symbolic ('N'). */
export interface ValueInfo {
  name: string;
  dataType: DataTypeCode;
  shape: (number | null)[];
  doc?: string;
}

export interface Graph {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: Node[];
  initializers?: Tensor[];
  doc?: string;
}

export interface ModelOptions {
  producerVersion?: string;
  doc?: string;
  /** Stored as ModelProto.metadata_props: visible to any ONNX tool. */
  metadata?: Record<string, string>;
}

let modelType: Type | undefined;

function _modelType(): Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

export function encodeModel(graph: Graph, options: ModelOptions = {}): Uint8Array {
  const message = {
    ir_version: IR_VERSION,
    producer_name: 'sluice',
    producer_version: options.producerVersion ?? '0.1.0',
    doc_string: options.doc,
    opset_import: [
      { domain: '', version: OPSET_ONNX },
      { domain: 'ai.onnx.ml', version: OPSET_ML },
    ],
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      doc_string: graph.doc,
      node: graph.nodes.map(_node),
      initializer: (graph.initializers ?? []).map(_tensor),
      input: graph.inputs.map(_valueInfo),
      output: graph.outputs.map(_valueInfo),
    },
  };
  const bytes = _modelType().encode(message).finish();
  // protobufjs hands out a Buffer on Node; callers get a plain Uint8Array view of the same bytes.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const utf8 = new TextEncoder();

function _node(n: Node, index: number) {
  return {
    op_type: n.op,
    domain: n.domain ?? '',
    name: n.name ?? `${n.op}_${index}`,
    input: n.inputs,
    output: n.outputs,
    attribute: Object.entries(n.attributes ?? {}).map(([name, a]) => _attribute(name, a)),
  };
}

function _attribute(name: string, a: Attribute) {
  switch (a.kind) {
    case 'float':
      return { name, type: AttrType.FLOAT, f: a.value };
    case 'int':
      return { name, type: AttrType.INT, i: a.value };
    case 'string':
      return { name, type: AttrType.STRING, s: utf8.encode(a.value) };
    case 'floats':
      return { name, type: AttrType.FLOATS, floats: Array.from(a.value) };
    case 'ints':
      return { name, type: AttrType.INTS, ints: Array.from(a.value) };
    case 'strings':
      return { name, type: AttrType.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case 'tensor':
      return { name, type: AttrType.TENSOR, t: _tensor(a.value) };
  }
}

function _tensor(t: Tensor) {
  const base = { name: t.name, data_type: t.dataType, dims: t.dims };
  if (t.dataType === DataType.STRING) return { ...base, string_data: (t.values as string[]).map((s) => utf8.encode(s)) };
  if (t.dataType === DataType.INT64) return { ...base, int64_data: Array.from(t.values as number[]) };
  const typed = t.dataType === DataType.DOUBLE ? Float64Array.from(t.values as number[]) : Float32Array.from(t.values as number[]);
  // raw_data must be little-endian; typed arrays use the platform's order, little-endian on every
  // platform Node supports in practice, but say so rather than assume it silently.
  if (!_littleEndian) throw new Error('Writing ONNX tensors needs a little-endian platform');
  return { ...base, raw_data: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) };
}

const _littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function _valueInfo(v: ValueInfo) {
  return {
    name: v.name,
    doc_string: v.doc,
    type: {
      tensor_type: {
        elem_type: v.dataType,
        shape: { dim: v.shape.map((d) => (d === null ? { dim_param: 'N' } : { dim_value: d })) },
      },
    },
  };
}

export interface GraphInterface {
  inputs: { name: string; dataType: number }[];
  outputs: { name: string; dataType: number }[];
}

/** The graph's input and output names and element types, decoded from model bytes (no onnxruntime needed). */
export function readGraphInterface(bytes: Uint8Array): GraphInterface {
  type Decoded = { graph?: { input?: DecodedValue[]; output?: DecodedValue[] } };
  type DecodedValue = { name?: string; type?: { tensor_type?: { elem_type?: number } } };
  const model = _modelType().decode(bytes) as unknown as Decoded;
  const side = (values: DecodedValue[] = []) => values.map((v) => ({ name: v.name ?? '', dataType: v.type?.tensor_type?.elem_type ?? 0 }));
  return { inputs: side(model.graph?.input), outputs: side(model.graph?.output) };
}
