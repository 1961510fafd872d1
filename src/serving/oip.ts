/**
 * The Open Inference Protocol v2 (KServe V2, Triton) over REST: health, server and model
 * metadata, and infer with one tensor per signature input ([N, 1] or [N], flat or nested data).
 * Tolerant on input (any numeric datatype for a numeric input, null for a missing value, a
 * nullable input may be left out), strict on output.
 */
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../errors.js';
import type { ModelSignature, SignatureInput, TensorType } from '../training/package/index.js';
import { describe, emptyColumn, Problems, setCell, suggestInput, type Batch, type Column } from './columns.js';
import { SERVING_VERSION, type RouteConfig, type ServingContext } from './context.js';
import type { ModelOutputs } from './session.js';

const DATATYPE: Record<TensorType, string> = { float32: 'FP32', float64: 'FP64', int64: 'INT64', string: 'BYTES' };
const INTEGER_TYPES = ['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64'];
const NUMBER_TYPES = [...INTEGER_TYPES, 'FP16', 'FP32', 'FP64', 'BF16'];

interface Params {
  name: string;
  version?: string;
}

interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

export function oipRoutes(app: FastifyInstance, ctx: ServingContext): void {
  const config: RouteConfig = { protocol: 'oip' };
  const { model } = ctx;
  const check = ({ name, version }: Params) => {
    if (name !== model.name) throw new SluiceError('NOT_FOUND', `Model with name ${name} does not exist.`, { hint: `This server serves '${model.name}'.` });
    if (version !== undefined && version !== String(model.version)) {
      throw new SluiceError('NOT_FOUND', `Model ${name} has no version ${version} here: this server serves version ${model.version}.`);
    }
  };

  app.get('/v2/health/live', { config }, async () => ({ live: true }));
  app.get('/v2/health/ready', { config }, async (_req, reply) => reply.code(ctx.isReady() ? 200 : 503).send({ ready: ctx.isReady() }));
  app.get('/v2', { config }, async () => ({ name: 'sluice', version: SERVING_VERSION, extensions: [] }));

  const metadata = {
    name: model.name,
    versions: [String(model.version)],
    platform: 'onnx_onnxv1',
    inputs: model.signature.inputs.map((i) => ({ name: i.name, datatype: DATATYPE[i.type], shape: i.shape.map((d) => d ?? -1) })),
    outputs: model.signature.outputs.map((o) => ({ name: o.name, datatype: DATATYPE[o.type], shape: o.shape.map((d) => d ?? -1) })),
  };
  for (const path of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    app.get<{ Params: Params }>(path, { config }, async (request) => {
      check(request.params);
      return metadata;
    });
    app.get<{ Params: Params }>(`${path}/ready`, { config }, async (request, reply) => {
      check(request.params);
      return reply.code(ctx.isReady() ? 200 : 503).send({ name: model.name, ready: ctx.isReady() });
    });
    app.post<{ Params: Params }>(`${path}/infer`, { config: { protocol: 'oip', endpoint: 'infer' } satisfies RouteConfig }, async (request) => {
      check(request.params);
      const body = request.body as { id?: unknown; inputs?: unknown; outputs?: unknown } | undefined;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new SluiceError('DATA_INVALID', `The infer request must be a JSON object with "inputs" (a list of tensors); got ${describe(body)}`);
      }
      const wanted = _requestedOutputs(model.signature, body.outputs);
      const out = await ctx.predict(request, tensorsToBatch(model.signature, body.inputs));
      return {
        model_name: model.name,
        model_version: String(model.version),
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        outputs: _outputTensors(model.signature, out, wanted),
      };
    });
  }
}

