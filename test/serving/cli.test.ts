/**
 * `sluice serve` as a user runs it: ready when it prints its URL, stopped cleanly by SIGTERM with
 * the prediction log written, and a clear error with its exit code, never a half-started
 * server, when the model cannot be served or the port cannot be had.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src/project.js';
import { getModelVersion, registerModelVersion, setAlias } from '../../src/registry/index.js';
import { listPredictions } from '../../src/serving/index.js';
import { DataType, encodeModel } from '../../src/training/onnx/proto.js';
import { readModelPackage, type ModelSignature } from '../../src/training/package/index.js';
import { sluiceSpawn, type CliResult } from '../helpers/cli.js';
import { call, RECORD, registeredIncomeDir, removeDir } from './_income.js';

let dir: string;

beforeAll(async () => {
  dir = registeredIncomeDir();
  // income@2: a graph with the right inputs and outputs but an operator onnxruntime does not
  // know (it decodes, and fails in onnxruntime); income@3: a model.onnx that is not ONNX at all.
  const project = await openProject(dir);
  try {
    const mv = await getModelVersion(project.store.db, 'income', 1);
    for (const model of [(signature: ModelSignature) => unknownOperator(signature), () => Buffer.from('not a model')]) {
      const work = await mkdtemp(join(tmpdir(), 'sluice-bad-'));
      await project.artifacts.materializeDirectory(mv.source, join(work, 'p'));
      const { signature } = await readModelPackage(join(work, 'p'));
      await writeFile(join(work, 'p', 'model.onnx'), model(signature));
      const { digest } = await project.artifacts.putDirectory(join(work, 'p'));
      await registerModelVersion(project.store, { name: 'income', runId: null, source: digest, datasets: {}, params: {}, metrics: {}, gates: [], actor: 'test' });
      await rm(work, { recursive: true, force: true });
    }
    await setAlias(project.store.db, { name: 'income', alias: 'champion', version: 1, actor: 'test' });
  } finally {
    await project.close();
  }
});

afterAll(() => {
  if (dir) removeDir(dir);
});

function unknownOperator(signature: ModelSignature): Uint8Array {
  const type = { float32: DataType.FLOAT, float64: DataType.DOUBLE, int64: DataType.INT64, string: DataType.STRING } as const;
  const values = (list: ModelSignature['inputs'] | ModelSignature['outputs']) => list.map((v) => ({ name: v.name, dataType: type[v.type], shape: v.shape }));
  return encodeModel({
    name: 'broken',
    inputs: values(signature.inputs),
    outputs: values(signature.outputs),
    nodes: [{ op: 'NoSuchOperator', inputs: signature.inputs.map((i) => i.name), outputs: signature.outputs.map((o) => o.name) }],
  });
}

const children = new Set<ChildProcess>();

afterEach(() => {
  // A server a failed test left running.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

function spawnServe(args: string[]): ChildProcess {
  const child = sluiceSpawn(dir, ['serve', ...args]);
  children.add(child);
  return child;
}

/** Runs `sluice serve` that should fail; a server that starts instead is killed after 60 s. */
function serveFails(args: string[]): Promise<CliResult> {
  const child = spawnServe(args);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    }),
  );
}

/** Starts `sluice serve`, resolves with its JSON line once it is ready. */
function serve(args: string[]): Promise<{ child: ChildProcess; ready: { url: string; model: string; version: number; pid: number } }> {
  const child = spawnServe([...args, '--json']);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, ready: JSON.parse(out.split('\n')[0]) });
    });
    child.on('exit', (code) => reject(new Error(`sluice serve exited with ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('sluice serve', () => {
  it('serves the version an alias names, prints its URL when ready, and stops on SIGTERM with the log written', async () => {
    const { child, ready } = await serve(['income@champion', '--port', '0', '--max-batch', '16', '--log-sample', '1']);
    expect(ready).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), model: 'income', version: 1, pid: child.pid });
    expect((await call(ready.url, 'GET', '/v2/health/ready')).status).toBe(200);
    const r = await call(ready.url, 'POST', '/predict', [RECORD], { 'x-request-id': 'cli-1' });
    expect(r.status).toBe(200);
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
    const project = await openProject(dir);
    try {
      expect((await listPredictions(project.store.db, { model: 'income', requestId: 'cli-1' })).map((p) => p.outputs)).toEqual(r.body.predictions);
    } finally {
      await project.close();
    }
  });

  it('fails with exit code 7 and says why when onnxruntime cannot load the model', async () => {
    const r = await serveFails(['income@2', '--port', '0']);
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toContain('error: Cannot serve income@2: onnxruntime cannot load the model');
    expect(r.stderr).toContain('NoSuchOperator');
    expect(r.stdout).toBe('');
  });

  it('fails with exit code 7 when model.onnx is not ONNX, and with JSON under --json', async () => {
    const r = await serveFails(['income@3', '--port', '0', '--json']);
    expect(r.code, r.stderr).toBe(7);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: 'ARTIFACT_CORRUPT', message: expect.stringContaining('Cannot serve income@3: The ONNX model cannot be decoded') });
  });

  it('fails with exit code 4 for an unknown model or alias', async () => {
    const r = await serveFails(['income@production', '--port', '0']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('production');
  });

  it('fails with exit code 2 on a port in use or a bad option', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await serveFails(['income@1', '--port', String(port)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`Cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      blocker.close();
    }
    for (const bad of [['--log-sample', '2'], ['--max-batch', '0'], ['--port', 'x'], ['--body-limit', 'lots']]) {
      const r = await serveFails(['income@1', ...bad]);
      expect(r.code, `${bad.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/error: (Invalid|Cannot read)/);
    }
  });
});
