#!/usr/bin/env python3
"""numpy/scipy side of bench/drift.js: the same per-column tests on the same data, timed.

Usage (called by bench/drift.js): drift_reference.py DATA.bin META.json
META lists each column's dtype, byte offsets, the kind and test Sluice chose, and Sluice's
figures, which are checked here (relative difference printed). Loading is not timed; the
timed part is what a numpy/scipy implementation of the report does per column: drop missing
values, count or sort, and run the scipy statistic (Evidently's formulas).
"""
import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance


def shares_union(ref_counts, cur_counts):
    keep = (ref_counts + cur_counts) > 0
    return ref_counts[keep] / ref_counts.sum(), cur_counts[keep] / cur_counts.sum(), ref_counts[keep], cur_counts[keep]


def counts(col, ref, cur):
    """Category counts over the union (codes, or distinct values of a numeric column)."""
    if col["dtype"] == "int32":
        k = len(col["categories"])
        return np.bincount(ref[ref >= 0], minlength=k).astype(np.float64), np.bincount(cur[cur >= 0], minlength=k).astype(np.float64)
    ref = ref[np.isfinite(ref)]
    cur = cur[np.isfinite(cur)]
    _, inv = np.unique(np.concatenate([ref, cur]), return_inverse=True)
    k = inv.max() + 1
    return np.bincount(inv[: len(ref)], minlength=k).astype(np.float64), np.bincount(inv[len(ref):], minlength=k).astype(np.float64)


def run(col, ref, cur):
    test = col["test"]
    if col["kind"] == "numerical" and test in ("wasserstein", "ks"):
        x = ref[np.isfinite(ref)]
        y = cur[np.isfinite(cur)]
        if test == "wasserstein":
            return stats.wasserstein_distance(x, y) / max(np.std(x), 0.001), None
        r = stats.ks_2samp(x, y)
        return r.statistic, r.pvalue
    rc, cc = counts(col, ref, cur)
    r, c, rk, ck = shares_union(rc, cc)
    if test == "jensenshannon":
        return distance.jensenshannon(r, c), None
    if test == "chisquare":
        s, p = stats.chisquare(ck, rk * (ck.sum() / rk.sum()))
        return s, p
    if test == "z":
        n1, n2 = rk.sum(), ck.sum()
        p1, p2 = (n1 - rk[0]) / n1, (n2 - ck[0]) / n2
        P = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
        return z, 2 * stats.norm.sf(abs(z))
    raise ValueError(f"bench does not cover test {test}")


def main():
    path, meta_path = sys.argv[1], sys.argv[2]
    meta = json.load(open(meta_path))
    n = meta["rows"]
    data = []
    for col in meta["columns"]:
        dt = np.dtype(col["dtype"])
        data.append((np.fromfile(path, dtype=dt, count=n, offset=col["refOffset"]),
                     np.fromfile(path, dtype=dt, count=n, offset=col["curOffset"])))
    t0 = time.perf_counter()
    results = [run(col, ref, cur) for col, (ref, cur) in zip(meta["columns"], data)]
    seconds = time.perf_counter() - t0
    worst = 0.0
    for col, (s, p) in zip(meta["columns"], results):
        for mine, theirs in ((col["statistic"], s), (col["pValue"], p)):
            if mine is None or theirs is None or not np.isfinite(theirs) or theirs == 0:
                continue
            worst = max(worst, abs(mine - theirs) / abs(theirs))
    print(f"numpy {np.__version__} / scipy {__import__('scipy').__version__}, one process")
    print(f"seconds {seconds:.3f}")
    print(f"largest relative difference from sluice's figures: {worst:.2e}")


if __name__ == "__main__":
    main()
