"""The decision threshold of a two-class model: chosen on out-of-fold probabilities, applied to predictions.

A binary model gives the probability of the second class (code 1); the label is that class when the
probability is at least the threshold. 0.5 is what ``argmax`` does; for rare positives a lower
threshold usually finds more of them at the cost of more false alarms. The threshold is chosen on the
out-of-fold probabilities for the run's own metric when it depends on the labels (accuracy, F1 …),
else for the F1 of the positive class, or for balanced accuracy (Youden's J) when the user asks.
"""
from __future__ import annotations

import numpy as np

#: What a threshold can be chosen for: F1 of the positive class, or the balance of both classes' recall.
GOALS = ("f1", "balanced")
DEFAULT_GOAL = "f1"
#: Run metrics that depend on the labels, so a threshold can be chosen for them directly.
LABEL_METRICS = ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted", "precision_macro", "recall_macro")
#: At most this many candidate thresholds are tried (quantiles of the probabilities, plus 0.5).
MAX_CANDIDATES = 1000


def goal_metric(run_metric: str | None, goal: str | None = None) -> str:
    """What the threshold maximises: ``balanced_accuracy`` when asked for the balance, the run's metric
    when it depends on labels, else ``f1`` (the positive class's F1)."""
    if goal == "balanced":
        return "balanced_accuracy"
    if run_metric in LABEL_METRICS:
        return run_metric
    return "f1"


def counts_at(y: np.ndarray, p: np.ndarray, thresholds: np.ndarray) -> dict[str, np.ndarray]:
    """True/false positives and negatives at each threshold (predict 1 when ``p >= threshold``).

    Parameters
    ----------
    y : array of shape (n,), 0/1
    p : array of shape (n,), probability of class 1
    thresholds : array of shape (m,)

    Returns ``{"tp", "fp", "fn", "tn"}``, each an integer array of shape (m,).
    """
    y = np.asarray(y).astype(int)
    p = np.asarray(p, dtype=float)
    thresholds = np.atleast_1d(np.asarray(thresholds, dtype=float))
    pos_scores, neg_scores = np.sort(p[y == 1]), np.sort(p[y == 0])
    tp = len(pos_scores) - np.searchsorted(pos_scores, thresholds, side="left")
    fp = len(neg_scores) - np.searchsorted(neg_scores, thresholds, side="left")
    return {"tp": tp, "fp": fp, "fn": len(pos_scores) - tp, "tn": len(neg_scores) - fp}


def metric_from_counts(name: str, c: dict[str, np.ndarray]) -> np.ndarray:
    """``name`` (``f1`` or one of `LABEL_METRICS`) for each set of counts from `counts_at`."""
    tp, fp, fn, tn = (c[k].astype(float) for k in ("tp", "fp", "fn", "tn"))
    n = tp + fp + fn + tn

    def ratio(a, b):
        return np.divide(a, b, out=np.zeros_like(a), where=b > 0)

    f1_pos, f1_neg = ratio(2 * tp, 2 * tp + fp + fn), ratio(2 * tn, 2 * tn + fn + fp)
    recall_pos, recall_neg = ratio(tp, tp + fn), ratio(tn, tn + fp)
    if name == "f1":
        return f1_pos
    if name == "accuracy":
        return ratio(tp + tn, n)
    if name in ("balanced_accuracy", "recall_macro"):
        return (recall_pos + recall_neg) / 2
    if name == "f1_macro":
        return (f1_pos + f1_neg) / 2
    if name == "f1_weighted":
        return ratio(f1_pos * (tp + fn) + f1_neg * (tn + fp), n)
    if name == "precision_macro":
        return (ratio(tp, tp + fp) + ratio(tn, tn + fn)) / 2
    raise KeyError(name)


def candidates(p: np.ndarray) -> np.ndarray:
    """Thresholds worth trying: every distinct probability (or `MAX_CANDIDATES` quantiles of them) and 0.5."""
    values = np.unique(np.asarray(p, dtype=float))
    if len(values) > MAX_CANDIDATES:
        values = np.unique(np.quantile(values, np.linspace(0, 1, MAX_CANDIDATES)))
    return np.unique(np.append(values, 0.5))


def best_threshold(y: np.ndarray, p: np.ndarray, metric: str = "f1") -> tuple[float, float]:
    """``(threshold, metric value)`` that maximises ``metric`` on these labels and probabilities.

    Among equally good thresholds the one nearest 0.5 wins, so a threshold only moves when that pays.
    """
    grid = candidates(p)
    values = metric_from_counts(metric, counts_at(y, p, grid))
    best = values.max()
    ties = grid[values >= best - 1e-12]
    chosen = float(ties[np.argmin(np.abs(ties - 0.5))])
    return chosen, float(best)


def choose(y: np.ndarray, proba: np.ndarray, run_metric: str | None, goal: str | None = None) -> dict:
    """The decision of a binary run from its out-of-fold ``proba`` (shape (n, 2)): the threshold, what it
    maximises, and that metric at the threshold and at 0.5 (both on the same out-of-fold rows)."""
    metric = goal_metric(run_metric, goal)
    p = np.asarray(proba)[:, 1]
    threshold, value = best_threshold(y, p, metric)
    at_half = float(metric_from_counts(metric, counts_at(y, p, [0.5]))[0])
    return {"threshold": threshold, "goal": goal or DEFAULT_GOAL, "metric": metric, "value": value,
            "value_at_half": at_half}


def stored_threshold(sidecar: dict) -> float:
    """The threshold a bundle's sidecar holds (0.5 for bundles saved before thresholds were kept)."""
    decision = sidecar.get("decision") or {}
    value = decision.get("threshold")
    return 0.5 if value is None else float(value)


def decide(proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Class codes from probabilities of shape (n, k): for two classes, 1 when ``proba[:, 1] >= threshold``
    (0.5 when None); otherwise the most likely class."""
    proba = np.asarray(proba)
    if proba.shape[1] == 2:
        return (proba[:, 1] >= (0.5 if threshold is None else threshold)).astype(int)
    return proba.argmax(axis=1)
