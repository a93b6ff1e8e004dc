"""Training and cross-validation: the same folds for every model, metrics per fold, a ranked comparison."""
from __future__ import annotations

import os
import time
import warnings
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn import metrics as skm
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline

from core.contract import build_contract
from core.errors import ColumnError, TargetError
from core.models import DEFAULT_MODELS, get_spec
from core.preprocessing import ColumnRoles, build_preprocessor, column_roles

CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro",
                          "f1_weighted", "roc_auc", "log_loss")
REGRESSION_METRICS = ("rmse", "mae", "mape", "r2", "mse")
LOWER_IS_BETTER = frozenset({"log_loss", "rmse", "mae", "mape", "mse"})
DEFAULT_METRIC = {"binary": "roc_auc", "multiclass": "f1_macro", "regression": "rmse"}
TASKS = ("binary", "multiclass", "regression")

class TrainingCancelled(Exception):
    """Raised by a progress callback to stop a training between steps."""


#: progress(fraction_done in [0, 1], message). It may raise to cancel the training.
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides a training, stored with each run so it can be repeated exactly."""

    target: str
    models: tuple[str, ...] = DEFAULT_MODELS
    features: tuple[str, ...] | None = None
    task: str | None = None
    validation: str = "kfold"  # "kfold" or "holdout"
    folds: int = 5
    holdout_size: float = 0.2
    metric: str | None = None
    seed: int = 42

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ModelResult:
    """One model's outcome: validation means, per-fold values and the pipeline refitted on all rows."""

    model: str
    metrics: dict[str, float]
    metrics_std: dict[str, float]
    train_metrics: dict[str, float]
    fold_metrics: list[tuple[int, str, str, float]]
    fit_seconds: float
    pipeline: Pipeline | None = None
    error: str | None = None


@dataclass
class TrainResult:
    task: str
    metric: str
    target: str
    classes: list | None
    roles: ColumnRoles
    contract: dict
    n_rows: int
    n_folds: int
    notes: list[str] = field(default_factory=list)
    results: list[ModelResult] = field(default_factory=list)

    def ranked(self) -> list[ModelResult]:
        """Results best first by ``metric``; failed models last."""
        sign = 1 if self.metric in LOWER_IS_BETTER else -1

        def key(r: ModelResult):
            value = r.metrics.get(self.metric, np.nan)
            return (r.error is not None or np.isnan(value), sign * value if not np.isnan(value) else 0)

        return sorted(self.results, key=key)

    @property
    def best(self) -> ModelResult | None:
        ranked = [r for r in self.ranked() if r.error is None]
        return ranked[0] if ranked else None


def infer_task(y: pd.Series) -> str:
    """'binary', 'multiclass' or 'regression' from the target's values (missing ignored)."""
    y = y.dropna()
    distinct = y.nunique()
    if distinct <= 2:
        return "binary"
    if pd.api.types.is_bool_dtype(y) or not pd.api.types.is_numeric_dtype(y):
        return "multiclass"
    values = y.to_numpy(dtype="float64")
    if np.all(np.equal(np.mod(values, 1), 0)) and distinct <= 20:
        return "multiclass"
    return "regression"


