#!/usr/bin/env python3
"""Expected values for the drift statistics in src/monitoring/drift, computed with numpy/scipy.

Run:  pip install numpy scipy && python3 test/reference/drift/reference.py
Writes test/reference/drift/expected.json next to this file (committed; the vitest tests in
this folder compare every case with it to 1e-9 relative).

Inputs are generated deterministically by a 32-bit xorshift generator that samples.ts
reimplements bit for bit; every value is one correctly rounded division of integers, so both
languages see identical doubles. Each sample carries a checksum the TypeScript side verifies.

Each tool's semantics are restated here from its source with numpy/scipy only (Evidently 0.7
legacy stattests, NannyML 0.13 univariate methods, TFDV's JSD/L-infinity), following
/work/shared/reference/drift-validation-fairness.md.
"""
import json
import math
import os
from collections import Counter

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- deterministic samples

class Xorshift32:
    def __init__(self, seed):
        self.x = (seed & 0xFFFFFFFF) or 1

    def next(self):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x


def generate(spec):
    """Keep in step with generate() in samples.ts."""
    rng = Xorshift32(spec["seed"])
    gen, n = spec["gen"], spec["n"]
    out = []
    for i in range(n):
        if gen == "int":
            v = rng.next() % spec["k"] + spec.get("offset", 0)
        elif gen == "normal":
            s = sum(rng.next() % 1001 for _ in range(12))
            v = (s - 6006 + spec.get("shift", 0)) / spec["div"]
        elif gen == "skew":
            u = rng.next() % 10000
            v = (u * u) / spec["div"]
        elif gen == "heavy":
            u = rng.next() % 100000 + 1
            v = (1000000 // u) / spec["div"]
        elif gen == "bimodal":
            s = sum(rng.next() % 1001 for _ in range(12))
            v = (s - 6006 + (spec["gap"] if rng.next() % 2 else 0)) / spec["div"]
        elif gen == "const":
            v = spec["value"]
        elif gen == "cat":
            w = spec["weights"]
            t = rng.next() % sum(w)
            k = 0
            while t >= w[k]:
                t -= w[k]
                k += 1
            v = spec.get("labels", [f"c{j}" for j in range(len(w))])[k]
        else:
            raise ValueError(gen)
        m = spec.get("missingEvery")
        if m and i % m == 0:
            v = None if gen == "cat" else float("nan")
        out.append(v)
    return out


def checksum(values):
    """Order-sensitive checksum over non-missing values, mirrored in samples.ts."""
    acc = 0.0
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        x = v if isinstance(v, (int, float)) else len(v) + ord(v[-1])
        acc += float(x) * ((i % 7) + 1)
    return acc


SAMPLES = {
    # exact KS, unequal sizes / equal sizes / ties
    "small_a": {"gen": "normal", "n": 40, "seed": 11, "div": 100},
    "small_b": {"gen": "normal", "n": 55, "seed": 12, "div": 100, "shift": 400},
    "eq_a": {"gen": "normal", "n": 60, "seed": 13, "div": 100},
    "eq_b": {"gen": "normal", "n": 60, "seed": 14, "div": 100, "shift": 250},
    "ties_a": {"gen": "int", "n": 300, "seed": 15, "k": 25},
    "ties_b": {"gen": "int", "n": 250, "seed": 16, "k": 27},
    "tiny_a": {"gen": "normal", "n": 6, "seed": 17, "div": 100},
    "tiny_b": {"gen": "normal", "n": 9, "seed": 18, "div": 100, "shift": 900},
    # exact KS, larger and skewed
    "med_a": {"gen": "normal", "n": 3000, "seed": 21, "div": 1000},
    "med_b": {"gen": "skew", "n": 4000, "seed": 22, "div": 20000000},
    "skew_a": {"gen": "skew", "n": 2000, "seed": 23, "div": 1000000},
    "skew_b": {"gen": "heavy", "n": 2500, "seed": 24, "div": 100},
    "heavy_a": {"gen": "heavy", "n": 5000, "seed": 25, "div": 100},
    "heavy_b": {"gen": "heavy", "n": 5200, "seed": 26, "div": 90},
    # asymptotic KS
    "big_a": {"gen": "normal", "n": 12000, "seed": 31, "div": 1000},
    "big_b": {"gen": "normal", "n": 15000, "seed": 32, "div": 1000, "shift": 60},
    "big_c": {"gen": "normal", "n": 20000, "seed": 33, "div": 1000},
    "big_d": {"gen": "normal", "n": 11000, "seed": 34, "div": 1000, "shift": 2000},
    "few_a": {"gen": "normal", "n": 8, "seed": 35, "div": 1000, "shift": 500},
    # missing values, gaps (empty bins), constants
    "nan_a": {"gen": "normal", "n": 500, "seed": 41, "div": 100, "missingEvery": 7},
    "nan_b": {"gen": "normal", "n": 450, "seed": 42, "div": 100, "shift": 300, "missingEvery": 5},
    "gap_a": {"gen": "bimodal", "n": 1500, "seed": 43, "div": 100, "gap": 20000},
    "gap_b": {"gen": "bimodal", "n": 1200, "seed": 44, "div": 100, "gap": 26000},
    "const_5a": {"gen": "const", "n": 50, "seed": 45, "value": 5.0},
    "const_5b": {"gen": "const", "n": 70, "seed": 46, "value": 5.0},
    "const_7": {"gen": "const", "n": 60, "seed": 47, "value": 7.0},
    "int_few_a": {"gen": "int", "n": 800, "seed": 48, "k": 4, "offset": 1},
    "int_few_b": {"gen": "int", "n": 700, "seed": 49, "k": 5, "offset": 1},
    "int_bin_a": {"gen": "int", "n": 600, "seed": 50, "k": 2},
    "int_bin_b": {"gen": "int", "n": 640, "seed": 51, "k": 2},
    "int_big_a": {"gen": "int", "n": 3000, "seed": 52, "k": 15},
    "int_big_b": {"gen": "int", "n": 2800, "seed": 53, "k": 12, "offset": 2},
    # categorical
    "cat_a": {"gen": "cat", "n": 800, "seed": 61, "weights": [50, 30, 15, 5]},
    "cat_b": {"gen": "cat", "n": 900, "seed": 62, "weights": [40, 30, 20, 10]},
    "cat_same": {"gen": "cat", "n": 850, "seed": 63, "weights": [50, 30, 15, 5]},
    "cat_new": {"gen": "cat", "n": 700, "seed": 64, "weights": [45, 30, 15, 5, 5]},
    "cat_lost": {"gen": "cat", "n": 600, "seed": 65, "weights": [60, 40], "labels": ["c0", "c1"]},
    "cat_missing": {"gen": "cat", "n": 500, "seed": 66, "weights": [30, 30, 40], "missingEvery": 4},
    "bin_a": {"gen": "cat", "n": 900, "seed": 67, "weights": [70, 30], "labels": ["no", "yes"]},
    "bin_b": {"gen": "cat", "n": 950, "seed": 68, "weights": [62, 38], "labels": ["no", "yes"]},
    "bin_far": {"gen": "cat", "n": 5000, "seed": 69, "weights": [20, 80], "labels": ["no", "yes"]},
    "cat_big_a": {"gen": "cat", "n": 5000, "seed": 70, "weights": [30, 25, 20, 10, 8, 4, 2, 1]},
    "cat_big_b": {"gen": "cat", "n": 6000, "seed": 71, "weights": [25, 25, 20, 12, 8, 5, 3, 1, 1]},
    "cat_one_a": {"gen": "cat", "n": 40, "seed": 72, "weights": [1], "labels": ["only"]},
    "cat_one_b": {"gen": "cat", "n": 45, "seed": 73, "weights": [1], "labels": ["only"]},
    "cat_many_a": {"gen": "cat", "n": 4000, "seed": 74, "weights": list(range(1, 41))},
    "cat_many_b": {"gen": "cat", "n": 4500, "seed": 75, "weights": list(range(40, 0, -1))},
}

DATA = {name: generate(spec) for name, spec in SAMPLES.items()}


def finite(name):
    return np.array([v for v in DATA[name] if v is not None and math.isfinite(v)], dtype=np.float64)


def cats(name):
    return [v for v in DATA[name] if v is not None]


def is_cat(name):
    return SAMPLES[name]["gen"] == "cat"


# ---------------------------------------------------------------- tool semantics

def counts_union(a, b):
    """Sorted union of values, counts per side (Evidently: one bin per value of ref ∪ cur)."""
    ca, cb = Counter(a), Counter(b)
    keys = sorted(set(ca) | set(cb))
    return keys, np.array([ca[k] for k in keys], dtype=np.float64), np.array([cb[k] for k in keys], dtype=np.float64)


def fill_zeros_evidently(x):
    x = x.copy()
    m = min(x[x != 0])
    np.place(x, x == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return x


def evidently_binned(ref, cur, kind, feel_zeroes):
    """evidently/legacy/calculations/stattests/utils.py get_binned_data (n_bins ignored)."""
    if kind == "numerical" and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys, rc, cc = counts_union(list(ref), list(cur))
        r, c = rc / len(ref), cc / len(cur)
    if feel_zeroes:
        r, c = fill_zeros_evidently(r), fill_zeros_evidently(c)
    return r, c


def nannyml_binned(ref, cur, kind):
    """nannyml/drift/univariate/methods.py JensenShannonDistance: reference bins + leftover."""
    ref = np.asarray(ref) if kind == "numerical" else ref
    treat = "cat"
    if kind == "numerical":
        n_unique = len(np.unique(ref))
        if n_unique > 50 or n_unique / len(ref) > 0.1:
            treat = "cont"
    if treat == "cont":
        bins = np.histogram_bin_edges(ref, bins="doane")
        r = np.histogram(ref, bins=bins)[0] / len(ref)
        c = np.histogram(cur, bins=bins)[0] / len(cur)
    else:
        keys, rc = np.unique(np.asarray(ref), return_counts=True) if kind == "numerical" else (
            sorted(set(ref)), np.array([Counter(ref)[k] for k in sorted(set(ref))]))
        r = np.asarray(rc) / len(ref)
        cc = Counter(list(cur))
        c = np.array([cc.get(k, 0) for k in keys]) / len(cur)
    leftover = 1 - np.sum(c)
    if leftover > 0:
        c = np.append(c, leftover)
        r = np.append(r, 0)
    return r, c


def equal_width_binned(ref, cur, bins):
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins=bins)
    return np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)


