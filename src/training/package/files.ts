/**
 * A model package on disk: a folder with
 *
 *   model.onnx      the model (any ONNX trainer can produce it)
 *   signature.json  inputs and outputs (./signature.ts)
 *   metadata.json   trainer, params, metrics, dataset versions, run: whatever the caller records
 *   MODEL_CARD.md   for people (./card.ts)
 *
 * Both sides check the files: writing refuses a signature that does not match the graph, reading
 * validates every file before anything uses it. The onnxruntime session is created lazily.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { z } from 'zod';
import { SluiceError } from '../../errors.js';
import { DataType, readGraphInterface } from '../onnx/proto.js';
import { modelCard, type ModelCardInput } from './card.js';
import { loadOnnxSession, MODEL_FILE } from './predict.js';
import { SignatureSchema, type ModelSignature } from './signature.js';

export const SIGNATURE_FILE = 'signature.json';
export const METADATA_FILE = 'metadata.json';
export const CARD_FILE = 'MODEL_CARD.md';

export const MetadataSchema = z
  .object({
    /** 'sluice.gbdt', 'sluice.logistic_regression', 'sklearn.HistGradientBoostingClassifier', ... */
    trainer: z.string().min(1),
    params: z.record(z.string(), z.unknown()).optional(),
    metrics: z.record(z.string(), z.number()).optional(),
    /** Role → dataset version id, e.g. { train: 'ds_…', test: 'ds_…' }. */
    datasetVersions: z.record(z.string(), z.string()).optional(),
    runId: z.string().optional(),
    createdAt: z.string().optional(),
  })
  .passthrough(); // anything else the caller records is kept as is

export type ModelMetadata = z.infer<typeof MetadataSchema>;

export interface ModelPackageInput {
  onnx: Uint8Array;
  signature: ModelSignature;
  metadata: ModelMetadata;
  /** Markdown, or the card's content (rendered with modelCard, with the signature filled in). */
  card: string | ModelCardInput;
}

export interface ModelPackage {
  dir: string;
  signature: ModelSignature;
  metadata: ModelMetadata;
  card: string;
  /** The onnxruntime session, created on first call and reused. */
  session(): Promise<InferenceSession>;
}

export async function writeModelPackage(dir: string, pkg: ModelPackageInput): Promise<void> {
  if (!(pkg.onnx instanceof Uint8Array) || pkg.onnx.length === 0) {
    throw new SluiceError('USAGE', 'writeModelPackage needs the ONNX model as non-empty bytes');
  }
  const signature = _parse(SignatureSchema, pkg.signature, 'signature', 'USAGE');
  const metadata = _parse(MetadataSchema, pkg.metadata, 'metadata', 'USAGE');
  _checkAgainstGraph(pkg.onnx, signature, 'USAGE', 'the signature');
  const card = typeof pkg.card === 'string' ? pkg.card : modelCard({ signature, ...pkg.card });
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, MODEL_FILE), pkg.onnx),
    writeFile(join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`),
    writeFile(join(dir, METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`),
    writeFile(join(dir, CARD_FILE), card),
  ]);
}

export async function readModelPackage(dir: string): Promise<ModelPackage> {
  const [onnx, signatureText, metadataText, card] = await Promise.all([
    _read(dir, MODEL_FILE),
    _read(dir, SIGNATURE_FILE, 'utf8'),
    _read(dir, METADATA_FILE, 'utf8'),
    _read(dir, CARD_FILE, 'utf8'),
  ]);
  const signature = _parse(SignatureSchema, _json(signatureText, join(dir, SIGNATURE_FILE)), join(dir, SIGNATURE_FILE), 'ARTIFACT_CORRUPT');
  const metadata = _parse(MetadataSchema, _json(metadataText, join(dir, METADATA_FILE)), join(dir, METADATA_FILE), 'ARTIFACT_CORRUPT');
  _checkAgainstGraph(onnx, signature, 'ARTIFACT_CORRUPT', join(dir, SIGNATURE_FILE));
  let session: Promise<InferenceSession> | undefined;
  return {
    dir,
    signature,
    metadata,
    card,
    session: () => (session ??= loadOnnxSession(dir, signature)),
  };
}

const ELEMENT_TYPE: Record<string, number> = { float32: DataType.FLOAT, float64: DataType.DOUBLE, int64: DataType.INT64, string: DataType.STRING };

/** The signature's inputs and outputs must be the graph's, with the same element types. */
function _checkAgainstGraph(onnx: Uint8Array, signature: ModelSignature, code: 'USAGE' | 'ARTIFACT_CORRUPT', where: string): void {
  let graph;
  try {
    graph = readGraphInterface(onnx);
  } catch (e) {
    throw new SluiceError(code, `The ONNX model cannot be decoded: ${(e as Error).message}`, { cause: e });
  }
  const problems: string[] = [];
  for (const [side, declared, actual] of [
    ['input', signature.inputs, graph.inputs],
    ['output', signature.outputs, graph.outputs],
  ] as const) {
    for (const d of declared) {
      const a = actual.find((v) => v.name === d.name);
      if (!a) problems.push(`${side} '${d.name}' is not in the graph (graph ${side}s: ${actual.map((v) => `'${v.name}'`).join(', ')})`);
      else if (a.dataType !== ELEMENT_TYPE[d.type]) problems.push(`${side} '${d.name}' is ${d.type} in the signature but not in the graph`);
    }
  }
  const declaredInputs = new Set(signature.inputs.map((i) => i.name));
  for (const a of graph.inputs) if (!declaredInputs.has(a.name)) problems.push(`graph input '${a.name}' is not in the signature`);
  if (problems.length > 0) {
    throw new SluiceError(code, `The signature does not match model.onnx: ${problems.join('; ')}`, { where, details: { problems } });
  }
}

async function _read(dir: string, file: string): Promise<Uint8Array>;
async function _read(dir: string, file: string, encoding: 'utf8'): Promise<string>;
async function _read(dir: string, file: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  const path = join(dir, file);
  try {
    return encoding ? await readFile(path, encoding) : new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SluiceError('ARTIFACT_MISSING', `The model package in ${dir} has no ${file}`, {
        where: path,
        hint: `A model package holds ${[MODEL_FILE, SIGNATURE_FILE, METADATA_FILE, CARD_FILE].join(', ')}.`,
      });
    }
    throw e;
  }
}

function _json(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SluiceError('ARTIFACT_CORRUPT', `${path} is not valid JSON: ${(e as Error).message}`, { where: path, cause: e });
  }
}

function _parse<T>(schema: z.ZodType<T>, value: unknown, what: string, code: 'USAGE' | 'ARTIFACT_CORRUPT'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new SluiceError(code, `Invalid ${what}: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`, {
    where: code === 'ARTIFACT_CORRUPT' ? what : undefined,
    details: { issues },
  });
}
