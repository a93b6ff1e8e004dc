"""Fitting one model: its whole pipeline, one validation fold or the final refit, with live step reports."""
from __future__ import annotations

import os
import time
import warnings
from typing import Callable

import pandas as pd
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from core.train.importance import score_fold
from core.train.models import get_spec
from core.train.preprocessing import ColumnRoles, PreprocessSettings
from core.train.preprocessing import build_pipeline as build_preprocessed
from core.train.settings import BASELINE

#: Models that hold out part of their training rows to decide when to stop: resampling must come after
#: that split (see `core.train.estimators.Resampled`), or copies of one row would sit on both sides of it.
EARLY_STOPPING_MODELS = frozenset({"lgbm", "xgb", "hgb", "mlp", "resnet"})
#: on_step({"model", "fold", "step", "train", "valid", "metric"}), after each epoch or boosting round.
OnStep = Callable[[dict], None]


class OutOfTime(Exception):
    """Raised before a fit starts once the training's time limit has passed."""


def build_pipeline(model: str, roles: ColumnRoles, task: str, seed: int, *,
                   preprocessing: PreprocessSettings | None = None, params: dict | None = None,
                   smallest_class: int = 6):
    """Preprocessing suited to ``model``'s family followed by the estimator, unfitted."""
    spec = get_spec(model)
    preprocessing = preprocessing or PreprocessSettings()
    class_weight = "balanced" if preprocessing.balance == "class_weight" and task != "regression" \
        and spec.supports_class_weight else None
    estimator = spec.build(task, seed, params, class_weight)
    resampling = "none" if model == BASELINE else "early_stopping" if model in EARLY_STOPPING_MODELS else "model"
    return build_preprocessed(estimator, roles, task, needs_scaling=spec.needs_scaling, tree_based=spec.tree_based,
                              settings=preprocessing, seed=seed, smallest_class=smallest_class, resampling=resampling)


class StepReporter:
    """Turns an estimator's per-epoch / per-round callback into ``on_step`` events of one model and fold."""

    def __init__(self, on_step: OnStep, model: str, fold: int | str):
        self.on_step, self.model, self.fold = on_step, model, fold

    def __call__(self, info: dict):
        step = info.get("step", info.get("epoch"))
        train_value = info.get("train", info.get("train_loss"))
        valid_value = info.get("valid", info.get("val_loss"))
        self.on_step({"model": self.model, "fold": self.fold, "step": step, "train": train_value,
                      "valid": valid_value, "metric": info.get("metric", "loss")})


def _with_reporter(pipeline, on_step, model: str, fold: int | str):
    """A fresh copy of ``pipeline`` whose estimator reports each epoch / round to ``on_step``, if it can."""
    copy = clone(pipeline)
    estimator = copy.steps[-1][1]
    if on_step is not None and "callback" in estimator.get_params(deep=False):
        copy.set_params(model__callback=StepReporter(on_step, model, fold))
    return copy


def _without_reporter(pipeline):
    estimator = pipeline.steps[-1][1]
    if "callback" in estimator.get_params(deep=False):
        estimator.set_params(callback=None)  # a fitted model keeps no link to a job's pipe
    return pipeline


def fit_fold(pipeline, X: pd.DataFrame, y, train_idx, valid_idx, task: str, n_classes: int, metric: str, seed: int,
             importance: bool, deadline: float | None, on_step: OnStep | None = None, model: str = "",
             fold: int = 0):
    """Fit a copy of ``pipeline`` on one fold's training rows and score it on both sides.

    Returns ``({"train": metrics, "valid": metrics}, predictions, probabilities, permutation importance
    or None, fit seconds)``, the predictions and probabilities being those of the validation rows.
    Raises `OutOfTime` instead of starting after ``deadline`` (a ``time.perf_counter()`` value).
    """
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime()
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        fitted = _with_reporter(pipeline, on_step, model, fold).fit(X.iloc[train_idx], y[train_idx])
        seconds = time.perf_counter() - start
        train_scores, valid_scores, pred, proba, perm = score_fold(fitted, X, y, train_idx, valid_idx, task,
                                                                   n_classes, metric, seed, importance)
    return {"train": train_scores, "valid": valid_scores}, pred, proba, perm, seconds


def fit_final(pipeline, X: pd.DataFrame, y, deadline: float | None, on_step: OnStep | None = None, model: str = ""):
    """A copy of ``pipeline`` fitted on all of ``X``, unless ``deadline`` has passed (`OutOfTime`)."""
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime()
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")
        return _without_reporter(_with_reporter(pipeline, on_step, model, "final").fit(X, y))


def one_thread():
    """Hold this thread's OpenMP fits (HistGradientBoosting) to one thread: the folds already run one per
    core, and two OpenMP threads per fit on a busy two-core machine wait on each other (a 344-row fit took
    7-60 s instead of 0.3 s). The limit is the calling thread's own; other threads keep theirs."""
    return threadpool_limits(limits=1, user_api="openmp")


def n_jobs(n_tasks: int) -> int:
    """How many fits to run at once: one per core, never more than there are fits."""
    return max(1, min(n_tasks, os.cpu_count() or 1))


def learning_curve(pipeline) -> dict:
    """The fitted estimator's training history (per epoch or boosting round), or {} if it keeps none."""
    model = pipeline.steps[-1][1]
    if hasattr(model, "learning_curve_"):
        return dict(model.learning_curve_, unit="round")
    if hasattr(model, "history_"):
        history = model.history_
        return {"metric": "loss", "unit": "epoch", "train": [h.get("train_loss") for h in history],
                "valid": [h.get("val_loss") for h in history]}
    if getattr(model, "validation_score_", None) is not None and len(model.validation_score_):
        return {"metric": "score", "unit": "round", "train": list(map(float, model.train_score_)),
                "valid": list(map(float, model.validation_score_))}
    return {}
