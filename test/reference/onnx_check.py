"""Checks ONNX files written by Sluice with the reference checker of the onnx package.

Usage: python test/reference/onnx_check.py model.onnx [more.onnx ...]
Needs `pip install onnx` (CI has Python but not this package, so the vitest suite does not run
it; the exporters' tests run every model through onnxruntime-node instead).

For each file: onnx.checker.check_model(full_check=True) (structure, opset imports, operator
schemas and attributes, then strict shape inference), and the opsets and operators used.

Result when last run (onnx 1.23.2, models from src/training/onnx on UCI Adult and synthetic
data: logistic regression; GBDT binary, multiclass and regression):
  every file: "ok" from check_model with full_check=True.

A one-off check, not kept as code: onnx.reference.ReferenceEvaluator (a second runtime) does
not read the *_as_tensor attributes the GBDT export uses for float64 thresholds and weights;
given float copies of them, it agreed with TypeScript's predictGbdt within 1.3e-7 on 300 Adult
test rows, BRANCH_EQ chains (shared true branches) included.
"""
import sys

import onnx


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        model = onnx.load(path)
        try:
            onnx.checker.check_model(model, full_check=True)
            status = "ok"
        except Exception as e:  # the checker raises ValidationError or InferenceError
            status = f"FAILED: {e}"
            failed += 1
        opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
        ops = sorted({f"{n.domain + ':' if n.domain else ''}{n.op_type}" for n in model.graph.node})
        print(f"{path}: {status}\n  ir_version {model.ir_version}; opsets {opsets}\n  operators {', '.join(ops)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
