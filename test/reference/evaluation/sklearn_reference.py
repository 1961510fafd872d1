"""Expected evaluation metrics from scikit-learn and numpy, for src/evaluation/*.test.ts.

Regenerate:  pip install numpy scikit-learn && python3 test/reference/evaluation/sklearn_reference.py
Writes sklearn_cases.json beside this file (floats written with repr, so they round-trip exactly;
NaN and the leading +inf ROC threshold are written as null).
"""
import json
import math
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve

warnings.simplefilter("ignore")  # single-class and zero-division warnings are part of the cases
rng = np.random.default_rng(20240602)


def clean(x):
    """Lists of floats with NaN and inf as null (JSON has neither)."""
    if isinstance(x, (list, tuple, np.ndarray)):
        return [clean(v) for v in x]
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def ece(y, p, n_bins, strategy):
    # Not in scikit-learn: sum over non-empty bins of (bin count / n) * |fraction of positives - mean proba|,
    # on calibration_curve's own bins.
    if strategy == "quantile":
        bins = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], p)
    total = np.bincount(ids, minlength=n_bins)
    t, q = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    counts = total[total != 0]
    return float(np.sum(counts / len(y) * np.abs(t - q))), counts.tolist(), bins.tolist()


def binary_case(name, y, p):
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    both = len(set(y.tolist())) == 2
    out = {
        "name": name,
        "y": y.tolist(),
        "proba": p.tolist(),
        "average_precision": metrics.average_precision_score(y, p),
        "brier": metrics.brier_score_loss(y, p),
        "calibration": [],
    }
    if both:
        fpr, tpr, thr = metrics.roc_curve(y, p)
        out["roc"] = {"fpr": clean(fpr), "tpr": clean(tpr), "thresholds": clean(thr)}
        prec, rec, thr = metrics.precision_recall_curve(y, p)
        out["pr"] = {"precision": clean(prec), "recall": clean(rec), "thresholds": clean(thr)}
    for bins, strategy in [(10, "uniform"), (10, "quantile"), (5, "uniform"), (4, "quantile")]:
        t, q = calibration_curve(y, p, n_bins=bins, strategy=strategy)
        e, counts, edges = ece(y, p, bins, strategy)
        out["calibration"].append(
            {"bins": bins, "strategy": strategy, "prob_true": t.tolist(), "prob_pred": q.tolist(),
             "counts": counts, "edges": edges, "ece": e}
        )
    return out


def multiclass_case(name, y, proba):
    y = np.asarray(y, dtype=np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    k = proba.shape[1]
    pred = np.argmax(proba, axis=1)  # first maximum on ties, as Sluice
    e = {"accuracy": metrics.accuracy_score(y, pred)}
    for avg in ["macro", "weighted"]:
        # Default labels (those present in y_true or y_pred), zero_division=0.
        e[f"precision_{avg}"] = metrics.precision_score(y, pred, average=avg, zero_division=0)
        e[f"recall_{avg}"] = metrics.recall_score(y, pred, average=avg, zero_division=0)
        e[f"f1_{avg}"] = metrics.f1_score(y, pred, average=avg, zero_division=0)
    e["log_loss"] = metrics.log_loss(y, proba, labels=list(range(k)))
    e["confusion_matrix"] = metrics.confusion_matrix(y, pred, labels=list(range(k))).tolist()
    return {"name": name, "y": y.tolist(), "proba": proba.ravel().tolist(), "classes": k, "expected": e}


def regression_case(name, y, pred):
    y = np.asarray(y, dtype=np.float64)
    pred = np.asarray(pred, dtype=np.float64)
    return {
        "name": name,
        "y": y.tolist(),
        "pred": pred.tolist(),
        "expected": {
            "mae": metrics.mean_absolute_error(y, pred),
            "rmse": metrics.root_mean_squared_error(y, pred),
            "r2": clean(metrics.r2_score(y, pred)),
            "mape": metrics.mean_absolute_percentage_error(y, pred),
        },
    }


# Binary: scores rounded to 0.05 (many ties) with exact 0, 1 and 0.5; continuous scores; all tied;
# scikit-learn's docstring example; one class only.
n = 300
score = np.clip(np.round(rng.uniform(0, 1, n) / 0.05) * 0.05, 0, 1)
y = (rng.uniform(0, 1, n) < 0.15 + 0.7 * score).astype(int)
score[:6] = [0.0, 1.0, 0.5, 0.0, 1.0, 0.5]
y[:6] = [1, 0, 1, 0, 1, 0]
binary = [
    binary_case("ties", y, score),
    binary_case("continuous", rng.integers(0, 2, 1000), rng.uniform(0, 1, 1000)),
    binary_case("all tied", [0, 1, 1, 0, 1], [0.4] * 5),
    binary_case("docstring", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    binary_case("all positive", [1, 1, 1, 1], [0.2, 0.6, 0.6, 0.9]),
    binary_case("all negative", [0, 0, 0], [0.2, 0.6, 0.9]),
]

# Multiclass: Dirichlet probabilities; rounded ones (tied maxima, exact 0 and 1); a class never
# true nor predicted (default labels exclude it from the macro average).
m = 400
raw = rng.dirichlet([1.0, 1.0, 1.0, 1.0], m)
ym = np.array([rng.choice(4, p=r) for r in raw])
tied = np.round(raw * 4) / 4
tied = tied / tied.sum(axis=1, keepdims=True)
tied[:3] = [[0.5, 0.5, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
ym2 = ym.copy()
ym2[:3] = [1, 2, 0]
multiclass = [
    multiclass_case("dirichlet", ym, raw),
    multiclass_case("ties and exact 0 and 1", ym2, tied),
    multiclass_case("unused class", [0, 1, 1, 0, 2], [[0.7, 0.2, 0.05, 0.05], [0.1, 0.6, 0.2, 0.1], [0.3, 0.3, 0.3, 0.1], [0.2, 0.5, 0.2, 0.1], [0.1, 0.1, 0.7, 0.1]]),
]

yr = rng.normal(50, 20, 500)
regression = [
    regression_case("normal", yr, yr + rng.normal(0, 5, 500)),
    regression_case("with zeros and negatives", [0.0, -1.5, 2.0, 0.0, 3.25, -4.0], [0.5, -1.0, 2.5, 0.0, 3.0, -3.0]),
    regression_case("perfect", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    regression_case("constant truth", [2.0, 2.0, 2.0], [2.0, 2.5, 1.5]),
    regression_case("constant truth, exact", [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),
    regression_case("one row", [3.0], [2.0]),
]

# numpy's default (linear) quantiles, for the bootstrap's percentile intervals.
sample = np.round(rng.normal(0, 1, 37), 3)
qs = [0.0, 0.025, 0.05, 0.5, 0.95, 0.975, 1.0]
quantiles = {"sample": sample.tolist(), "q": qs, "expected": np.quantile(sample, qs).tolist()}

out = pathlib.Path(__file__).with_name("sklearn_cases.json")
out.write_text(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__, "binary": binary,
                           "multiclass": multiclass, "regression": regression, "quantiles": quantiles}) + "\n")
print(f"wrote {out} with scikit-learn {sklearn.__version__}, numpy {np.__version__}")
