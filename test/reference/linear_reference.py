"""Expected linear regression weights from scikit-learn, for src/training/linear.test.ts.

Builds a small table (two numeric columns, one with missing values, one constant; a string column
with missing values and one without), encodes it as src/training/encoding.ts documents
(population-std standardisation, NaN -> 0, sorted one-hot, missing -> all zeros), and fits
scikit-learn's Ridge with alpha = l2 * n, which is Sluice's objective, for several l2; and
LinearRegression (ordinary least squares) for l2 = 0, whose fitted values are unique even though
its weights are not (the one-hot columns of `d` are collinear with the intercept).

Regenerate:  pip install numpy scikit-learn && python3 test/reference/linear_reference.py
Writes test/reference/linear_case.json. Generated with scikit-learn 1.9.1.
"""
import json
import math
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression, Ridge

rng = np.random.default_rng(11)
n = 200

a = rng.normal(40, 12, n)
b = rng.exponential(3, n)
b[rng.uniform(0, 1, n) < 0.1] = np.nan
const = np.full(n, -1.5)
cats = np.array(["north", "south", "east", "west"])
c = cats[rng.integers(0, 4, n)].astype(object)
c[rng.uniform(0, 1, n) < 0.08] = None
d = np.array(["x", "y", "z"])[rng.integers(0, 3, n)].astype(object)
eff_c = {"north": 2.0, "south": -1.0, "east": 0.0, "west": 0.5, None: 0.3}
eff_d = {"x": 0.0, "y": 1.5, "z": -0.7}
y = (
    3.0
    + 0.08 * (a - 40)
    - 0.4 * np.nan_to_num(b, nan=3.0)
    + np.array([eff_c[v] for v in c])
    + np.array([eff_d[v] for v in d])
    + rng.normal(0, 0.5, n)
)

cols, names = [], []
for name, v in [("a", a), ("b", b), ("const", const)]:
    ok = ~np.isnan(v)
    mean = v[ok].mean()
    std = v[ok].std() if v[ok].min() != v[ok].max() else 1.0
    cols.append(np.where(ok, (v - mean) / std, 0.0))
    names.append(name)
for col_name, values in [("c", c), ("d", d)]:
    for cat in sorted(set(x for x in values if x is not None)):
        cols.append(np.array([1.0 if x == cat else 0.0 for x in values]))
        names.append(f"{col_name}={cat}")
X = np.column_stack(cols)

ridge = []
for l2 in [1e-3, 0.05, 1.0]:
    m = Ridge(alpha=l2 * n, solver="cholesky", fit_intercept=True).fit(X, y)
    ridge.append({"l2": l2, "weights": m.coef_.tolist(), "intercept": float(m.intercept_), "predictions": m.predict(X).tolist()})
ols = LinearRegression().fit(X, y)


def nums(v):
    return [None if (isinstance(x, float) and math.isnan(x)) else float(x) for x in v]


case = {
    "sklearn": sklearn.__version__,
    "table": {"a": nums(a), "b": nums(b), "const": nums(const), "c": list(c), "d": list(d), "y": y.tolist()},
    "featureNames": names,
    "ridge": ridge,
    "ols": {"predictions": ols.predict(X).tolist()},
}
out = pathlib.Path(__file__).with_name("linear_case.json")
out.write_text(json.dumps(case) + "\n")
print(f"wrote {out} with scikit-learn {sklearn.__version__}; ridge l2=1e-3 weights {dict(zip(names, ridge[0]['weights']))}")
