"""Expected binary classification metrics from scikit-learn, for src/evaluation/metrics.test.ts.

Regenerate:  pip install numpy scikit-learn && python3 test/reference/metrics_reference.py
Writes test/reference/metrics_cases.json (inputs and expected values, floats written with repr,
so they round-trip exactly). Generated with scikit-learn 1.9.1, numpy 2.x.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn import metrics

rng = np.random.default_rng(20240601)


def case(name, y, p, threshold):
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    pred = (p >= threshold).astype(np.int64)  # Sluice: predicted positive when proba >= threshold
    tn, fp, fn, tp = metrics.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    both = len(set(y.tolist())) == 2
    return {
        "name": name,
        "threshold": threshold,
        "y": y.tolist(),
        "proba": p.tolist(),
        "expected": {
            "accuracy": metrics.accuracy_score(y, pred),
            "precision": metrics.precision_score(y, pred, zero_division=0),
            "recall": metrics.recall_score(y, pred, zero_division=0),
            "f1": metrics.f1_score(y, pred, zero_division=0),
            # sklearn raises on a single class; Sluice returns NaN (written as null here)
            "roc_auc": metrics.roc_auc_score(y, p) if both else None,
            "log_loss": metrics.log_loss(y, p, labels=[0, 1]),
            "confusion_matrix": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)},
        },
    }


# 300 rows, scores rounded to 0.05 so most scores are tied, plus exact 0, 1 and 0.5 (clipping,
# threshold edge). Labels correlate with the score.
n = 300
score = np.round(rng.uniform(0, 1, n) / 0.05) * 0.05
score = np.clip(score, 0, 1)
y = (rng.uniform(0, 1, n) < 0.15 + 0.7 * score).astype(int)
score[:6] = [0.0, 1.0, 0.5, 0.0, 1.0, 0.5]
y[:6] = [1, 0, 1, 0, 1, 0]  # two confidently wrong rows: log loss hits the clip

cases = [
    case("ties, threshold 0.5", y, score, 0.5),
    case("ties, threshold 0.3", y, score, 0.3),
    case("all tied", [0, 1, 1, 0, 1], [0.4] * 5, 0.5),
    case("no predicted positives", [0, 1, 1, 0, 0, 1], [0.1, 0.2, 0.3, 0.05, 0.2, 0.4], 0.5),
    case("one class", [1, 1, 1], [0.2, 0.6, 0.9], 0.5),
    case("continuous scores", rng.integers(0, 2, 1000), rng.uniform(0, 1, 1000), 0.5),
]

out = pathlib.Path(__file__).with_name("metrics_cases.json")
out.write_text(json.dumps({"sklearn": sklearn.__version__, "cases": cases}) + "\n")
print(f"wrote {out} with scikit-learn {sklearn.__version__}")
