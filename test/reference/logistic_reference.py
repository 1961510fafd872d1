"""Expected logistic regression weights from scikit-learn, for src/training/logistic.test.ts.

Builds a small table (two numeric columns, one with missing values and one constant, and a
string column with missing values), encodes it the way src/training/encoding.ts documents
(population-std standardisation, NaN -> 0, sorted one-hot, missing -> all zeros), and fits
scikit-learn's LogisticRegression with C = 1 / (l2 * n), which is Sluice's objective.

Regenerate:  pip install numpy scikit-learn && python3 test/reference/logistic_reference.py
Writes test/reference/logistic_case.json. Generated with scikit-learn 1.9.1.
"""
import json
import math
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(7)
n = 200
l2 = 0.01

a = rng.normal(40, 12, n)
b = rng.exponential(3, n)
b[rng.uniform(0, 1, n) < 0.1] = np.nan
const = np.full(n, 2.5)
cats = np.array(["north", "south", "east", "west"])
c = cats[rng.integers(0, 4, n)].astype(object)
c[rng.uniform(0, 1, n) < 0.08] = None
eff = {"north": 0.8, "south": -0.5, "east": 0.0, "west": 0.3, None: 0.0}
z = 0.06 * (a - 40) - 0.25 * (np.nan_to_num(b, nan=3) - 3) + np.array([eff[v] for v in c])
label = np.where(rng.uniform(0, 1, n) < 1 / (1 + np.exp(-z)), "yes", "no").astype(object)

# Encoding, as documented in encoding.ts
cols, names = [], []
for name, v in [("a", a), ("b", b), ("const", const)]:
    ok = ~np.isnan(v)
    mean = v[ok].mean()
    std = v[ok].std() if v[ok].min() != v[ok].max() else 1.0
    cols.append(np.where(ok, (v - mean) / std, 0.0))
    names.append(name)
for cat in sorted(set(x for x in c if x is not None)):
    cols.append(np.array([1.0 if x == cat else 0.0 for x in c]))
    names.append(f"c={cat}")
X = np.column_stack(cols)
y = (label == "yes").astype(int)

clf = LogisticRegression(C=1 / (l2 * n), solver="newton-cholesky", tol=1e-12, max_iter=1000)
clf.fit(X, y)
p = clf.predict_proba(X)[:, 1]


def nums(v):
    return [None if (isinstance(x, float) and math.isnan(x)) else float(x) for x in v]


case = {
    "sklearn": sklearn.__version__,
    "l2": l2,
    "table": {
        "a": nums(a),
        "b": nums(b),
        "const": nums(const),
        "c": [x for x in c],
        "label": [x for x in label],
    },
    "expected": {
        "featureNames": names,
        "weights": clf.coef_[0].tolist(),
        "intercept": float(clf.intercept_[0]),
        "proba": p.tolist(),
    },
}
out = pathlib.Path(__file__).with_name("logistic_case.json")
out.write_text(json.dumps(case) + "\n")
print(f"wrote {out} with scikit-learn {sklearn.__version__}: {dict(zip(names, clf.coef_[0]))}, intercept {clf.intercept_[0]}")
