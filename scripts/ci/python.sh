#!/usr/bin/env bash
# Installs the Python packages Sluice's tests use: the MLflow client (mlflow-skinny, the light
# package without the server) for test/server/python-client.test.ts. Idempotent; run by .ci/run.
#   bash scripts/ci/python.sh
set -euo pipefail
python="${PYTHON:-python3}"
version="3.17.2"
if "$python" -c "import mlflow, sys; sys.exit(0 if mlflow.__version__ == '$version' else 1)" 2>/dev/null; then
  echo "python.sh: mlflow-skinny $version already installed" >&2
  exit 0
fi
"$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "mlflow-skinny==$version" >&2
"$python" -c "import mlflow; print('python.sh: mlflow', mlflow.__version__)" >&2
