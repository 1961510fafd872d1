"""Expected fairness metrics from fairlearn, for src/evaluation/fairness.test.ts.

Regenerate:  pip install numpy scikit-learn fairlearn && python3 test/reference/evaluation/fairlearn_reference.py
Writes fairlearn_cases.json beside this file. Group rates and the between-groups differences and
ratios come from fairlearn's MetricFrame and *_difference / *_ratio functions; AIF360's signed
metrics (disparate impact, statistical parity difference, ...) are their one-line formulas on those
group rates. Bootstrap intervals are fairlearn's (n_boot=1000, random_state=0): a different random
stream from Sluice's, so the test compares them within Monte Carlo error only. NaN is written as null.
"""
import json
import math
import pathlib
import warnings

import fairlearn
import numpy as np
from fairlearn import metrics as fm

warnings.simplefilter("ignore")
rng = np.random.default_rng(20240603)


def clean(x):
    x = float(x)
    return None if math.isnan(x) else x


def case(name, y, proba, attributes, threshold=0.5, privileged=None, boot=False):
    y = np.asarray(y, dtype=np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    pred = (proba >= threshold).astype(np.int64)
    out = {"name": name, "threshold": threshold, "y": y.tolist(), "proba": proba.tolist(),
           "privileged": privileged or {}, "attributes": []}
    for attr, values in attributes.items():
        s = np.asarray(values)
        mf = fm.MetricFrame(
            metrics={"selection_rate": fm.selection_rate, "tpr": fm.true_positive_rate,
                     "fpr": fm.false_positive_rate, "count": fm.count},
            y_true=y, y_pred=pred, sensitive_features=s,
        )
        g = mf.by_group
        groups = [{"value": k.item() if hasattr(k, "item") else k, "count": int(g.loc[k, "count"]),
                   "selection_rate": float(g.loc[k, "selection_rate"]), "tpr": float(g.loc[k, "tpr"]),
                   "fpr": float(g.loc[k, "fpr"])} for k in g.index]
        kw = {"sensitive_features": s}
        m = {
            "demographic_parity_difference": fm.demographic_parity_difference(y, pred, **kw),
            "demographic_parity_ratio": fm.demographic_parity_ratio(y, pred, **kw),
            "equalized_odds_difference": fm.equalized_odds_difference(y, pred, **kw),
            "equalized_odds_ratio": fm.equalized_odds_ratio(y, pred, **kw),
            "equal_opportunity_difference": fm.equal_opportunity_difference(y, pred, **kw),
            "equal_opportunity_ratio": fm.equal_opportunity_ratio(y, pred, **kw),
        }
        # AIF360 formulas against the privileged group (given, or the highest selection rate).
        sr = {x["value"]: x for x in groups}
        p = (privileged or {}).get(attr)
        if p is None:
            p = max(groups, key=lambda x: x["selection_rate"])["value"]  # first on ties, like Sluice
        comparisons = []
        for x in groups:
            if x["value"] == p:
                continue
            q = sr[p]
            di = x["selection_rate"] / q["selection_rate"] if q["selection_rate"] else (math.nan if x["selection_rate"] == 0 else math.inf)
            comparisons.append({
                "value": x["value"],
                "disparate_impact": di,
                "statistical_parity_difference": x["selection_rate"] - q["selection_rate"],
                "equal_opportunity_difference": x["tpr"] - q["tpr"],
                "average_odds_difference": ((x["fpr"] - q["fpr"]) + (x["tpr"] - q["tpr"])) / 2,
            })
        entry = {"attribute": attr, "values": s.tolist(), "privileged": p, "groups": groups,
                 "metrics": {k: clean(v) for k, v in m.items()},
                 "comparisons": [{k: (clean(v) if k != "value" else v) for k, v in c.items()} for c in comparisons]}
        if boot:
            ci = {}
            for label, fn in [("selection_rate", fm.selection_rate), ("tpr", fm.true_positive_rate)]:
                mfb = fm.MetricFrame(metrics=fn, y_true=y, y_pred=pred, sensitive_features=s,
                                     n_boot=1000, ci_quantiles=[0.025, 0.975], random_state=0)
                ci[label] = {"difference": [float(v) for v in mfb.difference_ci()],
                             "ratio": [float(v) for v in mfb.ratio_ci()]}
            entry["bootstrap"] = ci
        out["attributes"].append(entry)
    return out


# Income-like: sex with two groups; race with five, one small group with no positives and one
# with no negatives; age band as numbers. Scores depend on the label and a little on the groups.
n = 2000
sex = rng.choice(["Female", "Male"], n, p=[0.35, 0.65])
race = rng.choice(["White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other"], n,
                  p=[0.8, 0.1, 0.06, 0.025, 0.015])
age = rng.choice([20.0, 30.0, 40.0, 50.0, 60.0], n)
y = (rng.uniform(0, 1, n) < np.where(sex == "Male", 0.3, 0.12)).astype(int)
y[race == "Amer-Indian-Eskimo"] = 0
y[race == "Other"] = 1
proba = np.clip(0.25 + 0.45 * y + np.where(sex == "Male", 0.08, -0.05) + rng.normal(0, 0.2, n), 0, 1)
proba[:10] = 0.5  # exactly at the threshold: selected
cases = [
    case("income-like", y, proba, {"sex": sex.tolist(), "race": race.tolist(), "age": age.tolist()}, boot=True),
    case("given privileged", y, proba, {"sex": sex.tolist(), "race": race.tolist()}, threshold=0.4,
         privileged={"sex": "Female", "race": "White"}),
    # One group never selected (ratio 0); then nobody selected at all (ratios 0 / 0 = NaN).
    case("never selected", [1, 0, 1, 0, 1, 0], [0.9, 0.2, 0.1, 0.3, 0.8, 0.7], {"g": ["a", "a", "b", "b", "c", "c"]}),
    case("nobody selected", [1, 0, 1, 0], [0.1, 0.2, 0.3, 0.4], {"g": ["a", "a", "b", "b"]}),
]

out = pathlib.Path(__file__).with_name("fairlearn_cases.json")
out.write_text(json.dumps({"fairlearn": fairlearn.__version__, "cases": cases}, allow_nan=False) + "\n")
print(f"wrote {out} with fairlearn {fairlearn.__version__}")
