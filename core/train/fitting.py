"""Fitting one model: its whole pipeline, one validation fold or the final refit, with live step reports."""
from __future__ import annotations

import os
import time
import warnings
from typing import Callable

import numpy as np
import pandas as pd
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from threadpoolctl import threadpool_limits

from core.train.importance import permutation_importance, score_fold, scoring_rows
from core.train.metrics import score_pipeline
from core.train.models import get_spec, size_caps
from core.train.prepared import PreparedFolds
from core.train.preprocessing import ColumnRoles, PreprocessSettings
from core.train.preprocessing import build_pipeline as build_preprocessed
from core.train.settings import BASELINE

#: Models that hold out part of their training rows to decide when to stop: resampling must come after
#: that split (see `core.train.estimators.Resampled`), or copies of one row would sit on both sides of it.
EARLY_STOPPING_MODELS = frozenset({"lgbm", "xgb", "hgb", "mlp", "resnet"})
#: The training-side scores of a fold (over-fitting shown on the Runs page) use at most this many of its rows.
TRAIN_SCORE_ROWS = 10_000
#: on_step({"model", "fold", "step", "train", "valid", "metric"}), after each epoch or boosting round.
OnStep = Callable[[dict], None]


class OutOfTime(Exception):
    """Raised before a fit starts once the training's time limit has passed."""


def one_thread():
    """A context in which BLAS (linear algebra) and OpenMP (HistGradientBoosting) use one thread.

    The fits of a comparison already run one per core: letting each also start a thread per core makes
    the threads wait on each other, and on a shared 2-core machine a 10k-row logistic regression took
    20 s instead of 2. The OpenMP setting belongs to the calling thread, so every fit sets it; the BLAS
    one is global, so `core.train.train` also holds it for the whole comparison (a fit ending would
    otherwise give the other fit's BLAS its threads back).
    """
    return threadpool_limits(limits=1)


def build_pipeline(model: str, roles: ColumnRoles, task: str, seed: int, *,
                   preprocessing: PreprocessSettings | None = None, params: dict | None = None,
                   smallest_class: int = 6, n_rows: int = 0):
    """Preprocessing suited to ``model``'s family followed by the estimator, unfitted.

    ``n_rows`` (the rows the comparison learns from) and the columns of ``roles`` give big tables the quicker
    settings of `core.train.models.size_caps`."""
    spec = get_spec(model)
    if model == BASELINE:
        return baseline_pipeline(spec.build(task, seed, params, None))
    preprocessing = preprocessing or PreprocessSettings()
    class_weight = "balanced" if preprocessing.balance == "class_weight" and task != "regression" \
        and spec.supports_class_weight else None
    estimator = spec.build(task, seed, params, class_weight)
    estimator.set_params(**size_caps(model, task, n_rows, params, len(roles.used)))
    resampling = "none" if model == BASELINE else "early_stopping" if model in EARLY_STOPPING_MODELS else "model"
    return build_preprocessed(estimator, roles, task, needs_scaling=spec.needs_scaling, tree_based=spec.tree_based,
                              settings=preprocessing, seed=seed, smallest_class=smallest_class, resampling=resampling)


def baseline_pipeline(estimator):
    """The do-nothing model behind a step that keeps no column: it answers from the target alone, so
    encoding the columns (dates, token lists, categories) for it would only cost time, six times per run."""
    prepare = ColumnTransformer([], remainder="drop", verbose_feature_names_out=False).set_output(transform="pandas")
    return Pipeline([("prepare", prepare), ("model", estimator)])


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
             fold: int = 0, prepared: PreparedFolds | None = None):
    """Fit a copy of ``pipeline`` on one fold's training rows and score it on both sides.

    Returns ``({"train": metrics, "valid": metrics}, predictions, probabilities, permutation importance
    or None, fit seconds)``, the predictions and probabilities being those of the validation rows.
    Raises `OutOfTime` instead of starting after ``deadline`` (a ``time.perf_counter()`` value).
    ``prepared`` shares the fold's prepared columns with the other models of the comparison.
    """
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime()
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        # the training side is scored on a seeded sample: on 80,000 rows it cost as much as a boosted model's fit
        seen = scoring_rows(y[train_idx], task, TRAIN_SCORE_ROWS, np.random.default_rng(seed))
        shared = prepared.get(pipeline, X, y, train_idx, valid_idx, fold) if prepared is not None else None
        if shared is None:
            fitted = _with_reporter(pipeline, on_step, model, fold).fit(X.iloc[train_idx], y[train_idx])
        else:
            step, train_rows, valid_rows = shared
            scored, fitted = _fit_rest(pipeline, step, train_rows, y[train_idx], on_step, model, fold)
            # prepared rows are a frame, or a sparse matrix when text columns go to a linear model
            train_rows = train_rows.iloc[seen] if hasattr(train_rows, "iloc") else train_rows[seen]
        seconds = time.perf_counter() - start
        if shared is None:  # rows through the whole pipeline: scored in as few predict calls as they allow
            train_scores, valid_scores, pred, proba, perm = score_fold(fitted, X, y, train_idx[seen], valid_idx,
                                                                       task, n_classes, metric, seed, importance)
        else:
            train_scores, _, _ = score_pipeline(scored, train_rows, y[train_idx[seen]], task, n_classes)
            valid_scores, pred, proba = score_pipeline(scored, valid_rows, y[valid_idx], task, n_classes)
            perm = permutation_importance(fitted, X.iloc[valid_idx], y[valid_idx], task, metric, seed,
                                          n_classes) if importance else None
    return {"train": train_scores, "valid": valid_scores}, pred, proba, perm, seconds


def _fit_rest(pipeline, step, prepared_rows, y, on_step, model: str, fold):
    """``(the steps after prepare fitted on prepared_rows, the whole pipeline with the shared fitted step)``."""
    copy = _with_reporter(pipeline, on_step, model, fold)
    rest = type(copy)(copy.steps[1:]).fit(prepared_rows, y)
    return rest, type(copy)([(copy.steps[0][0], step)] + rest.steps)


def fit_final(pipeline, X: pd.DataFrame, y, deadline: float | None, on_step: OnStep | None = None, model: str = "",
              prepared: PreparedFolds | None = None):
    """A copy of ``pipeline`` fitted on all of ``X``, unless ``deadline`` has passed (`OutOfTime`)."""
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime()
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")
        shared = prepared.get(pipeline, X, y, np.arange(len(X)), None, "final") if prepared is not None else None
        if shared is None:
            return _without_reporter(_with_reporter(pipeline, on_step, model, "final").fit(X, y))
        step, rows, _ = shared
        return _without_reporter(_fit_rest(pipeline, step, rows, y, on_step, model, "final")[1])


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
