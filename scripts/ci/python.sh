#!/usr/bin/env bash
# Installs the Python packages Sluice's tests use — what users bring, never Sluice's own code:
# the MLflow client (mlflow-skinny, without the server) for the tracking-server and command-step
# tests, and scikit-learn, skl2onnx, pandas and pyarrow for the command-trainer example.
# Idempotent; run by .ci/run:  bash scripts/ci/python.sh
set -euo pipefail
python="${PYTHON:-python3}"
packages=("mlflow-skinny==3.17.2" "scikit-learn==1.9.1" "skl2onnx==1.20.0" "pandas==3.1.1" "pyarrow==26.0.1")
if "$python" - <<'PY' 2>/dev/null; then
import mlflow, sklearn, skl2onnx, pandas, pyarrow
assert mlflow.__version__ == "3.17.2"
PY
  echo "python.sh: ${packages[*]} already installed" >&2
  exit 0
fi
"$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${packages[@]}" >&2
"$python" -c "import mlflow, sklearn, skl2onnx; print('python.sh: mlflow', mlflow.__version__, 'scikit-learn', sklearn.__version__, 'skl2onnx', skl2onnx.__version__)" >&2
