"""Numpy versions of the metrics, equal to scikit-learn's, for loops that score hundreds of times.

Permutation importance scores one prediction block per shuffled column; scikit-learn's input
validation would cost more than the scoring itself there. Tests check every function against
scikit-learn's on random inputs.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def _confusion(y, p, k):
    return np.bincount(y * k + p, minlength=k * k).reshape(k, k)


def _prf(y, p):
    k = int(max(y.max(), p.max())) + 1
    cm = _confusion(y.astype(int), p.astype(int), k)
    tp = np.diag(cm).astype(float)
    support, predicted = cm.sum(axis=1), cm.sum(axis=0)
    present = (support + predicted) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return precision[present], recall[present], f1[present], support[present], support


def binary_auc(y, score):
    """Area under the ROC curve for 0/1 labels ``y`` (ties get half credit, as in scikit-learn)."""
    y = np.asarray(y)
    pos = y == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    if n_pos == 0 or n_neg == 0:
        return np.nan
    ranks = rankdata(score)
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def metric(name: str, y, pred, proba=None) -> float:
    """The metric ``name`` of `core.training.CLASSIFICATION_METRICS` / `REGRESSION_METRICS`."""
    y, pred = np.asarray(y), np.asarray(pred)
    if name == "accuracy":
        return float(np.mean(y == pred))
    if name in ("balanced_accuracy",):
        _, _, _, _, support = _prf(y, pred)
        k = len(support)
        cm = _confusion(y.astype(int), pred.astype(int), k)
        seen = support > 0
        return float(np.mean(np.diag(cm)[seen] / support[seen]))
    if name in ("precision_macro", "recall_macro", "f1_macro", "f1_weighted"):
        precision, recall, f1, support, _ = _prf(y, pred)
        if name == "precision_macro":
            return float(precision.mean())
        if name == "recall_macro":
            return float(recall.mean())
        if name == "f1_macro":
            return float(f1.mean())
        return float((f1 * support).sum() / support.sum())
    if name == "roc_auc":
        if proba is None:
            return np.nan
        if proba.shape[1] == 2:
            return float(binary_auc(y == 1, proba[:, 1]))
        aucs = [binary_auc(y == c, proba[:, c]) for c in range(proba.shape[1])]
        return float(np.mean(aucs))
    if name == "log_loss":
        if proba is None:
            return np.nan
        p = np.clip(proba, 1e-15, 1)
        p = p / p.sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(p[np.arange(len(y)), y.astype(int)])))
    err = y.astype(float) - pred.astype(float)
    if name == "mse":
        return float(np.mean(err ** 2))
    if name == "rmse":
        return float(np.sqrt(np.mean(err ** 2)))
    if name == "mae":
        return float(np.mean(np.abs(err)))
    if name == "mape":
        return float(np.mean(np.abs(err) / np.maximum(np.abs(y.astype(float)), np.finfo(np.float64).eps)))
    if name == "r2":
        total = np.sum((y - y.mean()) ** 2)
        return float(1 - np.sum(err ** 2) / total) if total > 0 else np.nan
    raise KeyError(name)
