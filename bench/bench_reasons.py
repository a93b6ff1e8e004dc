"""Reasons per 1,000 rows: the cost of each row's contributions beside plain predict of the same rows.

LightGBM's contributions are its own TreeSHAP (``pred_contrib``); a random forest's and a linear model's
are measured by swapping columns with training rows (`core.predict.reasons`). Each model is fitted once
(a whole AnyML pipeline: preparation, encoding, model) on a generated table of students; then the same
1,000 rows are predicted (``predict_proba``, the baseline) and explained, each timed as the best of a few
repeats in the same process.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

ROWS = 1_000
MODELS = ("lgbm", "rf", "linear")


def table(n: int, seed: int) -> pd.DataFrame:
    """Students: hours and mock exam decide passing; grade, club, joined date and noise matter little or not."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "hours": rng.uniform(0, 30, n), "mock": rng.uniform(0, 100, n), "noise": rng.normal(0, 1, n),
        "grade": rng.choice(["1", "2", "3"], n), "club": rng.choice(["art", "music", "sport", "none"], n),
        "joined": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
    })
    signal = 0.1 * frame["hours"] + 0.03 * frame["mock"] - 0.5 * (frame["grade"] == "3") + rng.normal(0, 0.5, n)
    return frame.assign(passed=(signal > signal.median()).astype(int))


def _best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(quick: bool = False) -> list[dict]:
    from core.predict.contract import build_contract, check_input
    from core.predict.reasons import contributions
    from core.train.fitting import build_pipeline
    from core.train.preprocessing import column_roles

    train = table(2_000 if quick else 10_000, seed=0)
    X, y = train.drop(columns="passed"), train["passed"].to_numpy()
    roles = column_roles(X)
    contract = build_contract(X, roles)
    rows = check_input(table(ROWS, seed=1).drop(columns="passed"), contract).frame
    repeats = 1 if quick else 3
    out = []
    for model in MODELS:
        with threadpool_limits(limits=1):
            pipeline = build_pipeline(model, roles, "binary", 0).fit(X, y)
        sidecar = {"task": "binary", "classes": [0, 1], "contract": contract}
        plain = _best(lambda: pipeline.predict_proba(rows), repeats)
        explained = _best(lambda: contributions(pipeline, sidecar, rows), repeats)
        method = "pred_contrib" if model == "lgbm" else "measured, 20 background rows"
        out.append({"figure": f"reasons of {ROWS:,} rows, {model} ({method}, {X.shape[1]} columns)",
                    "ours": explained, "baseline_label": f"predict_proba of the same {ROWS:,} rows",
                    "baseline": plain, "unit": "s", "target": "a few seconds per 1,000 rows"})
    return out


if __name__ == "__main__":
    import sys

    for row in run(quick="--quick" in sys.argv):
        print(row)
