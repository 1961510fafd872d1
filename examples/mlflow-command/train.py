"""Fits y = a*x + b by gradient descent and logs it with the mlflow client.

Inside `sluice run`, MLFLOW_TRACKING_URI and MLFLOW_RUN_ID point at the step's tracking run, and
mlflow.start_run() resumes it. Run by hand with MLFLOW_TRACKING_URI set (e.g. to `sluice server`)
it logs a new run; with neither, it just trains.
"""
import csv
import json
import math
import os

project = os.environ.get("SLUICE_PROJECT_DIR", os.path.dirname(os.path.abspath(__file__)))
output = os.environ.get("SLUICE_OUTPUT_MODEL", "model.json")
epochs = int(os.environ.get("EPOCHS", "60"))
lr = float(os.environ.get("LEARNING_RATE", "0.05"))

with open(os.path.join(project, "data", "points.csv")) as f:
    points = [(float(r["x"]), float(r["y"])) for r in csv.DictReader(f)]

tracking = bool(os.environ.get("MLFLOW_TRACKING_URI"))
if tracking:
    import mlflow

    run = mlflow.start_run()  # resumes MLFLOW_RUN_ID when it is set
    mlflow.log_params({"epochs": epochs, "learning_rate": lr, "rows": len(points)})
    mlflow.set_tag("trainer", "train.py")

a, b = 0.0, 0.0
n = len(points)
for epoch in range(epochs):
    grad_a = sum(2 * (a * x + b - y) * x for x, y in points) / n
    grad_b = sum(2 * (a * x + b - y) for x, y in points) / n
    a, b = a - lr * grad_a, b - lr * grad_b
    loss = sum((a * x + b - y) ** 2 for x, y in points) / n
    if tracking:
        mlflow.log_metric("loss", loss, step=epoch)

rmse = math.sqrt(loss)
with open(output, "w") as f:
    json.dump({"a": a, "b": b}, f)
print(f"fitted y = {a:.3f} x + {b:.3f}, rmse {rmse:.3f}")

if tracking:
    mlflow.log_metric("rmse", rmse)
    mlflow.log_artifact(output, "model")
    mlflow.end_run()
