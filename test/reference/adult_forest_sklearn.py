"""Reference figures for the random forest rows of bench/trainers.js: scikit-learn's
RandomForestClassifier on the same Adult split, one-hot encoded ('?' as a category of its own,
unseen test categories as all zeros), 100 trees, with the same two min_samples_leaf settings.
Single-threaded (n_jobs=1) to compare with the TypeScript trainer's time.

    pip install scikit-learn
    python3 test/reference/adult_forest_sklearn.py
"""
import os
import statistics
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OneHotEncoder

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
    num_tr, num_te, cat_tr, cat_te = [], [], [], []
    for name in train_cols:
        tr, te = train_cols[name], test_cols[name]
        try:
            num_tr.append([float(v) for v in tr])
            num_te.append([float(v) for v in te])
        except ValueError:
            cat_tr.append(tr)
            cat_te.append(te)
    onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(np.array(cat_tr).T)
    X = np.hstack([np.array(num_tr).T, onehot.transform(np.array(cat_tr).T)])
    Xte = np.hstack([np.array(num_te).T, onehot.transform(np.array(cat_te).T)])
    return X, Xte


train_cols, y = read_adult(os.path.join(DATA, "adult.data"))
test_cols, yte = read_adult(os.path.join(DATA, "adult.test"))
X, Xte = encode(train_cols, test_cols)
print(f"sklearn RandomForestClassifier on {X.shape[1]} one-hot columns, n_jobs=1")
for msl in [1, 5]:
    times, clf = [], None
    for _ in range(3):
        clf = RandomForestClassifier(n_estimators=100, min_samples_leaf=msl, random_state=42, n_jobs=1)
        t0 = time.perf_counter()
        clf.fit(X, y)
        times.append(time.perf_counter() - t0)
    p = clf.predict_proba(Xte)[:, 1]
    err = np.mean((p > 0.5).astype(int) != yte) * 100
    print(f"min_samples_leaf {msl}: error {err:.2f}%  AUC {roc_auc_score(yte, p):.4f}  train {statistics.median(times):.2f} s")