def quantile_binned(ref, cur, bins):
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    k = len(inner) + 1
    r = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=k) / len(ref)
    c = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=k) / len(cur)
    return r, c


def union_shares(ref, cur):
    keys, rc, cc = counts_union(list(ref), list(cur))
    return rc / len(ref), cc / len(cur)


def psi(r, c):
    """Σ (r − c)·ln(r/c); a bin empty on both sides contributes 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where((r == 0) & (c == 0), 0.0, (r - c) * np.log(r / c))
    return float(np.sum(terms))


def js(r, c, base, kind):
    if kind == "distance":
        return float(distance.jensenshannon(r, c, base))
    # TFDV's divergence D: scipy's steps without the square root.
    p = r / np.sum(r)
    q = c / np.sum(c)
    m = (p + q) / 2.0
    v = np.sum(special.rel_entr(p, m)) + np.sum(special.rel_entr(q, m))
    if base is not None:
        v /= np.log(base)
    return float(v / 2.0)


def chisquare_gof(ref_counts, cur_counts):
    k_norm = cur_counts.sum() / ref_counts.sum()
    f_exp = ref_counts * k_norm
    with np.errstate(divide="ignore"):
        res = stats.chisquare(cur_counts, f_exp)
    return float(res[0]), float(res[1])


def chisquare_contingency(ref_counts, cur_counts):
    res = stats.chi2_contingency(np.column_stack([ref_counts, cur_counts]))
    return float(res[0]), float(res[1])


def ztest(ref, cur):
    """Evidently z_stattest; p as 2·norm.sf(|z|) (Evidently: 2·(1 − cdf), equal where representable)."""
    if len(set(ref)) == 1 and len(set(cur)) == 1 and set(ref) == set(cur):
        return 0.0, 1.0
    first = sorted(set(ref) | set(cur))[0]
    r = [0 if x == first else 1 for x in ref]
    c = [0 if x == first else 1 for x in cur]
    n1, n2 = len(r), len(c)
    p1 = float(sum(r)) / n1
    p2 = float(sum(c)) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return float(z), float(2 * stats.norm.sf(abs(z)))


MODES = {
    "evidently": {"base": None, "js": "distance", "binning": "sturges-union", "cats": "union", "fill": True,
                  "chi": "gof", "wasserstein": "normed"},
    "tfdv": {"base": 2, "js": "divergence", "binning": "equal-width", "cats": "union", "fill": False,
             "chi": "gof", "wasserstein": "raw"},
    "nannyml": {"base": 2, "js": "distance", "binning": "doane-reference", "cats": "reference+leftover",
                "fill": False, "chi": "contingency", "wasserstein": "raw"},
}


def binned_shares(mode, ref, cur, kind, fill, binning=None):
    b = binning or {"kind": MODES[mode]["binning"]}
    if kind == "categorical":
        r, c = nannyml_binned(ref, cur, "categorical") if MODES[mode]["cats"] == "reference+leftover" else union_shares(ref, cur)
    elif b["kind"] == "sturges-union":
        r, c = evidently_binned(ref, cur, "numerical", False)
    elif b["kind"] == "equal-width":
        r, c = equal_width_binned(ref, cur, b.get("bins", 10))
    elif b["kind"] == "doane-reference":
        r, c = nannyml_binned(ref, cur, "numerical")
    elif b["kind"] == "quantile":
        r, c = quantile_binned(ref, cur, b["bins"])
    if fill:
        r, c = fill_zeros_evidently(r), fill_zeros_evidently(c)
    return np.asarray(r, dtype=np.float64), np.asarray(c, dtype=np.float64)


def column_case(mode, test, a, b, kind, binning=None):
    m = MODES[mode]
    ref = finite(a) if kind == "numerical" or not is_cat(a) else cats(a)
    cur = finite(b) if kind == "numerical" or not is_cat(b) else cats(b)
    if kind == "categorical" and not is_cat(a):
        ref, cur = list(ref), list(cur)
    out = {}
    if test == "ks":
        r = stats.ks_2samp(ref, cur)
        out = {"statistic": float(r.statistic), "pValue": float(r.pvalue),
               "method": "exact" if max(len(ref), len(cur)) <= 10000 else "asymptotic"}
    elif test == "wasserstein":
        d = stats.wasserstein_distance(ref, cur)
        out = {"statistic": float(d / max(np.std(ref), 0.001) if m["wasserstein"] == "normed" else d)}
    elif test == "chisquare":
        keys, rc, cc = counts_union(list(ref), list(cur))
        if len(keys) == 1:
            out = {"statistic": 0.0, "pValue": 1.0}
        else:
            s, p = chisquare_gof(rc, cc) if m["chi"] == "gof" else chisquare_contingency(rc, cc)
            out = {"statistic": s, "pValue": p}
    elif test == "z":
        z, p = ztest(list(ref), list(cur))
        out = {"statistic": z, "pValue": p}
    elif test in ("psi", "kl_div", "jensenshannon", "linf"):
        fill = m["fill"] and test in ("psi", "kl_div")
        if mode == "evidently" and kind == "numerical" and binning is None:
            r, c = evidently_binned(ref, cur, "numerical", fill)
        else:
            r, c = binned_shares(mode, ref, cur, kind, fill, binning)
        if test == "psi":
            v = psi(r, c)
        elif test == "kl_div":
            v = float(stats.entropy(r, c, base=m["base"]))
        elif test == "jensenshannon":
            v = js(r, c, m["base"], m["js"])
        else:
            v = float(np.max(np.abs(r - c)))
        out = {"statistic": v}
    case = {"kind": "column", "mode": mode, "test": test, "a": a, "b": b, "columnKind": kind, "expect": out}
    if binning:
        case["binning"] = binning
    return case


def num(x):
    """JSON has no inf/nan: encode them as strings."""
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if isinstance(x, dict):
        return {k: num(v) for k, v in x.items()}
    if isinstance(x, list):
        return [num(v) for v in x]
    return x


# ---------------------------------------------------------------- cases

def build_cases():
    cases = []

    # Low-level distributions over a grid that visits every branch of scipy's kolmogn.
    for n in [1, 2, 3, 5, 10, 37, 100, 140, 141, 500, 999, 5000, 8571, 50000, 100000, 100001, 500000, 1500000]:
        for x in [0.3 / n, 0.75 / n, 1.5 / n, 0.004, 0.01, 0.02, 0.05, 0.08, 0.12, 0.2, 0.35, 0.5, 0.62, 0.9, 0.999]:
            if x >= 1:
                continue
            cases.append({"kind": "kolmogorovSf", "n": n, "x": x, "expect": float(stats.kstwo.sf(x, n))})
        for c in [0.3, 0.7, 0.86, 1.1, 1.45, 1.9, 2.5, 4.0, 8.0]:
            x = c / math.sqrt(n)
            if x < 1:
                cases.append({"kind": "kolmogorovSf", "n": n, "x": x, "expect": float(stats.kstwo.sf(x, n))})
    for n in [2, 5, 20, 141, 1000, 20000, 500000, 2000000]:
        for x in [0.01, 0.03, 0.1, 0.3, 0.55, 0.8]:
            cases.append({"kind": "smirnovSf", "n": n, "x": x, "expect": float(special.smirnov(n, x))})
    for df in [1, 2, 3, 4, 7, 10, 39, 100, 1000]:
        for x in [1e-3, 0.5, 1.0, df * 0.5, df - 0.5, float(df), df + 1.5, 2.0 * df, 3.0 * df + 20, 10.0 * df + 100]:
            cases.append({"kind": "chi2Sf", "df": df, "x": x, "expect": float(stats.chi2.sf(x, df))})
    for z in [0.0, 1e-3, 0.1, 0.5, 1.0, 1.6448536269514722, 1.959963984540054, 2.5, 3.0, 4.0, 5.5, 8.0, 10.0, 20.0, 37.0]:
        cases.append({"kind": "normalTwoSidedP", "z": z, "expect": float(2 * stats.norm.sf(abs(z)))})
    for x in [1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.7, 9.99, 10.0, 10.5, 55.5, 1234.25, 1e6]:
        cases.append({"kind": "lgamma", "x": x, "expect": float(special.gammaln(x))})

    # Multiple testing.
    ps = [0.5, 0.6, 0.1, 0.001, 0.04, 0.03, 0.2, 0.0004, 0.9, 0.049, 0.049]
    cases.append({"kind": "bh", "p": ps, "expect": [float(v) for v in stats.false_discovery_control(ps, method="bh")]})
    cases.append({"kind": "bonferroni", "p": ps, "expect": [min(1.0, p * len(ps)) for p in ps]})

    # Two-sample statistics on raw samples.
    pairs = [("small_a", "small_b"), ("eq_a", "eq_b"), ("ties_a", "ties_b"), ("tiny_a", "tiny_b"),
             ("med_a", "med_b"), ("skew_a", "skew_b"), ("heavy_a", "heavy_b"), ("big_a", "big_b"),
             ("big_a", "big_c"), ("big_d", "big_c"), ("few_a", "big_c"), ("small_a", "big_b"), ("nan_a", "nan_b"),
             ("gap_a", "gap_b"), ("const_5a", "const_5b"), ("const_5a", "const_7"), ("const_5a", "small_a"),
             ("small_a", "const_7"), ("eq_a", "eq_a")]
    for a, b in pairs:
        ref, cur = finite(a), finite(b)
        r = stats.ks_2samp(ref, cur)
        cases.append({"kind": "ks", "a": a, "b": b, "expect": {
            "statistic": float(r.statistic), "pValue": float(r.pvalue),
            "method": "exact" if max(len(ref), len(cur)) <= 10000 else "asymptotic"}})
        cases.append({"kind": "wasserstein", "a": a, "b": b,
                      "expect": float(stats.wasserstein_distance(ref, cur))})
        cases.append({"kind": "std", "a": a, "expect": float(np.std(ref))})

    # Binnings: counts and edges.
    for a, b in [("med_a", "med_b"), ("gap_a", "gap_b"), ("heavy_a", "heavy_b"), ("ties_a", "ties_b"), ("big_a", "big_b")]:
        ref, cur = finite(a), finite(b)
        e = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        cases.append({"kind": "edges", "binning": "sturges", "a": a, "b": b, "expect": [float(v) for v in e]})
        e = np.histogram_bin_edges(ref, bins="doane")
        cases.append({"kind": "edges", "binning": "doane", "a": a, "b": b, "expect": [float(v) for v in e]})
        q = np.quantile(ref, np.linspace(0, 1, 11)[1:-1])
        cases.append({"kind": "edges", "binning": "quantile10", "a": a, "b": b, "expect": [float(v) for v in q]})

    # Whole-column results per mode and test (driftColumn with minRows 1).
    num_pairs = [("small_a", "small_b"), ("ties_a", "ties_b"), ("med_a", "med_b"), ("skew_a", "skew_b"),
                 ("heavy_a", "heavy_b"), ("big_a", "big_b"), ("big_a", "big_c"), ("nan_a", "nan_b"), ("gap_a", "gap_b"),
                 ("const_5a", "const_5b"), ("const_5a", "const_7"), ("const_5a", "small_a"), ("tiny_a", "tiny_b")]
    for mode in MODES:
        for a, b in num_pairs:
            for test in ["ks", "wasserstein", "psi", "kl_div", "jensenshannon"]:
                cases.append(column_case(mode, test, a, b, "numerical"))
        for a, b in [("int_few_a", "int_few_b"), ("int_bin_a", "int_bin_b"), ("const_5a", "const_5b"), ("const_5a", "const_7")]:
            for test in ["chisquare", "z"]:
                cases.append(column_case(mode, test, a, b, "numerical"))
        cat_pairs = [("cat_a", "cat_b"), ("cat_a", "cat_same"), ("cat_a", "cat_new"), ("cat_a", "cat_lost"),
                     ("cat_missing", "cat_a"), ("bin_a", "bin_b"), ("bin_a", "bin_far"), ("cat_big_a", "cat_big_b"),
                     ("cat_one_a", "cat_one_b"), ("cat_many_a", "cat_many_b"), ("int_few_a", "int_few_b"),
                     ("int_big_a", "int_big_b")]
        for a, b in cat_pairs:
            for test in ["chisquare", "z", "psi", "kl_div", "jensenshannon", "linf"]:
                cases.append(column_case(mode, test, a, b, "categorical"))
    for bins in [5, 10, 20]:
        for a, b in [("med_a", "med_b"), ("heavy_a", "heavy_b"), ("ties_a", "ties_b"), ("gap_a", "gap_b")]:
            for test in ["psi", "kl_div", "jensenshannon"]:
                cases.append(column_case("evidently", test, a, b, "numerical", {"kind": "quantile", "bins": bins}))
                cases.append(column_case("evidently", test, a, b, "numerical", {"kind": "equal-width", "bins": bins}))
    return cases


def main():
    cases = build_cases()
    samples = {name: {"spec": spec, "checksum": checksum(DATA[name]), "length": len(DATA[name])}
               for name, spec in SAMPLES.items()}
    doc = {
        "generatedBy": "test/reference/drift/reference.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "samples": samples,
        "cases": num(cases),
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases over {len(samples)} samples")


if __name__ == "__main__":
    main()
