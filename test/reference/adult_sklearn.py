"""Reference figures for bench/gbdt.js: scikit-learn's HistGradientBoostingClassifier on the same
Adult split and the same two set-ups (whole adult.data for 200 iterations; seeded 90/10 split
with early stopping on the 10%, the same rows as the bench's LCG shuffle picks).

    pip install scikit-learn   # numpy comes with it; pandas is not needed
    python3 test/reference/adult_sklearn.py
"""
import os
import statistics
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("ADULT_DIR", os.path.join(HERE, "..", "..", "examples", "income", "data"))


def read_adult(path):
    with open(path) as f:
        lines = [l for l in f.read().split("\n") if l.strip()]
    header = [s.strip() for s in lines[0].split(",")]
    rows = [[s.strip() for s in l.split(",")] for l in lines[1:]]
    cols = {h: [r[j] for r in rows] for j, h in enumerate(header)}
    y = np.array([1 if v.rstrip(".") == ">50K" else 0 for v in cols.pop("Y")])
    return cols, y


def encode(train_cols, test_cols):
    """Numeric columns as floats (NaN for '?'); string columns as category codes by frequency."""
    Xtr, Xte, cat = [], [], []
    for j, name in enumerate(train_cols):
        tr, te = train_cols[name], test_cols[name]
        try:
            Xtr.append([np.nan if v == "?" else float(v) for v in tr])
            Xte.append([np.nan if v == "?" else float(v) for v in te])
            cat.append(False)
        except ValueError:
            counts = {}
            for v in tr:
                if v != "?":
                    counts[v] = counts.get(v, 0) + 1
            code = {v: i for i, v in enumerate(sorted(counts, key=lambda v: (-counts[v], v)))}
            # unseen test categories -> NaN (sklearn would treat them as missing anyway)
            Xtr.append([np.nan if v == "?" else code[v] for v in tr])
            Xte.append([np.nan if v == "?" or v not in code else code[v] for v in te])
            cat.append(True)
    return np.array(Xtr).T, np.array(Xte).T, np.array(cat)


def holdout(n, fraction, seed):
    """The bench's LCG Fisher-Yates shuffle, bit for bit."""
    idx = list(range(n))
    s = seed & 0xFFFFFFFF
    for i in range(n - 1, 0, -1):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        j = s % (i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    n_val = round(n * fraction)
    return np.array(sorted(idx[n_val:])), np.array(sorted(idx[:n_val]))


def run(label, X, y, Xte, yte, cat, Xval=None, yval=None):
    times, clf = [], None
    for _ in range(3):
        clf = HistGradientBoostingClassifier(
            categorical_features=cat,
            max_iter=200,
            learning_rate=0.1,
            max_leaf_nodes=31,
            min_samples_leaf=20,
            early_stopping=Xval is not None,
            n_iter_no_change=10,
            tol=1e-7,
            scoring="loss",
            random_state=42,
        )
        t0 = time.perf_counter()
        if Xval is None:
            clf.fit(X, y)
        else:
            clf.fit(X, y, X_val=Xval, y_val=yval)
        times.append(time.perf_counter() - t0)
    p = clf.predict_proba(Xte)[:, 1]
    err = np.mean((p >= 0.5).astype(int) != yte) * 100
    print(f"{label:44} error {err:.2f}%  AUC {roc_auc_score(yte, p):.4f}  trees {clf.n_iter_}  "
          f"train {statistics.median(times):.2f} s")


train_cols, y = read_adult(os.path.join(DATA, "adult.data"))
test_cols, yte = read_adult(os.path.join(DATA, "adult.test"))
X, Xte, cat = encode(train_cols, test_cols)
print(f"sklearn HistGradientBoostingClassifier, threads: {os.environ.get('OMP_NUM_THREADS', 'all cores')}")
run("full: all of adult.data, 200 iterations", X, y, Xte, yte, cat)
fit, val = holdout(len(y), 0.1, 42)
run(f"early: 90% fit, 10% validation ({len(val)} rows)", X[fit], y[fit], Xte, yte, cat, X[val], y[val])
