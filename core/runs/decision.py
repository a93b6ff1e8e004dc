"""A run's decision threshold, calibration and search trials as the run page shows them, from what the run stored.

The counts at a threshold are those of the out-of-fold predictions after the run's calibration (the
probabilities Predict compares with the threshold). The "after" calibration curve uses cross-fitted
calibrated probabilities, each from a map fitted without its row, so the chart does not flatter it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.train.calibration import apply_calibration, cross_fitted_for
from core.train.threshold import counts_at


def _proba(oof: pd.DataFrame, n_classes: int) -> np.ndarray | None:
    columns = [f"proba_{j}" for j in range(n_classes)]
    if not len(oof) or not all(c in oof.columns for c in columns):
        return None
    return oof[columns].to_numpy(dtype=float)


def has_threshold(details) -> bool:
    """Whether the run is a two-class classifier with stored probabilities (so a threshold applies)."""
    return details.run.task == "binary" and _proba(details.oof, 2) is not None


def calibrated_positive(details) -> tuple[np.ndarray, np.ndarray]:
    """``(y, p)``: each out-of-fold row's class code and calibrated probability of class 1, as Predict sees it."""
    proba = apply_calibration(_proba(details.oof, 2), details.run.settings.get("calibration"))
    return details.oof["y_true"].to_numpy(dtype=int), proba[:, 1]


def at_threshold(details, threshold: float) -> dict:
    """The 2×2 counts (``tp, fp, fn, tn``), recall and precision of the positive class at ``threshold``."""
    y, p = calibrated_positive(details)
    c = {k: int(v[0]) for k, v in counts_at(y, p, [threshold]).items()}
    positives, predicted = c["tp"] + c["fn"], c["tp"] + c["fp"]
    c["positives"] = positives
    c["recall"] = c["tp"] / positives if positives else 0.0
    c["precision"] = c["tp"] / predicted if predicted else 0.0
    return c


def confusion_frame(counts: dict, labels: list[str], actual: str, predicted: str) -> pd.DataFrame:
    """The counts as a table: one row per actual class, one column per predicted class (``{label}`` filled in)."""
    neg, pos = labels
    return pd.DataFrame([[counts["tn"], counts["fp"]], [counts["fn"], counts["tp"]]],
                        index=[actual.format(label=neg), actual.format(label=pos)],
                        columns=[predicted.format(label=neg), predicted.format(label=pos)])


def calibrated_oof(details) -> pd.DataFrame | None:
    """The out-of-fold frame with cross-fitted calibrated probabilities, or None when the run uses no calibration."""
    calibration = details.run.settings.get("calibration") or {}
    if not calibration.get("method") or not len(details.oof):
        return None
    n = len([c for c in details.oof.columns if str(c).startswith("proba_")])
    proba = _proba(details.oof, n)
    if proba is None:
        return None
    after = cross_fitted_for(calibration, proba, details.oof["y_true"].to_numpy(dtype=int),
                             details.oof["row"].to_numpy(), int(calibration.get("seed", 0)))
    out = details.oof.copy()
    for j in range(n):
        out[f"proba_{j}"] = after[:, j]
    return out


def trials_frame(run) -> pd.DataFrame:
    """The search's trials of a tuned run: ``number, value, state, folds`` and one column per setting."""
    trials = run.settings.get("trials") or []
    rows = [dict({"number": t["number"], "value": t.get("value"), "state": t["state"], "folds": t.get("folds")},
                 **t.get("params", {})) for t in trials]
    return pd.DataFrame(rows)
