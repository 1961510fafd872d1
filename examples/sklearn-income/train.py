"""A command trainer: scikit-learn's GradientBoostingClassifier on the Adult data, exported
with skl2onnx into a Sluice model package (model.onnx, signature.json, metadata.json,
MODEL_CARD.md). Sluice runs it as a `command` step and passes file paths in the environment:

  SLUICE_INPUT_TRAIN   Parquet file with the training rows
  SLUICE_OUTPUT_MODEL  folder to write the package into
  SLUICE_OUTPUT_DIR    where `_result.json` (params and metrics for tracking) may go
"""
import json
import os
import time

import numpy as np
import pandas as pd
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

TARGET, POSITIVE = "income", ">50K"
NUMERIC = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
CATEGORICAL = ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex", "native_country"]

train = pd.read_parquet(os.environ["SLUICE_INPUT_TRAIN"])
out = os.environ["SLUICE_OUTPUT_MODEL"]
os.makedirs(out, exist_ok=True)

# Missing text is fed as '' (Sluice's convention for string inputs), missing numbers as NaN.
X = train[NUMERIC + CATEGORICAL].copy()
X[NUMERIC] = X[NUMERIC].astype(np.float32)
X[CATEGORICAL] = X[CATEGORICAL].fillna("").astype(str)
y = np.where(train[TARGET] == POSITIVE, POSITIVE, "<=50K")

# (skl2onnx 1.20 cannot convert HistGradientBoostingClassifier from scikit-learn 1.9: its
# missing-value flags come out as booleans where ONNX wants ints; the classic one converts.)
params = {"n_estimators": 150, "learning_rate": 0.1, "max_depth": 4, "random_state": 0}
model = Pipeline([
    ("prep", ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
    ])),
    ("gbdt", GradientBoostingClassifier(**params)),
])
started = time.perf_counter()
model.fit(X, y)
seconds = time.perf_counter() - started
print(f"trained GradientBoostingClassifier on {len(X)} rows in {seconds:.2f} s")

# One ONNX input per column, shape [N, 1], as Sluice's signature expects.
initial_types = [(c, FloatTensorType([None, 1])) for c in NUMERIC] + [(c, StringTensorType([None, 1])) for c in CATEGORICAL]
onx = to_onnx(model, initial_types=initial_types, options={id(model): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
with open(os.path.join(out, "model.onnx"), "wb") as f:
    f.write(onx.SerializeToString())

classes = [str(c) for c in model.classes_]
signature = {
    "format": "sluice-signature",
    "version": 1,
    "task": "binary",
    "positiveClass": POSITIVE,
    "inputs": [{"name": c, "type": "float32", "shape": [None, 1], "nullable": True, "missing": "NaN"} for c in NUMERIC]
    + [{"name": c, "type": "string", "shape": [None, 1], "nullable": True, "missing": ""} for c in CATEGORICAL],
    "outputs": [
        {"name": "label", "type": "string", "shape": [None], "role": "label"},
        {"name": "probabilities", "type": "float32", "shape": [None, len(classes)], "role": "probabilities"},
    ],
    "classes": classes,
}
train_accuracy = float((model.predict(X) == y).mean())
metadata = {
    "trainer": "sklearn.GradientBoostingClassifier",
    "params": {**{k: str(v) for k, v in params.items()}, "target": TARGET, "positive": POSITIVE},
    "metrics": {"train_accuracy": train_accuracy, "training_seconds": seconds},
}
with open(os.path.join(out, "signature.json"), "w") as f:
    json.dump(signature, f, indent=2)
with open(os.path.join(out, "metadata.json"), "w") as f:
    json.dump(metadata, f, indent=2)
with open(os.path.join(out, "MODEL_CARD.md"), "w") as f:
    f.write(
        "# Model card: income (scikit-learn)\n\n## Intended use\n\nPredicts whether income is over $50K from census attributes.\n\n"
        f"## Training data\n\n{len(X)} rows of the Adult training split.\n\n## Metrics\n\n| Metric | Value |\n|---|---|\n| train_accuracy | {train_accuracy:.4f} |\n\n"
        "## Limitations\n\nTrained on 1994 US census data; see the registered version for test metrics and fairness.\n"
    )
with open(os.path.join(os.environ["SLUICE_OUTPUT_DIR"], "_result.json"), "w") as f:
    json.dump({"outputs": {}, "params": metadata["params"], "metrics": metadata["metrics"]}, f)
print("wrote the model package")
