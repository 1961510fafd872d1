"""Drives a Sluice server with the real `mlflow` Python client (MLFLOW_TRACKING_URI points at it).

Logs params, metrics with steps, tags, artifacts and a registered model version, reads them
back with search_runs, get_metric_history and the registry API, and prints one JSON line with
what it saw, for test/server/python-client.test.ts to check.
"""
import json
import os
import sys
import tempfile

import mlflow
from mlflow import MlflowClient

client = MlflowClient()
experiment_id = mlflow.create_experiment("python-client")
mlflow.set_experiment(experiment_id=experiment_id)

with mlflow.start_run(run_name="py-train") as run:
    run_id = run.info.run_id
    mlflow.log_params({"lr": 0.1, "depth": 6})
    for step in range(5):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metrics({"auc": 0.91, "acc": 0.87})
    mlflow.set_tags({"team": "ml", "stage": "dev"})
    mlflow.log_text("hello sluice\n", "notes/hello.txt")
    mlflow.log_dict({"threshold": 0.5}, "config/params.json")
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "model"))
        with open(os.path.join(tmp, "model", "MLmodel"), "w") as f:
            f.write("artifact_path: model\nflavors: {}\n")
        with open(os.path.join(tmp, "model", "weights.bin"), "wb") as f:
            f.write(bytes(range(256)) * 4)
        mlflow.log_artifacts(os.path.join(tmp, "model"), "model")

# A second run, to search and order over.
with mlflow.start_run(run_name="py-baseline"):
    mlflow.log_param("lr", 0.5)
    mlflow.log_metric("auc", 0.70)

runs = mlflow.search_runs(
    experiment_ids=[experiment_id],
    filter_string="metrics.auc > 0.8 and params.lr = '0.1'",
    order_by=["metrics.auc DESC"],
    output_format="list",
)
ordered = client.search_runs([experiment_id], order_by=["metrics.auc ASC"])
history = client.get_metric_history(run_id, "loss")
fetched = client.get_run(run_id)
artifacts = [f.path for f in client.list_artifacts(run_id)]
model_files = sorted(f.path for f in client.list_artifacts(run_id, "model"))
with tempfile.TemporaryDirectory() as tmp:
    local = client.download_artifacts(run_id, "notes/hello.txt", tmp)
    with open(local) as f:
        downloaded = f.read()

version = mlflow.register_model(f"runs:/{run_id}/model", "py-model")
client.set_registered_model_alias("py-model", "champion", version.version)
client.set_model_version_tag("py-model", version.version, "validated", "true")
by_alias = client.get_model_version_by_alias("py-model", "champion")
model = client.get_registered_model("py-model")
found = client.search_registered_models(filter_string="name = 'py-model'")
versions = client.search_model_versions(f"name = 'py-model'")
with tempfile.TemporaryDirectory() as tmp:
    model_dir = mlflow.artifacts.download_artifacts(f"models:/py-model@champion", dst_path=tmp)
    model_dir_files = sorted(os.listdir(model_dir))

try:
    client.log_param(run_id, "lr", "0.2")
    param_conflict = None
except mlflow.exceptions.MlflowException as e:
    param_conflict = e.error_code

print(json.dumps({
    "mlflow_version": mlflow.__version__,
    "run_id": run_id,
    "status": fetched.info.status,
    "params": fetched.data.params,
    "metrics": fetched.data.metrics,
    "tags": {k: v for k, v in fetched.data.tags.items() if not k.startswith("mlflow.source")},
    "search": [r.info.run_id for r in runs],
    "ordered": [r.data.metrics.get("auc") for r in ordered],
    "history": [[m.step, m.value] for m in history],
    "artifacts": sorted(artifacts),
    "model_files": model_files,
    "downloaded": downloaded,
    "version": version.version,
    "version_run": version.run_id,
    "alias_version": by_alias.version,
    "alias_tags": by_alias.tags,
    "model_aliases": model.aliases,
    "found": [m.name for m in found],
    "versions": [v.version for v in versions],
    "model_dir_files": model_dir_files,
    "param_conflict": param_conflict,
}))
