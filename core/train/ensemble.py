"""A model made of the job's models: greedy ensemble selection (Caruana et al. 2004) over out-of-fold predictions.

Every model of a comparison is validated on the same folds, so each has an out-of-fold prediction for
every row. Starting from the best single model, the selection adds, one at a time and with
replacement, the model whose predictions most improve the ranking metric of the average, and keeps
the best point of that path; how often each model was added becomes its weight (as AutoGluon's and
auto-sklearn's weighted ensembles do). The weighted average of the members' refitted pipelines,
`EnsemblePipeline`, predicts like any pipeline and is saved as the ensemble run's bundle.

The ensemble's cross-validated scores come from the weighted out-of-fold predictions; the weights
were chosen on those same predictions, so they are slightly optimistic: the held-out test part (when
the table is big enough) is the honest check.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.train.metrics import class_probabilities, fast_metric
from core.train.settings import ENSEMBLE, LOWER_IS_BETTER, metrics_for  # noqa: F401 (ENSEMBLE: read from here too)
#: Rounds of greedy selection (AutoGluon's default is 25).
ROUNDS = 25


def _score(metric: str, task: str, y: np.ndarray, blended: np.ndarray) -> float:
    if task == "regression":
        return fast_metric(metric, y, blended)
    return fast_metric(metric, y, blended.argmax(axis=1), blended)


def greedy_selection(predictions: list[np.ndarray], y: np.ndarray, metric: str, task: str,
                     rounds: int = ROUNDS) -> tuple[np.ndarray, float, list[float]]:
    """Weights of the models whose average of ``predictions`` scores best on ``metric``.

    Parameters
    ----------
    predictions : list of arrays, each of shape (n,) (regression) or (n, k) (class probabilities)
        Each model's out-of-fold predictions of the same rows, in the same order.
    y : array of shape (n,)
    metric : str
        A metric of `core.train.metrics.METRIC_FUNCTIONS`; lower is better for those in ``LOWER_IS_BETTER``.

    Returns ``(weights of shape (n_models,) summing to 1, best score, score after each round)``.
    """
    sign = 1.0 if metric in LOWER_IS_BETTER else -1.0
    preds = [np.asarray(p, dtype=float) for p in predictions]
    counts = np.zeros(len(preds), dtype=int)
    total = np.zeros_like(preds[0])
    path, best_counts, best_score = [], None, None
    for step in range(1, rounds + 1):
        scores = [sign * _score(metric, task, y, (total + p) / step) for p in preds]
        scores = [np.inf if np.isnan(s) else s for s in scores]
        chosen = int(np.argmin(scores))
        counts[chosen] += 1
        total = total + preds[chosen]
        score = sign * scores[chosen]
        path.append(float(score))
        if best_score is None or sign * score < sign * best_score - 1e-12:
            best_score, best_counts = score, counts.copy()
    return best_counts / best_counts.sum(), float(best_score), path


class EnsemblePipeline:
    """A weighted average of fitted pipelines that predicts like one pipeline (and pickles as one).

    For classification ``predict_proba`` is the weighted average of the members' probabilities (one
    column per class code, ``classes_`` = codes 0..k-1) and ``predict`` its most likely class; for
    regression ``predict`` is the weighted average of the members' predictions.
    """

    def __init__(self, members: list[tuple[str, object]], weights, task: str, n_classes: int = 0):
        self.members = members
        self.weights = weights
        self.task = task
        self.n_classes = n_classes

    @property
    def classes_(self) -> np.ndarray:
        return np.arange(self.n_classes)

    @property
    def member_weights(self) -> dict[str, float]:
        return {name: float(w) for (name, _), w in zip(self.members, self.weights)}

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        if self.task == "regression":
            raise AttributeError("a regression ensemble has no probabilities")
        return sum(w * class_probabilities(p, X, self.n_classes) for (_, p), w in zip(self.members, self.weights))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        if self.task == "regression":
            return sum(w * np.asarray(p.predict(X), dtype=float) for (_, p), w in zip(self.members, self.weights))
        return self.predict_proba(X).argmax(axis=1)


def _oof_matrix(oof: pd.DataFrame, task: str, n_classes: int) -> np.ndarray:
    if task == "regression":
        return oof["y_pred"].to_numpy(dtype=float)
    return oof[[f"proba_{j}" for j in range(n_classes)]].to_numpy(dtype=float)


def candidates(results, baseline: str) -> list:
    """The finished models (not the baseline) whose out-of-fold predictions cover the same rows in the same order."""
    usable = [r for r in results if r.status == "finished" and r.model != baseline and r.oof is not None
              and r.pipeline is not None and len(r.oof)]
    if not usable:
        return []
    rows = usable[0].oof["row"].to_numpy()
    return [r for r in usable if np.array_equal(r.oof["row"].to_numpy(), rows)]


def blend(oof_frames: list[pd.DataFrame], weights: np.ndarray, task: str, n_classes: int) -> pd.DataFrame:
    """The weighted out-of-fold predictions in the stored shape (``row, fold, y_true, y_pred, proba_<code>``)."""
    first = oof_frames[0]
    out = first[["row", "fold", "y_true"]].copy()
    mixed = sum(w * _oof_matrix(f, task, n_classes) for f, w in zip(oof_frames, weights))
    if task == "regression":
        out["y_pred"] = mixed
    else:
        out["y_pred"] = mixed.argmax(axis=1)
        for j in range(n_classes):
            out[f"proba_{j}"] = mixed[:, j]
    return out


def fold_scores(oof: pd.DataFrame, task: str, n_classes: int) -> list[dict]:
    """All metrics of ``task`` on each fold's rows of a blended out-of-fold frame, in fold order."""
    scores = []
    for _, part in oof.groupby("fold", sort=True):
        y = part["y_true"].to_numpy()
        if task == "regression":
            y, pred, proba = y.astype(float), part["y_pred"].to_numpy(float), None
        else:
            y, pred = y.astype(int), part["y_pred"].to_numpy(int)
            proba = part[[f"proba_{j}" for j in range(n_classes)]].to_numpy(float)
        scores.append({name: fast_metric(name, y, pred, proba) for name in metrics_for(task)})
    return scores


