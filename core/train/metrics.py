"""The metrics of a task: scikit-learn's for the scores a run keeps, numpy copies for scoring hundreds of times.

Permutation importance scores one prediction block per shuffled column; scikit-learn's input
validation would cost more than the scoring itself there, so `fast_metric` computes the same
numbers with numpy. Tests check every fast metric against scikit-learn's on random inputs.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn import metrics as skm

from core.train.settings import metrics_for


def _auc(y, pred, proba):
    if proba is None:
        return np.nan
    try:
        if proba.shape[1] == 2:
            return skm.roc_auc_score(y, proba[:, 1])
        return skm.roc_auc_score(y, proba, multi_class="ovr", labels=np.arange(proba.shape[1]))
    except ValueError:  # a validation fold holding one class has no AUC
        return np.nan


def _log_loss(y, pred, proba):
    if proba is None:
        return np.nan
    return skm.log_loss(y, np.clip(proba, 1e-15, 1), labels=np.arange(proba.shape[1]))


#: metric name -> function(y_true, y_pred, proba)
METRIC_FUNCTIONS = {
    "accuracy": lambda y, p, _: skm.accuracy_score(y, p),
    "balanced_accuracy": lambda y, p, _: skm.balanced_accuracy_score(y, p),
    "precision_macro": lambda y, p, _: skm.precision_score(y, p, average="macro", zero_division=0),
    "recall_macro": lambda y, p, _: skm.recall_score(y, p, average="macro", zero_division=0),
    "f1_macro": lambda y, p, _: skm.f1_score(y, p, average="macro", zero_division=0),
    "f1_weighted": lambda y, p, _: skm.f1_score(y, p, average="weighted", zero_division=0),
    "roc_auc": _auc,
    "log_loss": _log_loss,
    "rmse": lambda y, p, _: np.sqrt(skm.mean_squared_error(y, p)),
    "mae": lambda y, p, _: skm.mean_absolute_error(y, p),
    "mape": lambda y, p, _: skm.mean_absolute_percentage_error(y, p),
    "r2": lambda y, p, _: skm.r2_score(y, p),
    "mse": lambda y, p, _: skm.mean_squared_error(y, p),
}


def metric_value(metric: str, y_true: np.ndarray, y_pred: np.ndarray, proba: np.ndarray | None = None) -> float:
    """One metric (see `compute_metrics` for the arguments)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(METRIC_FUNCTIONS[metric](y_true, y_pred, proba))


def compute_metrics(task: str, y_true: np.ndarray, y_pred: np.ndarray, proba: np.ndarray | None = None) -> dict:
    """All metrics of ``task`` for one set of predictions.

    Parameters
    ----------
    y_true, y_pred : arrays of shape (n,)
        Integer class codes (classification) or numbers (regression).
    proba : array of shape (n, n_classes), optional
        Class probabilities, columns in code order; needed for ``roc_auc`` and ``log_loss``.
    """
    return {name: _kept_metric(name, y_true, y_pred, proba) for name in metrics_for(task)}


def _kept_metric(name: str, y_true, y_pred, proba) -> float:
    """`fast_metric`, with scikit-learn's answer where the two would differ: a multiclass AUC over rows
    that lack a class is undefined (NaN), not the mean over the classes present. scikit-learn's input
    checks cost more than the scoring on small tables (eight metrics for every fold, on both sides)."""
    if name == "roc_auc" and proba is not None and proba.shape[1] > 2 and \
            len(np.unique(y_true)) < proba.shape[1]:
        return np.nan
    return fast_metric(name, y_true, y_pred, proba)


def class_probabilities(pipeline, X: pd.DataFrame, n_classes: int) -> np.ndarray:
    """Probabilities with one column per class code, even for a model that saw fewer classes."""
    proba = pipeline.predict_proba(X)
    full = np.zeros((X.shape[0], n_classes))
    full[:, np.asarray(pipeline.classes_, dtype=int)] = proba
    return full


def score_pipeline(fitted, X: pd.DataFrame, y: np.ndarray, task: str, n_classes: int):
    """``(metrics, predictions, probabilities)`` of a fitted pipeline on rows ``X`` with answers ``y``.

    Probabilities (shape (n, n_classes)) are None for regression; predictions are class codes or numbers.
    """
    if task == "regression":
        pred = fitted.predict(X)
        return compute_metrics(task, y, pred), pred, None
    proba = class_probabilities(fitted, X, n_classes)
    pred = proba.argmax(axis=1)
    return compute_metrics(task, y, pred, proba), pred, proba


# -- the same metrics in numpy, for scoring many prediction blocks --------------------------------

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


def fast_metric(name: str, y, pred, proba=None) -> float:
    """The metric ``name`` (one of `METRIC_FUNCTIONS`), equal to `metric_value` but computed with numpy."""
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
        # one-vs-rest over the classes present (a class absent from the rows has no AUC)
        aucs = [binary_auc(y == c, proba[:, c]) for c in range(proba.shape[1]) if np.any(y == c)]
        return float(np.mean(aucs)) if aucs and not np.isnan(aucs).any() else np.nan
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
        if total > 0:
            return float(1 - np.sum(err ** 2) / total)
        return 1.0 if not np.any(err) else 0.0  # a constant target: as scikit-learn's r2_score
    raise KeyError(name)