def prepare_target(frame: pd.DataFrame, target: str, task: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    """Drop rows whose target is missing, settle the task, and refuse targets that cannot be learned."""
    if target not in frame.columns:
        raise ColumnError(f"There is no column '{target}'. Choose the target from the table's columns.")
    notes = []
    missing = int(frame[target].isna().sum())
    if missing == len(frame):
        raise TargetError(f"Every value of the target '{target}' is missing: choose another target.")
    if missing:
        frame = frame[frame[target].notna()]
        notes.append(f"{missing} row(s) without a value in '{target}' were left out.")
    task = task or infer_task(frame[target])
    if task not in TASKS:
        raise TargetError(f"Unknown task '{task}': choose binary, multiclass or regression.")
    distinct = frame[target].nunique()
    if distinct < 2:
        raise TargetError(f"The target '{target}' has a single value, so there is nothing to predict. "
                          "Choose a column whose values differ.")
    if task == "regression" and not pd.api.types.is_numeric_dtype(frame[target]):
        raise TargetError(f"'{target}' is not numeric, so it cannot be a regression target. "
                          "Choose classification instead.")
    if task == "binary" and distinct > 2:
        raise TargetError(f"'{target}' has {distinct} values, not 2: choose multiclass instead.")
    if task != "regression":
        counts = frame[target].value_counts()
        lonely = counts[counts < 2]
        if len(lonely):
            raise TargetError(f"Class(es) {', '.join(map(str, lonely.index))} of '{target}' have a single row: "
                              "a model cannot learn and be checked on one example. Remove or merge those rows.")
    return frame, task, notes


def make_splits(y: np.ndarray, task: str, validation: str, folds: int, holdout_size: float,
                seed: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[str]]:
    """The train/validation index pairs every model of a comparison shares."""
    notes = []
    index = np.arange(len(y))
    classify = task != "regression"
    if validation == "holdout":
        train_idx, valid_idx = train_test_split(index, test_size=holdout_size, random_state=seed,
                                                stratify=y if classify else None)
        return [(np.sort(train_idx), np.sort(valid_idx))], notes
    folds = max(2, int(folds))
    if classify:
        smallest = int(np.bincount(y).min())
        if smallest < folds:
            notes.append(f"The smallest class has only {smallest} rows, so {smallest}-fold validation "
                         f"was used instead of {folds}-fold.")
            folds = smallest
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    else:
        folds = min(folds, len(y))
        splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(index, y)), notes


