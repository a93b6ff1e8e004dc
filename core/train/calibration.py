"""Probabilities users can read: isotonic or sigmoid calibration fitted on out-of-fold predictions, kept as data.

A model's probabilities are often too sure or too timid. A map from each class's probability to a
better one is fitted on the out-of-fold predictions (rows no model saw while fitting). Which map to use,
if any, is decided honestly: each map is cross-fitted (fitted on four fifths of the out-of-fold rows,
applied to the fifth left out) and kept only when it lowers the log loss there. The chosen map is
then refitted on all out-of-fold rows and stored in the model bundle as plain numbers (JSON), so
prediction applies it with `apply_calibration` and no pickled object.
"""
from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression

from core.train.metrics import fast_metric

METHODS = ("isotonic", "sigmoid")
CROSS_FOLDS = 5
#: A calibration must lower the cross-fitted log loss by at least this much to be used.
MIN_GAIN = 1e-4
EPS = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p / (1 - p))


def fit_map(method: str, score: np.ndarray, hit: np.ndarray) -> dict:
    """One class's map from probability to calibrated probability, as JSON-able numbers.

    ``isotonic``: the steps ``{"x": [...], "y": [...]}`` of a non-decreasing fit, interpolated between.
    ``sigmoid``: ``{"a", "b"}`` of ``1 / (1 + exp(-(a * logit(p) + b)))`` (Platt scaling on the logit).
    """
    score, hit = np.asarray(score, dtype=float), np.asarray(hit, dtype=float)
    if method == "isotonic":
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(score, hit)
        return {"x": [float(v) for v in iso.X_thresholds_], "y": [float(v) for v in iso.y_thresholds_]}
    if method == "sigmoid":
        if hit.min() == hit.max():
            return {"a": 0.0, "b": float(_logit(np.array([hit.mean()]))[0])}
        a, b = _platt(_logit(score), hit)
        return {"a": a, "b": b}
    raise KeyError(method)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))


def _platt(x: np.ndarray, hit: np.ndarray, steps: int = 50) -> tuple[float, float]:
    """``(a, b)`` of the logistic fit ``hit ~ sigmoid(a * x + b)`` by Newton's method (two parameters, a
    whisker of ridge so that perfectly separated data still gives finite numbers)."""
    w = np.array([1.0, 0.0])
    design = np.column_stack([x, np.ones_like(x)])
    ridge = 1e-6 * np.eye(2)
    for _ in range(steps):
        p = _sigmoid(design @ w)
        gradient = design.T @ (p - hit) + ridge @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + ridge
        step = np.linalg.solve(hessian, gradient)
        step *= min(1.0, 5.0 / max(np.abs(step).max(), 1e-12))  # damped, so a separable fit cannot run away
        w = w - step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def apply_map(mapping: dict, score: np.ndarray) -> np.ndarray:
    """`fit_map`'s map applied to probabilities ``score``."""
    score = np.asarray(score, dtype=float)
    if "x" in mapping:
        return np.interp(score, mapping["x"], mapping["y"]) if len(mapping["x"]) else score
    return _sigmoid(mapping["a"] * _logit(score) + mapping["b"])


def _fit(method: str, proba: np.ndarray, y: np.ndarray) -> dict:
    k = proba.shape[1]
    classes = [1] if k == 2 else range(k)
    return {"method": method, "maps": [fit_map(method, proba[:, c], (y == c).astype(float)) for c in classes]}


def apply_calibration(proba: np.ndarray, calibration: dict | None) -> np.ndarray:
    """Probabilities of shape (n, k) after a stored calibration (unchanged when there is none).

    Two classes: the second class's probability is mapped and the first is its complement. More
    classes: each class is mapped one-vs-rest and each row renormalised to sum to 1.
    """
    proba = np.asarray(proba, dtype=float)
    if not calibration or not calibration.get("method"):
        return proba
    maps = calibration["maps"]
    if proba.shape[1] == 2:
        p1 = np.clip(apply_map(maps[0], proba[:, 1]), 0.0, 1.0)
        return np.column_stack([1 - p1, p1])
    out = np.column_stack([apply_map(m, proba[:, c]) for c, m in enumerate(maps)])
    out = np.clip(out, EPS, None)
    return out / out.sum(axis=1, keepdims=True)


def _cross_folds(rows: np.ndarray, seed: int, folds: int) -> np.ndarray:
    """A fold number per out-of-fold prediction, the same for every prediction of one table row (repeats)."""
    unique = np.unique(rows)
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = dict(zip(unique[order], np.arange(len(unique)) % folds))
    return np.array([fold_of[r] for r in rows])


def cross_fitted(method: str, proba: np.ndarray, y: np.ndarray, rows: np.ndarray, seed: int,
                 folds: int = CROSS_FOLDS) -> np.ndarray:
    """Calibrated probabilities of every out-of-fold prediction, each from a map fitted without its row."""
    fold = _cross_folds(rows, seed, folds)
    out = np.empty_like(proba, dtype=float)
    for f in range(folds):
        held = fold == f
        if not held.any():
            continue
        out[held] = apply_calibration(proba[held], _fit(method, proba[~held], y[~held]))
    return out


def choose_calibration(proba: np.ndarray, y: np.ndarray, rows: np.ndarray | None = None, seed: int = 0) -> dict:
    """The calibration to use for a classifier, from its out-of-fold probabilities.

    Parameters
    ----------
    proba : array of shape (n, k)
        Out-of-fold probabilities, one column per class code.
    y : array of shape (n,)
        Class codes.
    rows : array of shape (n,), optional
        The table row of each prediction (repeated validation predicts a row more than once).

    Returns ``{"method": None or "isotonic" or "sigmoid", "maps": [...], "log_loss_before",
    "log_loss_after", "tried": {method: cross-fitted log loss}}``; ``method`` is None when no map lowers
    the cross-fitted log loss by `MIN_GAIN`, and the probabilities are then used as they are.
    """
    proba, y = np.asarray(proba, dtype=float), np.asarray(y).astype(int)
    rows = np.arange(len(y)) if rows is None else np.asarray(rows)
    before = fast_metric("log_loss", y, None, proba)
    tried = {}
    if len(np.unique(rows)) >= 2 * CROSS_FOLDS and len(np.unique(y)) > 1:
        for method in METHODS:
            tried[method] = fast_metric("log_loss", y, None, cross_fitted(method, proba, y, rows, seed))
    best = min(tried, key=tried.get) if tried else None
    if best is None or tried[best] > before - MIN_GAIN:
        return {"method": None, "maps": [], "log_loss_before": before, "log_loss_after": before, "tried": tried}
    return dict(_fit(best, proba, y), log_loss_before=before, log_loss_after=tried[best], tried=tried)


def cross_fitted_for(calibration: dict, proba: np.ndarray, y: np.ndarray, rows: np.ndarray | None = None,
                     seed: int = 0) -> np.ndarray:
    """The honest (cross-fitted) calibrated out-of-fold probabilities of a chosen calibration, for charts."""
    if not calibration or not calibration.get("method"):
        return np.asarray(proba, dtype=float)
    rows = np.arange(len(y)) if rows is None else np.asarray(rows)
    return cross_fitted(calibration["method"], np.asarray(proba, dtype=float), np.asarray(y).astype(int), rows, seed)
