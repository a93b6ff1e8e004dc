"""Training and validation: the same folds for every model, metrics per fold, importance, a ranked comparison."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from core.errors import ColumnError, TargetError, UserError
from core.predict.contract import build_contract
from core.train.fitting import (OnStep, OutOfTime, build_pipeline, fit_final, fit_fold, learning_curve, n_jobs,
                                one_thread)
from core.train.importance import importance_table, model_importance
from core.train.models import SVM_RBF_MAX_ROWS, get_spec, left_out, size_caps
from core.train.preprocessing import ColumnRoles, column_roles, dropped_notes
from core.train.remote import ClusterError, FitRunner
from core.train.settings import (BASELINE, DEFAULT_METRIC, TrainSettings, metric_order, metrics_for,
                                 models_to_train)
from core.train.steps import Step
from core.train.prepared import PreparedFolds
from core.train.bigdata import leave_out, note_quicker_settings
from core.train.splits import make_splits, prepare_target, time_order
from core.train.finishing import finish
from core.train.holdout import hold_out, held_out_share
from core.train.search import tune
from texts import text_for

#: progress(fraction_done in [0, 1], message). It may raise TrainingCancelled to stop.
Progress = Callable[[float, "Step | str"], None]


class TrainingCancelled(Exception):
    """Raised by a progress callback to stop a training between steps."""


@dataclass
class ModelResult:
    """One model's outcome: validation means and spread, per-fold values, importance, the final pipeline."""

    model: str
    status: str  # finished, failed or skipped
    metrics: dict[str, float] = field(default_factory=dict)
    metrics_std: dict[str, float] = field(default_factory=dict)
    train_metrics: dict[str, float] = field(default_factory=dict)
    test_metrics: dict[str, float] = field(default_factory=dict)
    fold_metrics: list[tuple[int, str, str, float]] = field(default_factory=list)
    fit_seconds: float = 0.0
    params: dict = field(default_factory=dict)
    importance: list[dict] = field(default_factory=list)
    features_kept: list[str] = field(default_factory=list)
    features_dropped: list[str] = field(default_factory=list)
    learning_curve: dict = field(default_factory=dict)
    oof: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    pipeline: object | None = None
    error: str | None = None
    #: What comes after the folds: ``calibration``, ``decision`` (threshold), ``trials``, ``tuned``, ``ensemble_mix``.
    extras: dict = field(default_factory=dict)


@dataclass
class TrainResult:
    """A whole comparison: the task and metric, the columns used and their contract, every model's result."""

    task: str
    metric: str
    target: str
    classes: list | None
    roles: ColumnRoles
    contract: dict
    n_rows: int
    n_folds: int
    n_test_rows: int = 0
    notes: list[str] = field(default_factory=list)
    results: list[ModelResult] = field(default_factory=list)
    #: Notes as (catalogue key, values), put into words in the account's language when recorded.
    note_keys: list[tuple[str, dict]] = field(default_factory=list)

    def ranked(self) -> list[ModelResult]:
        """Results best first by ``metric``; failed and skipped models last."""
        return sorted(self.results, key=lambda r: (r.status != "finished",
                                                   *metric_order(self.metric, r.metrics.get(self.metric))))

    @property
    def best(self) -> ModelResult | None:
        ranked = [r for r in self.ranked() if r.status == "finished" and r.model != BASELINE]
        return ranked[0] if ranked else None

    @property
    def baseline(self) -> ModelResult | None:
        return next((r for r in self.results if r.model == BASELINE and r.status == "finished"), None)


# -- before a run: what it will cost ------------------------------------------------------------------

def estimate_seconds(model: str, n_rows: int, n_columns: int, n_fits: int) -> float:
    """A rough cost of ``n_fits`` fits of ``model``, from per-model constants (for the warning before a run)."""
    spec = get_spec(model)
    rows = n_rows
    if model == "svm":
        rows = min(n_rows, SVM_RBF_MAX_ROWS) ** 2 / 2000
    per_fit = spec.cost * (rows / 1000) * max(1.0, n_columns / 10)
    return per_fit * n_fits / n_jobs(n_fits)