def select(results, metric: str, task: str, n_classes: int, baseline: str, rounds: int = ROUNDS) -> dict | None:
    """The ensemble of ``results`` (a comparison's `ModelResult` list), or None with fewer than two candidates.

    Returns ``{"weights": {model: weight}, "score", "best_single", "best_single_score", "beats", "oof",
    "pipeline", "folds"}``: ``beats`` is True when the ensemble scores better than the best single model
    on the out-of-fold rows; ``folds`` holds each fold's metrics of the blended predictions.
    """
    pool = candidates(results, baseline)
    if len(pool) < 2:
        return None
    y = pool[0].oof["y_true"].to_numpy()
    y = y.astype(float) if task == "regression" else y.astype(int)
    preds = [_oof_matrix(r.oof, task, n_classes) for r in pool]
    weights, score, _ = greedy_selection(preds, y, metric, task, rounds)
    singles = [_score(metric, task, y, p) for p in preds]
    sign = 1.0 if metric in LOWER_IS_BETTER else -1.0
    best_i = int(np.nanargmin([sign * s for s in singles]))
    beats = bool(sign * score < sign * singles[best_i] - 1e-12 and np.count_nonzero(weights) > 1)
    keep = np.flatnonzero(weights)
    members = [(pool[i].model, pool[i].pipeline) for i in keep]
    oof = blend([pool[i].oof for i in keep], weights[keep], task, n_classes)
    return {"weights": {pool[i].model: float(weights[i]) for i in keep}, "score": score,
            "best_single": pool[best_i].model, "best_single_score": float(singles[best_i]), "beats": beats,
            "oof": oof, "pipeline": EnsemblePipeline(members, weights[keep], task, n_classes),
            "folds": fold_scores(oof, task, n_classes)}