def compute_metrics(task: str, y_true: np.ndarray, y_pred: np.ndarray, proba: np.ndarray | None = None) -> dict:
    """All metrics of ``task`` for one set of predictions.

    Parameters
    ----------
    y_true, y_pred : arrays of shape (n,)
        Integer class codes (classification) or numbers (regression).
    proba : array of shape (n, n_classes), optional
        Class probabilities, columns in code order; needed for ``roc_auc`` and ``log_loss``.
    """
    if task == "regression":
        mse = skm.mean_squared_error(y_true, y_pred)
        return {"rmse": float(np.sqrt(mse)), "mae": float(skm.mean_absolute_error(y_true, y_pred)),
                "mape": float(skm.mean_absolute_percentage_error(y_true, y_pred)),
                "r2": float(skm.r2_score(y_true, y_pred)), "mse": float(mse)}
    out = {
        "accuracy": skm.accuracy_score(y_true, y_pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y_true, y_pred),
        "precision_macro": skm.precision_score(y_true, y_pred, average="macro", zero_division=0),
        "recall_macro": skm.recall_score(y_true, y_pred, average="macro", zero_division=0),
        "f1_macro": skm.f1_score(y_true, y_pred, average="macro", zero_division=0),
        "f1_weighted": skm.f1_score(y_true, y_pred, average="weighted", zero_division=0),
        "roc_auc": np.nan, "log_loss": np.nan,
    }
    if proba is not None:
        labels = np.arange(proba.shape[1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if proba.shape[1] == 2:
                    out["roc_auc"] = skm.roc_auc_score(y_true, proba[:, 1])
                else:
                    out["roc_auc"] = skm.roc_auc_score(y_true, proba, multi_class="ovr", labels=labels)
            except ValueError:  # a validation fold holding one class has no AUC
                pass
            out["log_loss"] = skm.log_loss(y_true, np.clip(proba, 1e-15, 1), labels=labels)
    return {k: float(v) for k, v in out.items()}


def build_pipeline(model: str, roles: ColumnRoles, task: str, seed: int) -> Pipeline:
    """Preprocessing suited to ``model``'s family followed by the estimator, unfitted."""
    spec = get_spec(model)
    pre = build_preprocessor(roles, scale=spec.needs_scaling, one_hot=not spec.tree_based)
    return Pipeline([("preprocess", pre), ("model", spec.build(task, seed))])


def class_probabilities(pipeline: Pipeline, X: pd.DataFrame, n_classes: int) -> np.ndarray:
    """Probabilities with one column per class code, even for a model that saw fewer classes."""
    proba = pipeline.predict_proba(X)
    full = np.zeros((len(X), n_classes))
    full[:, np.asarray(pipeline.classes_, dtype=int)] = proba
    return full


def _fit_fold(pipeline, X, y, train_idx, valid_idx, task, n_classes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        fitted = clone(pipeline).fit(X.iloc[train_idx], y[train_idx])
        seconds = time.perf_counter() - start
        scores = {}
        for split, idx in (("train", train_idx), ("valid", valid_idx)):
            Xs, ys = X.iloc[idx], y[idx]
            if task == "regression":
                scores[split] = compute_metrics(task, ys, fitted.predict(Xs))
            else:
                proba = class_probabilities(fitted, Xs, n_classes)
                scores[split] = compute_metrics(task, ys, proba.argmax(axis=1), proba)
    return scores, seconds


def _n_jobs(n_tasks: int) -> int:
    return max(1, min(n_tasks, os.cpu_count() or 1))


def train(frame: pd.DataFrame, settings: TrainSettings, progress: Progress | None = None) -> TrainResult:
    """Cross-validate every model of ``settings`` on the same folds and refit each on all rows.

    Returns results in the order of ``settings.models``; `TrainResult.ranked` orders them by the
    ranking metric. A model that fails is recorded with its error and does not stop the others.
    """
    progress = progress or (lambda fraction, message: None)
    frame, task, notes = prepare_target(frame, settings.target, settings.task)
    features = list(settings.features) if settings.features else [c for c in frame.columns if c != settings.target]
    unknown = [c for c in features if c not in frame.columns or c == settings.target]
    if unknown:
        raise ColumnError(f"Unknown feature column(s): {', '.join(map(str, unknown))}.")
    roles = column_roles(frame, features)
    if not roles.used:
        raise ColumnError("No usable feature columns are left (all are constant, empty or identifiers). "
                          "Choose other features.")
    for col, why in roles.dropped.items():
        notes.append(f"Column '{col}' is not used: {why}.")
    X = frame[list(roles.used)].reset_index(drop=True)
    classes = None
    if task == "regression":
        y = frame[settings.target].to_numpy(dtype="float64")
        n_classes = 0
    else:
        codes, uniques = pd.factorize(frame[settings.target], sort=True)
        y, classes, n_classes = codes.astype(int), uniques.tolist(), len(uniques)
    metric = settings.metric or DEFAULT_METRIC[task]
    valid_metrics = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    if metric not in valid_metrics:
        raise TargetError(f"Metric '{metric}' does not fit a {task} task: choose one of {', '.join(valid_metrics)}.")
    splits, split_notes = make_splits(y, task, settings.validation, settings.folds, settings.holdout_size,
                                      settings.seed)
    notes += split_notes
    result = TrainResult(task=task, metric=metric, target=settings.target, classes=classes, roles=roles,
                         contract=build_contract(X, roles), n_rows=len(X), n_folds=len(splits), notes=notes)
    steps, done = len(settings.models) * (len(splits) + 1), 0
    for model in settings.models:
        progress(done / steps, f"{model}: validating on {len(splits)} fold(s)")
        start, done_before = time.perf_counter(), done
        try:
            pipeline = build_pipeline(model, roles, task, settings.seed)
            fold_scores = []
            jobs = Parallel(n_jobs=_n_jobs(len(splits)), prefer="threads", return_as="generator")(
                delayed(_fit_fold)(pipeline, X, y, tr, va, task, n_classes) for tr, va in splits)
            for i, (scores, _) in enumerate(jobs):
                fold_scores.append(scores)
                done += 1
                progress(done / steps, f"{model}: fold {i + 1} of {len(splits)} done")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                final = clone(pipeline).fit(X, y)
            done += 1
            progress(done / steps, f"{model}: refitted on all {len(X)} rows")
        except TrainingCancelled:
            raise
        except Exception as err:  # one broken model must not sink the comparison
            done = done_before + len(splits) + 1
            result.results.append(ModelResult(model, {}, {}, {}, [], time.perf_counter() - start,
                                              error=f"{type(err).__name__}: {err}"))
            continue
        fold_rows = [(i, split, name, value) for i, scores in enumerate(fold_scores)
                     for split, values in scores.items() for name, value in values.items()]
        valid = pd.DataFrame([s["valid"] for s in fold_scores])
        train_ = pd.DataFrame([s["train"] for s in fold_scores])
        result.results.append(ModelResult(
            model=model, metrics=valid.mean().to_dict(), metrics_std=valid.std(ddof=0).to_dict(),
            train_metrics=train_.mean().to_dict(), fold_metrics=fold_rows,
            fit_seconds=time.perf_counter() - start, pipeline=final))
    progress(1.0, "done")
    return result
