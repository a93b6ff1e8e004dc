"""The greedy ensemble beside the best single model of the same comparison (same folds), and calibration's log loss.

For each table the default models are compared by 5-fold CV; the ensemble's out-of-fold score is
printed beside the best single model's (the baseline, measured in the same run), and on a table
big enough for a held-out test part, both are also scored on it. Calibration: the cross-fitted
log loss of the winner's probabilities after calibration beside before.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

from core.train import LOWER_IS_BETTER, TrainSettings, train
from core.train.ensemble import ENSEMBLE


def _frame(loader) -> pd.DataFrame:
    X, y = loader(return_X_y=True, as_frame=True)
    return X.assign(target=y)


def _rare(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """10 numeric columns, about 5% positives: big enough for a held-out test part."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 10))
    logit = X[:, 0] * 1.5 + X[:, 1] - 0.8 * X[:, 2] ** 2 + 1.2 * np.sign(X[:, 3] * X[:, 4]) - 3.8
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    frame["target"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return frame


def run(quick: bool = False) -> list[dict]:
    tables = [("breast cancer (569 rows, binary)", _frame(load_breast_cancer), "binary"),
              ("wine (178 rows, 3 classes)", _frame(load_wine), "multiclass"),
              ("diabetes (442 rows, regression)", _frame(load_diabetes), "regression")]
    if not quick:
        tables.append(("synthetic 4,000 rows, 5% positives", _rare(), "binary"))
    rows = []
    for name, frame, task in tables:
        start = time.perf_counter()
        result = train(frame, TrainSettings(target="target", task=task, folds=3 if quick else 5, importance=False))
        seconds = time.perf_counter() - start
        metric = result.metric
        singles = [r for r in result.results if r.status == "finished" and r.model not in ("dummy", ENSEMBLE)]
        sign = 1 if metric in LOWER_IS_BETTER else -1
        best = min(singles, key=lambda r: sign * r.metrics[metric])
        ensemble = next((r for r in result.results if r.model == ENSEMBLE), None)
        ours = ensemble.metrics[metric] if ensemble else best.metrics[metric]
        rows.append({"figure": f"{name}: CV {metric} of the ensemble ({'kept' if ensemble else 'not kept'}) "
                               f"[{seconds:.0f}s in all]",
                     "ours": ours, "unit": "", "baseline_label": f"best single ({best.model})",
                     "baseline": best.metrics[metric], "target": "≥ baseline" if sign < 0 else "≤ baseline"})
        if ensemble is not None and ensemble.test_metrics and best.test_metrics:
            rows.append({"figure": f"{name}: held-out test {metric} ({result.n_test_rows} rows)",
                         "ours": ensemble.test_metrics[metric], "unit": "",
                         "baseline_label": f"best single ({best.model}) on the same rows",
                         "baseline": best.test_metrics[metric], "target": "honest check"})
        calibrated = [r for r in singles if (r.extras.get("calibration") or {}).get("method")]
        shown = calibrated[0] if calibrated else best
        calibration = shown.extras.get("calibration")
        if calibration:
            rows.append({"figure": f"{name}: cross-fitted log loss of {shown.model} after calibration "
                                   f"({calibration['method'] or 'none kept'})",
                         "ours": calibration["log_loss_after"], "unit": "", "baseline_label": "before",
                         "baseline": calibration["log_loss_before"], "target": "≤ baseline"})
    return rows
