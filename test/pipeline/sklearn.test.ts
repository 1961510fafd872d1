/**
 * A command trainer from another ecosystem: scikit-learn + skl2onnx write a model package, and
 * Sluice evaluates and gates it through onnxruntime like a built-in model. CI installs the
 * Python packages (scripts/ci/python.sh); elsewhere the test is skipped when they are missing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sluiceJson, tempDir } from '../helpers/cli.js';

const hasPython = spawnSync('python3', ['-c', 'import sklearn, skl2onnx, pandas, pyarrow']).status === 0;

describe('command trainers', () => {
  it.skipIf(!hasPython && !process.env.CI)('a scikit-learn model exported with skl2onnx is evaluated and gated', () => {
    if (!hasPython) throw new Error('CI needs scikit-learn, skl2onnx, pandas and pyarrow: run scripts/ci/python.sh');
    const root = tempDir('sluice-sklearn-');
    mkdirSync(join(root, 'income'));
    cpSync(join(repoRoot, 'examples', 'income', 'data'), join(root, 'income', 'data'), { recursive: true });
    cpSync(join(repoRoot, 'examples', 'sklearn-income'), join(root, 'sklearn-income'), { recursive: true });
    const dir = join(root, 'sklearn-income');
    const r = sluiceJson<{ status: string; gates: { gate: string; status: string; checks: { metric: string; actual: number }[] }[]; errors: unknown[] }>(dir, ['run']);
    expect(r.code, JSON.stringify(r.data.errors)).toBe(0);
    const gate = r.data.gates.find((g) => g.gate === 'quality');
    expect(gate?.status).toBe('pass');
    expect(gate?.checks[0].actual).toBeGreaterThan(0.85);
    const steps = sluiceJson<{ steps: { name: string; status: string }[] }>(dir, ['runs', 'show', 'latest']).data.steps;
    expect(steps.find((s) => s.name === 'sklearn')?.status).toBe('succeeded');
  });
});