def plan_warnings(n_rows: int, n_columns: int, settings: TrainSettings) -> list[str]:
    """Warnings to show before a training that is likely to be slow or capped."""
    out = []
    n_fits = (settings.folds * (settings.repeats if settings.validation == "repeated" else 1)
              if settings.validation != "holdout" else 1) + 1
    total = 0.0
    for model in settings.models:
        seconds = estimate_seconds(model, n_rows, n_columns, n_fits)
        total += seconds
        if model == "svm" and n_rows > SVM_RBF_MAX_ROWS:
            out.append(f"The support vector machine will train on {SVM_RBF_MAX_ROWS:,} of the {n_rows:,} rows: "
                       "beyond that it would take hours.")
        if seconds > 600:
            out.append(f"{model} may take about {seconds / 60:.0f} minutes on {n_rows:,} rows.")
    if settings.time_limit and total > settings.time_limit:
        out.append(f"The models may need about {total:.0f} s, more than the time limit of "
                   f"{settings.time_limit:.0f} s: the slowest will be skipped.")
    return out


# -- the comparison -----------------------------------------------------------------------------------

def _summarise(model_result: ModelResult, fold_scores: list[dict], oof_parts: list[pd.DataFrame],
               perms: list[np.ndarray], final, columns: list[str]) -> None:
    """Fill ``model_result`` from a model's validated folds and its final refit."""
    valid = pd.DataFrame([s["valid"] for s in fold_scores])
    train_ = pd.DataFrame([s["train"] for s in fold_scores])
    model_result.metrics = valid.mean().to_dict()
    model_result.metrics_std = valid.std(ddof=0).to_dict()
    model_result.train_metrics = train_.mean().to_dict()
    model_result.fold_metrics = [(i, split, name, value) for i, scores in enumerate(fold_scores)
                                 for split, values in scores.items() for name, value in values.items()]
    model_result.oof = pd.concat(oof_parts, ignore_index=True)
    model_result.pipeline = final
    model_result.learning_curve = learning_curve(final)
    model_result.importance = importance_table(columns, model_importance(final, columns), perms)
    if "select" in final.named_steps:
        names_in = list(final.named_steps["select"].feature_names_in_)
        kept = set(final.named_steps["select"].get_feature_names_out())
        model_result.features_kept = [n for n in names_in if n in kept]
        model_result.features_dropped = [n for n in names_in if n not in kept]
    capped = getattr(final.steps[-1][1], "capped_", False)
    if capped:
        model_result.notes.append(f"Trained on {SVM_RBF_MAX_ROWS:,} sampled rows (row cap for this model).")


def train(frame: pd.DataFrame, settings: TrainSettings, progress: Progress | None = None,
          on_step: OnStep | None = None, fits: FitRunner | None = None) -> TrainResult:
    """Validate every model of ``settings`` on the same folds, then refit each on all training rows.

    The baseline (``dummy``) is always included, as the bar to beat. A model that fails or does
    not fit in the time limit is recorded as such and does not stop the others. ``on_step``
    receives ``{"model", "fold", "step", "train", "valid", "metric"}`` after every epoch of a
    network and every round of a boosted model (called from worker threads), for live curves.
    ``fits`` runs each model's fits elsewhere (`core.train.remote.ClusterFits`, on a Dask cluster);
    by default they run in threads of this process.
    """
    with one_thread():
        return _compare(frame, settings, progress, on_step, fits)