export function tensorsToBatch(signature: ModelSignature, inputs: unknown): Batch {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new SluiceError('DATA_INVALID', `"inputs" must be a non-empty list of tensors ({"name", "shape", "datatype", "data"}); got ${describe(inputs)}`);
  }
  const byName = new Map<string, Tensor>();
  let rows = -1;
  for (const [k, t] of inputs.entries()) {
    const tensor = _tensor(t, k);
    const input = signature.inputs.find((i) => i.name === tensor.name);
    if (!input) throw new SluiceError('DATA_INVALID', `Input '${tensor.name}' is not an input of the model${suggestInput(signature, tensor.name)}`);
    if (byName.has(tensor.name)) throw new SluiceError('DATA_INVALID', `Input '${tensor.name}' is given twice`);
    _checkDatatype(input, tensor);
    const [n, width = 1] = tensor.shape;
    if (tensor.shape.length > 2 || width !== 1) {
      throw new SluiceError('DATA_INVALID', `Input '${tensor.name}' has shape [${tensor.shape.join(', ')}]; the model takes [N, 1] or [N] (one value per row)`);
    }
    if (rows >= 0 && n !== rows) throw new SluiceError('DATA_INVALID', `Input '${tensor.name}' has ${n} rows; the inputs before it have ${rows}`);
    rows = n;
    // Nested as deep as the shape at most; anything deeper stays an array and fails the value check.
    const data = tensor.data.some(Array.isArray) ? tensor.data.flat(tensor.shape.length - 1) : tensor.data;
    if (data.length !== n) throw new SluiceError('DATA_INVALID', `Input '${tensor.name}' has shape [${tensor.shape.join(', ')}] but ${data.length} values`);
    tensor.data = data;
    byName.set(tensor.name, tensor);
  }
  if (rows === 0) throw new SluiceError('DATA_INVALID', 'The inputs hold no rows: send at least one');
  const problems = new Problems();
  const columns: Column[] = signature.inputs.map((input) => {
    const column = emptyColumn(input, rows);
    const data = byName.get(input.name)?.data;
    if (!data && !input.nullable) problems.add(`Input '${input.name}' is missing (the model needs it: ${DATATYPE[input.type]}, shape [N, 1])`);
    for (let r = 0; r < rows; r++) {
      const problem = setCell(input, column, r, data?.[r]);
      if (problem && data) problems.add(`Input '${input.name}' at row ${r} ${problem}`);
    }
    return column;
  });
  problems.throwIfAny(signature);
  return { rows, columns };
}

function _tensor(t: unknown, k: number): Tensor {
  const o = t as Partial<Tensor> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new SluiceError('DATA_INVALID', `inputs[${k}] must be a tensor object; got ${describe(o)}`);
  if (typeof o.name !== 'string') throw new SluiceError('DATA_INVALID', `inputs[${k}].name must be a string; got ${describe(o.name)}`);
  if (typeof o.datatype !== 'string') throw new SluiceError('DATA_INVALID', `Input '${o.name}': "datatype" must be a string such as FP32 or BYTES; got ${describe(o.datatype)}`);
  if (!Array.isArray(o.shape) || o.shape.length === 0 || !o.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SluiceError('DATA_INVALID', `Input '${o.name}': "shape" must be a list of non-negative integers such as [N, 1]`);
  }
  if (!Array.isArray(o.data)) throw new SluiceError('DATA_INVALID', `Input '${o.name}': "data" must be a list of values; got ${describe(o.data)}`);
  return o as Tensor;
}

function _checkDatatype(input: SignatureInput, t: Tensor): void {
  const ok = input.type === 'string' ? t.datatype === 'BYTES' : (input.type === 'int64' ? INTEGER_TYPES : NUMBER_TYPES).includes(t.datatype);
  if (!ok) {
    const expected = input.type === 'string' ? 'BYTES (strings)' : input.type === 'int64' ? 'an integer datatype such as INT64' : `a numeric datatype such as ${DATATYPE[input.type]}`;
    throw new SluiceError('DATA_INVALID', `Input '${input.name}' has datatype '${t.datatype}'; the model takes ${expected}`);
  }
}

function _requestedOutputs(signature: ModelSignature, outputs: unknown): Set<string> {
  const all = signature.outputs.map((o) => o.name);
  if (outputs === undefined) return new Set(all);
  if (!Array.isArray(outputs)) throw new SluiceError('DATA_INVALID', `"outputs" must be a list of {"name": ...}; got ${describe(outputs)}`);
  return new Set(
    outputs.map((o, k) => {
      const name = (o as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || !all.includes(name)) {
        throw new SluiceError('DATA_INVALID', `outputs[${k}] names no output of the model; its outputs are ${all.map((n) => `'${n}'`).join(', ')}`);
      }
      return name;
    }),
  );
}

function _outputTensors(signature: ModelSignature, out: ModelOutputs, wanted: Set<string>) {
  return signature.outputs
    .filter((o) => wanted.has(o.name))
    .map((o) => {
      const datatype = DATATYPE[o.type];
      if (o.role === 'label') {
        const labels = out.labels ?? [];
        return { name: o.name, datatype, shape: [out.rows], data: o.type === 'string' ? labels : labels.map(Number) };
      }
      const data = (o.role === 'probabilities' ? out.probabilities : out.values) ?? new Float32Array(0);
      const shape = o.role === 'probabilities' ? [out.rows, data.length / Math.max(out.rows, 1)] : [out.rows];
      return { name: o.name, datatype, shape, data: Array.from(data) };
    });
}