def _compare(frame: pd.DataFrame, settings: TrainSettings, progress: Progress | None, on_step: OnStep | None,
             fits: FitRunner | None) -> TrainResult:
    progress = progress or (lambda fraction, message: None)
    started = time.perf_counter()
    deadline = started + settings.time_limit if settings.time_limit else None
    frame, task, notes = prepare_target(frame, settings.target, settings.task)
    models = models_to_train(settings)
    for m in models:
        get_spec(m)
        get_spec(m).params(settings.params.get(m))  # refuse unknown hyperparameters before any work
    features = list(settings.features) if settings.features else [c for c in frame.columns if c != settings.target]
    unknown = [c for c in features if c not in frame.columns or c == settings.target]
    if unknown:
        raise ColumnError(f"Unknown feature column(s): {', '.join(map(str, unknown))}.")
    roles = column_roles(frame, features, settings.preprocessing, settings.column_types)
    if not roles.used:
        raise ColumnError("No usable feature columns are left (all are constant, empty or identifiers). "
                          "Choose other features.")
    notes += dropped_notes(roles, text_for("en"))
    frame = frame.reset_index(drop=True)
    X = frame[list(roles.used)]
    classes = None
    if task == "regression":
        y = frame[settings.target].to_numpy(dtype="float64")
        n_classes = 0
    else:
        codes, uniques = pd.factorize(frame[settings.target], sort=True)
        y, classes, n_classes = codes.astype(int), uniques.tolist(), len(uniques)
    metric = settings.metric or DEFAULT_METRIC[task]
    valid_metrics = metrics_for(task)
    if metric not in valid_metrics:
        raise UserError(f"Metric '{metric}' does not fit a {task} task: choose one of {', '.join(valid_metrics)}.")
    settings = replace(settings, metric=metric)

    share = held_out_share(len(y), settings.test_size, settings.auto_test)
    try:
        pool, test_idx = hold_out(frame, y, task, share, settings.seed, settings.validation, settings.time_column,
                                  classes=classes, target=settings.target)
    except TargetError:
        if settings.test_size:  # the user asked for a test part: say which class is too rare for it
            raise
        # the automatic test part is skipped when a class is too rare to give rows to it: CV scores only
        pool, test_idx = np.arange(len(y)), np.array([], dtype=int)
    X_pool, y_pool = X.iloc[pool].reset_index(drop=True), y[pool]
    order = time_order(frame, settings.time_column, pool) if settings.validation == "time" else None
    splits, split_notes = make_splits(y_pool, task, settings.validation, settings.folds, settings.holdout_size,
                                      settings.seed, settings.repeats, order)
    notes += split_notes
    smallest = int(min(np.bincount(y_pool[tr]).min() for tr, _ in splits)) if task != "regression" else 0
    if settings.preprocessing.balance == "class_weight":
        unsupported = [m for m in models if m != BASELINE and not get_spec(m).supports_class_weight]
        if unsupported:
            notes.append(f"Class weights are not available for {', '.join(unsupported)}; they train unweighted.")
    result = TrainResult(task=task, metric=metric, target=settings.target, classes=classes, roles=roles,
                         contract=build_contract(X, roles), n_rows=len(y_pool), n_folds=len(splits),
                         n_test_rows=len(test_idx), notes=notes)
    steps, done = len(models) * (len(splits) + 1), 0
    columns = list(roles.used)
    # the columns are prepared once per fold for all models (threads of this process; a cluster prepares per fit)
    prepared = PreparedFolds() if fits is None else None
    guesses = {m: round(estimate_seconds(m, len(y_pool), len(columns), len(splits) + 1), 2) for m in models}
    stand_ins = left_out(models, len(y_pool))
    for model in models:
        if model in stand_ins:
            result.results.append(leave_out(model, stand_ins[model], len(y_pool), result, ModelResult))
            done += len(splits) + 1
            progress(done / steps, Step("train.progress.left_out", {"other": stand_ins[model]}, model))
            continue
        # what the time-left estimate (core/train/eta.py) needs before the first fit ends: fits, how many run
        # at once, and the rough cost from the model's constants
        n_fits = len(splits) + 1
        progress(done / steps, Step("train.progress.validating", {
            "folds": len(splits), "fits": n_fits, "parallel": n_jobs(n_fits) if fits is None else 0,
            "guesses": guesses}, model))
        start, done_before = time.perf_counter(), done
        model_result = ModelResult(model=model, status="finished")
        try:
            if deadline is not None and time.perf_counter() > deadline:
                raise OutOfTime()
            params = dict(settings.params.get(model, {}))
            if settings.tune and model != BASELINE:
                # a third of this model's share of the time left searches; the rest validates and refits
                per_model = (deadline - time.perf_counter()) / max(1, len(models) - models.index(model)) / 3 \
                    if deadline else None
                tune_deadline = time.perf_counter() + per_model if per_model else None
                params, trials = tune(model, roles, task, settings, X_pool, y_pool, splits, tune_deadline,
                                      smallest, n_classes)
                model_result.extras.update(trials=trials, tuned=True)
                model_result.notes.append(f"Tuned over {len(trials)} setting(s) on the same folds; "
                                          "its validation score is slightly optimistic.")
            model_result.params = get_spec(model).params(params)
            quicker = size_caps(model, task, len(y_pool), params, len(columns))
            if quicker:
                note_quicker_settings(model_result, quicker, len(y_pool))
            pipeline = build_pipeline(model, roles, task, settings.seed, preprocessing=settings.preprocessing,
                                      params=params, smallest_class=smallest, n_rows=len(y_pool))
            fold_scores, oof_parts, perms = [], [], []
            # The refit on all rows runs in the same pool as the folds, so it fills a core the
            # last round of folds would leave idle.
            tasks = [delayed(fit_fold)(pipeline, X_pool, y_pool, tr, va, task, n_classes, metric, settings.seed,
                                       settings.importance and model != BASELINE, deadline, on_step, model, i,
                                       prepared)
                     for i, (tr, va) in enumerate(splits)]
            tasks.append(delayed(fit_final)(pipeline, X_pool, y_pool, deadline, on_step, model, prepared))
            jobs = fits(tasks) if fits is not None else \
                Parallel(n_jobs=n_jobs(len(tasks)), prefer="threads", return_as="generator")(tasks)
            for i, outcome in enumerate(jobs):
                if i == len(splits):
                    final = outcome
                    continue
                scores, pred, proba, perm, _ = outcome
                va = splits[i][1]
                fold_scores.append(scores)
                part = pd.DataFrame({"row": pool[va], "fold": i, "y_true": y_pool[va], "y_pred": pred})
                if proba is not None:
                    for j in range(proba.shape[1]):
                        part[f"proba_{j}"] = proba[:, j]
                oof_parts.append(part)
                if perm is not None:
                    perms.append(perm)
                done += 1
                progress(done / steps, Step("train.progress.fold", {"fold": i + 1, "folds": len(splits)}, model))
            done = done_before + len(splits) + 1
            progress(done / steps, Step("train.progress.refit", {"rows": f"{len(y_pool):,}"}, model))
        except (TrainingCancelled, ClusterError):  # the whole job stops, not just this model
            raise
        except OutOfTime:
            done = done_before + len(splits) + 1
            model_result.status = "skipped"
            model_result.error = "skipped: the time limit was reached"
            model_result.extras["error_key"] = ("train.run_error.time_limit", {})
            model_result.fit_seconds = time.perf_counter() - start
            result.results.append(model_result)
            continue
        except Exception as err:  # one broken model must not sink the comparison
            done = done_before + len(splits) + 1
            model_result.status = "failed"
            model_result.error = f"{type(err).__name__}: {err}"
            model_result.fit_seconds = time.perf_counter() - start
            result.results.append(model_result)
            continue
        _summarise(model_result, fold_scores, oof_parts, perms, final, columns)
        model_result.fit_seconds = time.perf_counter() - start
        result.results.append(model_result)
    progress(done / steps, Step("train.progress.finishing"))
    finish(result, settings, X, y, test_idx, n_classes, ModelResult)
    progress(1.0, Step("train.progress.done"))
    return result
