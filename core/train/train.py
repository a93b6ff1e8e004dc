"""Training and validation: the same folds for every model, metrics per fold, importance, a ranked comparison."""
from __future__ import annotations

import os
import time
import warnings
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Callable

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn import metrics as skm
from sklearn.base import clone
from sklearn.model_selection import (KFold, ParameterSampler, RepeatedKFold, RepeatedStratifiedKFold,
                                     StratifiedKFold, TimeSeriesSplit, train_test_split)

from core.train import fastmetrics
from core.predict.contract import build_contract
from core.errors import ColumnError, TargetError, UserError
from core.train.models import DEFAULT_MODELS, REGISTRY, SVM_RBF_MAX_ROWS, get_spec
from core.train.preprocessing import (ColumnRoles, PreprocessSettings, column_roles, model_input_names,
                                source_column)
from core.train.preprocessing import build_pipeline as _build_preprocessed

CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro",
                          "f1_weighted", "roc_auc", "log_loss")
REGRESSION_METRICS = ("rmse", "mae", "mape", "r2", "mse")
LOWER_IS_BETTER = frozenset({"log_loss", "rmse", "mae", "mape", "mse"})
DEFAULT_METRIC = {"binary": "roc_auc", "multiclass": "f1_macro", "regression": "rmse"}
TASKS = ("binary", "multiclass", "regression")
VALIDATIONS = ("kfold", "holdout", "repeated", "time")
PERMUTATION_ROWS = 250  # per validation fold; over 5 folds that is 1,250 rows × 2 shuffles per column
BASELINE = "dummy"


class TrainingCancelled(Exception):
    """Raised by a progress callback to stop a training between steps."""


class _OutOfTime(Exception):
    pass


#: progress(fraction_done in [0, 1], message). It may raise TrainingCancelled to stop.
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides a training, stored with each run so it can be repeated exactly.

    ``params`` maps a model key to hyperparameter overrides, e.g. ``{"mlp": {"epochs": 45}}``.
    ``time_limit`` (seconds) bounds the whole comparison; models that do not fit in it are
    skipped and say so. ``test_size`` holds out a final test set before anything else.
    """

    target: str
    models: tuple[str, ...] = DEFAULT_MODELS
    features: tuple[str, ...] | None = None
    task: str | None = None
    validation: str = "kfold"
    folds: int = 5
    repeats: int = 2
    holdout_size: float = 0.2
    time_column: str | None = None
    test_size: float = 0.0
    metric: str | None = None
    seed: int = 42
    preprocessing: PreprocessSettings = field(default_factory=PreprocessSettings)
    params: dict = field(default_factory=dict)
    tune: bool = False
    tune_iterations: int = 20
    time_limit: float | None = None
    importance: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TrainSettings":
        """Settings stored with a run, read back (unknown keys ignored, so old runs still load)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        pre = values.get("preprocessing") or {}
        pre_known = {f.name for f in fields(PreprocessSettings)}
        values["preprocessing"] = PreprocessSettings(**{k: v for k, v in pre.items() if k in pre_known})
        for key in ("models", "features"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return cls(**values)


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
    n_test_rows: int = 0
    notes: list[str] = field(default_factory=list)
    results: list[ModelResult] = field(default_factory=list)

    def ranked(self) -> list[ModelResult]:
        """Results best first by ``metric``; failed and skipped models last."""
        sign = 1 if self.metric in LOWER_IS_BETTER else -1

        def key(r: ModelResult):
            value = r.metrics.get(self.metric, np.nan)
            bad = r.status != "finished" or np.isnan(value)
            return (bad, 0 if bad else sign * value)

        return sorted(self.results, key=key)

    @property
    def best(self) -> ModelResult | None:
        ranked = [r for r in self.ranked() if r.status == "finished" and r.model != BASELINE]
        return ranked[0] if ranked else None

    @property
    def baseline(self) -> ModelResult | None:
        return next((r for r in self.results if r.model == BASELINE and r.status == "finished"), None)


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
    if len(frame) == 0:
        raise TargetError("The table has no rows. Add data before training.")
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


def make_splits(y: np.ndarray, task: str, validation: str, folds: int, holdout_size: float, seed: int,
                repeats: int = 2, order: np.ndarray | None = None) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[str]]:
    """The train/validation index pairs every model of a comparison shares.

    ``order`` (for the time-ordered split) gives the row positions sorted by time.
    """
    notes = []
    index = np.arange(len(y))
    classify = task != "regression"
    if validation not in VALIDATIONS:
        raise UserError(f"Unknown validation '{validation}': choose one of {', '.join(VALIDATIONS)}.")
    if validation == "holdout":
        train_idx, valid_idx = train_test_split(index, test_size=holdout_size, random_state=seed,
                                                stratify=y if classify else None)
        return [(np.sort(train_idx), np.sort(valid_idx))], notes
    folds = max(2, int(folds))
    if validation == "time":
        if order is None:
            raise UserError("A time-ordered split needs a date column: choose one.")
        folds = min(folds, len(y) - 1)
        return [(order[tr], order[va]) for tr, va in TimeSeriesSplit(n_splits=folds).split(order)], notes
    if classify:
        smallest = int(np.bincount(y).min())
        if smallest < folds:
            notes.append(f"The smallest class has only {smallest} rows, so {smallest}-fold validation "
                         f"was used instead of {folds}-fold.")
            folds = smallest
        splitter = (RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
                    if validation == "repeated" else StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed))
    else:
        folds = min(folds, len(y))
        splitter = (RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
                    if validation == "repeated" else KFold(n_splits=folds, shuffle=True, random_state=seed))
    return list(splitter.split(index, y)), notes


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
    names = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    return {name: metric_value(name, y_true, y_pred, proba) for name in names}


def build_pipeline(model: str, roles: ColumnRoles, task: str, seed: int, *,
                   preprocessing: PreprocessSettings | None = None, params: dict | None = None,
                   smallest_class: int = 6):
    """Preprocessing suited to ``model``'s family followed by the estimator, unfitted."""
    spec = get_spec(model)
    preprocessing = preprocessing or PreprocessSettings()
    class_weight = "balanced" if preprocessing.balance == "class_weight" and task != "regression" \
        and spec.supports_class_weight else None
    estimator = spec.build(task, seed, params, class_weight)
    return _build_preprocessed(estimator, roles, task, needs_scaling=spec.needs_scaling, tree_based=spec.tree_based,
                               settings=preprocessing, seed=seed, smallest_class=smallest_class)


def class_probabilities(pipeline, X: pd.DataFrame, n_classes: int) -> np.ndarray:
    """Probabilities with one column per class code, even for a model that saw fewer classes."""
    proba = pipeline.predict_proba(X)
    full = np.zeros((len(X), n_classes))
    full[:, np.asarray(pipeline.classes_, dtype=int)] = proba
    return full


def _scores(fitted, X, y, task, n_classes):
    if task == "regression":
        pred = fitted.predict(X)
        return compute_metrics(task, y, pred), pred, None
    proba = class_probabilities(fitted, X, n_classes)
    pred = proba.argmax(axis=1)
    return compute_metrics(task, y, pred, proba), pred, proba


def _permutation(fitted, X, y, task, metric, seed, n_classes, repeats=2):
    """Permutation importance per original column: how much ``metric`` worsens when the column is shuffled.

    All shuffled copies go through the pipeline in one ``predict`` call (columns × repeats blocks
    of at most PERMUTATION_ROWS rows), which costs far less than one call per column.
    """
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(y), size=min(len(y), PERMUTATION_ROWS), replace=False))
    base_X, base_y = X.iloc[rows].reset_index(drop=True), y[rows]
    if task != "regression" and len(np.unique(base_y)) < 2:
        return None
    n, columns = len(base_X), list(X.columns)
    n_blocks = 1 + len(columns) * repeats
    stacked = {}
    for j, col in enumerate(columns):
        values = base_X[col].to_numpy()
        tiled = np.tile(values, n_blocks)
        for r in range(repeats):
            start = (1 + j * repeats + r) * n
            tiled[start:start + n] = values[rng.permutation(n)]
        stacked[col] = tiled
    stacked = pd.DataFrame(stacked).astype(base_X.dtypes.to_dict())
    if task == "regression":
        pred_all, proba_all = fitted.predict(stacked), None
    else:
        proba_all = class_probabilities(fitted, stacked, n_classes)
        pred_all = proba_all.argmax(axis=1)

    def score(i):
        part = slice(i * n, (i + 1) * n)
        return fastmetrics.metric(metric, base_y, pred_all[part], None if proba_all is None else proba_all[part])

    sign = -1 if metric in LOWER_IS_BETTER else 1
    baseline = score(0)
    drops = np.array([[sign * (baseline - score(1 + j * repeats + r)) for r in range(repeats)]
                      for j in range(X.shape[1])])
    return np.nan_to_num(drops.mean(axis=1))


def _with_reporter(pipeline, on_step, model: str, fold: int | str):
    """A fresh copy of ``pipeline`` whose estimator reports each epoch / round to ``on_step``, if it can."""
    copy = clone(pipeline)
    estimator = copy.steps[-1][1]
    if on_step is not None and "callback" in estimator.get_params(deep=False):
        copy.set_params(model__callback=_StepReporter(on_step, model, fold))
    return copy


def _without_reporter(pipeline):
    estimator = pipeline.steps[-1][1]
    if "callback" in estimator.get_params(deep=False):
        estimator.set_params(callback=None)  # a fitted model keeps no link to a job's pipe
    return pipeline


class _StepReporter:
    """Turns an estimator's per-epoch / per-round callback into ``on_step`` events of one model and fold."""

    def __init__(self, on_step, model, fold):
        self.on_step, self.model, self.fold = on_step, model, fold

    def __call__(self, info: dict):
        step = info.get("step", info.get("epoch"))
        train_value = info.get("train", info.get("train_loss"))
        valid_value = info.get("valid", info.get("val_loss"))
        self.on_step({"model": self.model, "fold": self.fold, "step": step, "train": train_value,
                      "valid": valid_value, "metric": info.get("metric", "loss")})


def _fit_fold(pipeline, X, y, train_idx, valid_idx, task, n_classes, metric, seed, importance, deadline,
              on_step=None, model="", fold=0):
    if deadline is not None and time.perf_counter() > deadline:
        raise _OutOfTime()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        fitted = _with_reporter(pipeline, on_step, model, fold).fit(X.iloc[train_idx], y[train_idx])
        seconds = time.perf_counter() - start
        train_scores, _, _ = _scores(fitted, X.iloc[train_idx], y[train_idx], task, n_classes)
        valid_scores, pred, proba = _scores(fitted, X.iloc[valid_idx], y[valid_idx], task, n_classes)
        perm = _permutation(fitted, X.iloc[valid_idx], y[valid_idx], task, metric, seed, n_classes) \
            if importance else None
    return {"train": train_scores, "valid": valid_scores}, pred, proba, perm, seconds


def _fit_final(pipeline, X, y, deadline, on_step=None, model=""):
    if deadline is not None and time.perf_counter() > deadline:
        raise _OutOfTime()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _without_reporter(_with_reporter(pipeline, on_step, model, "final").fit(X, y))


def _n_jobs(n_tasks: int) -> int:
    return max(1, min(n_tasks, os.cpu_count() or 1))


def _model_importance(pipeline, columns: list[str]) -> dict[str, float]:
    """The estimator's own importance (trees) or absolute coefficients (linear), summed per original column."""
    model = pipeline.steps[-1][1]
    try:
        values = np.asarray(model.feature_importances_, dtype=float)
    except (AttributeError, ValueError):
        try:
            coef = np.asarray(model.coef_, dtype=float)
        except (AttributeError, ValueError):
            return {}
        values = np.abs(coef).mean(axis=0) if coef.ndim > 1 else np.abs(coef)
    names = model_input_names(pipeline)
    if len(names) != len(values):
        return {}
    total = {}
    for name, value in zip(names, values):
        col = source_column(name, columns)
        total[col] = total.get(col, 0.0) + float(value)
    norm = sum(total.values()) or 1.0
    return {k: v / norm for k, v in total.items()}


def _learning_curve(pipeline) -> dict:
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


def _tune(model, roles, task, settings, X, y, seed, deadline, smallest_class, n_classes):
    """Random search over the model's hyperparameter ranges, 3-fold, until the iterations or the time run out."""
    spec = get_spec(model)
    space = {}
    rng = np.random.default_rng(seed)
    for h in spec.hyperparameters:
        if h.choices:
            space[h.name] = list(h.choices)
        elif h.low is not None:
            if isinstance(h.default, int) and not isinstance(h.default, bool):
                grid = np.unique(np.round(np.geomspace(max(h.low, 1), h.high, 12) if h.log
                                          else np.linspace(h.low, h.high, 12)).astype(int))
                space[h.name] = grid.tolist()
            else:
                space[h.name] = (np.geomspace(h.low, h.high, 12) if h.log else np.linspace(h.low, h.high, 12)).tolist()
    if not space:
        return settings.params.get(model, {}), 0
    inner, _ = make_splits(y, task, "kfold", 3, 0.2, seed)
    base = dict(settings.params.get(model, {}))
    candidates = [base] + [dict(base, **c) for c in ParameterSampler(space, settings.tune_iterations,
                                                                      random_state=int(rng.integers(2**31)))]
    best, best_score, tried = base, None, 0
    sign = 1 if settings.metric in LOWER_IS_BETTER else -1
    for params in candidates:
        if deadline is not None and time.perf_counter() > deadline:
            break
        pipeline = build_pipeline(model, roles, task, seed, preprocessing=settings.preprocessing, params=params,
                                  smallest_class=smallest_class)
        try:
            scores = [_fit_fold(pipeline, X, y, tr, va, task, n_classes, settings.metric, seed, False, deadline)[0]
                      for tr, va in inner]
        except _OutOfTime:
            break
        except Exception:  # a candidate the data cannot support is simply not chosen
            continue
        tried += 1
        value = float(np.nanmean([s["valid"][settings.metric] for s in scores]))
        if best_score is None or sign * value < sign * best_score:
            best, best_score = params, value
    return best, tried


def estimate_seconds(model: str, n_rows: int, n_columns: int, n_fits: int) -> float:
    """A rough cost of ``n_fits`` fits of ``model``, from per-model constants (for the warning before a run)."""
    spec = get_spec(model)
    rows = n_rows
    if model == "svm":
        rows = min(n_rows, SVM_RBF_MAX_ROWS) ** 2 / 2000
    per_fit = spec.cost * (rows / 1000) * max(1.0, n_columns / 10)
    return per_fit * n_fits / _n_jobs(n_fits)


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


def models_to_train(settings: TrainSettings) -> tuple[str, ...]:
    """The models a training of ``settings`` produces runs for: the baseline first, then the user's choice."""
    return tuple(dict.fromkeys((BASELINE,) + tuple(settings.models)))


def train(frame: pd.DataFrame, settings: TrainSettings, progress: Progress | None = None,
          on_step: Callable[[dict], None] | None = None) -> TrainResult:
    """Validate every model of ``settings`` on the same folds, then refit each on all training rows.

    The baseline (``dummy``) is always included, as the bar to beat. A model that fails or does
    not fit in the time limit is recorded as such and does not stop the others. ``on_step``
    receives ``{"model", "fold", "step", "train", "valid", "metric"}`` after every epoch of a
    network and every round of a boosted model (called from worker threads), for live curves.
    """
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
    roles = column_roles(frame, features, settings.preprocessing)
    if not roles.used:
        raise ColumnError("No usable feature columns are left (all are constant, empty or identifiers). "
                          "Choose other features.")
    for col, why in roles.dropped.items():
        notes.append(f"Column '{col}' is not used: {why}.")
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
    valid_metrics = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    if metric not in valid_metrics:
        raise UserError(f"Metric '{metric}' does not fit a {task} task: choose one of {', '.join(valid_metrics)}.")
    settings = replace(settings, metric=metric)

    test_idx = np.array([], dtype=int)
    pool = np.arange(len(y))
    if settings.test_size:
        pool, test_idx = train_test_split(pool, test_size=settings.test_size, random_state=settings.seed,
                                          stratify=y if task != "regression" else None)
        pool, test_idx = np.sort(pool), np.sort(test_idx)
        notes.append(f"{len(test_idx)} row(s) were set aside as a final test set, scored once at the end.")
    X_pool, y_pool = X.iloc[pool].reset_index(drop=True), y[pool]
    order = None
    if settings.validation == "time":
        if settings.time_column not in frame.columns:
            raise ColumnError("Choose the date column that orders the rows for a time-ordered split.")
        when = pd.to_datetime(frame[settings.time_column].iloc[pool], errors="coerce")
        order = np.argsort(when.to_numpy(), kind="stable")
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
    for model in models:
        progress(done / steps, f"{model}: validating on {len(splits)} fold(s)")
        start, done_before = time.perf_counter(), done
        model_result = ModelResult(model=model, status="finished")
        try:
            if deadline is not None and time.perf_counter() > deadline:
                raise _OutOfTime()
            params = dict(settings.params.get(model, {}))
            if settings.tune and model != BASELINE:
                per_model = (deadline - time.perf_counter()) / max(1, len(models) - models.index(model)) / 2 \
                    if deadline else None
                tune_deadline = time.perf_counter() + per_model if per_model else None
                params, tried = _tune(model, roles, task, settings, X_pool, y_pool, settings.seed, tune_deadline,
                                      smallest, n_classes)
                model_result.notes.append(f"Tuned over {tried} setting(s) by 3-fold search on the training rows; "
                                          "validation scores may be slightly optimistic.")
            model_result.params = get_spec(model).params(params)
            pipeline = build_pipeline(model, roles, task, settings.seed, preprocessing=settings.preprocessing,
                                      params=params, smallest_class=smallest)
            fold_scores, oof_parts, perms = [], [], []
            # The refit on all rows runs in the same pool as the folds, so it fills a core the
            # last round of folds would leave idle.
            tasks = [delayed(_fit_fold)(pipeline, X_pool, y_pool, tr, va, task, n_classes, metric, settings.seed,
                                        settings.importance and model != BASELINE, deadline, on_step, model, i)
                     for i, (tr, va) in enumerate(splits)]
            tasks.append(delayed(_fit_final)(pipeline, X_pool, y_pool, deadline, on_step, model))
            jobs = Parallel(n_jobs=_n_jobs(len(tasks)), prefer="threads", return_as="generator")(tasks)
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
                progress(done / steps, f"{model}: fold {i + 1} of {len(splits)} done")
            done = done_before + len(splits) + 1
            progress(done / steps, f"{model}: refitted on all {len(y_pool)} rows")
        except TrainingCancelled:
            raise
        except _OutOfTime:
            done = done_before + len(splits) + 1
            model_result.status = "skipped"
            model_result.error = "skipped: the time limit was reached"
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
        valid = pd.DataFrame([s["valid"] for s in fold_scores])
        train_ = pd.DataFrame([s["train"] for s in fold_scores])
        model_result.metrics = valid.mean().to_dict()
        model_result.metrics_std = valid.std(ddof=0).to_dict()
        model_result.train_metrics = train_.mean().to_dict()
        model_result.fold_metrics = [(i, split, name, value) for i, scores in enumerate(fold_scores)
                                     for split, values in scores.items() for name, value in values.items()]
        model_result.oof = pd.concat(oof_parts, ignore_index=True)
        model_result.pipeline = final
        model_result.learning_curve = _learning_curve(final)
        own = _model_importance(final, columns)
        perm_mean = np.mean(perms, axis=0) if perms else None
        perm_std = np.std(perms, axis=0) if len(perms) > 1 else None
        model_result.importance = sorted(
            [{"feature": col, "model_importance": own.get(col),
              "permutation_mean": None if perm_mean is None else float(perm_mean[j]),
              "permutation_std": None if perm_std is None else float(perm_std[j])}
             for j, col in enumerate(columns)],
            key=lambda r: -(r["permutation_mean"] if r["permutation_mean"] is not None else r["model_importance"] or 0))
        if "select" in final.named_steps:
            names_in = list(final.named_steps["select"].feature_names_in_)
            kept = set(final.named_steps["select"].get_feature_names_out())
            model_result.features_kept = [n for n in names_in if n in kept]
            model_result.features_dropped = [n for n in names_in if n not in kept]
        capped = getattr(final.steps[-1][1], "capped_", False)
        if capped:
            model_result.notes.append(f"Trained on {SVM_RBF_MAX_ROWS:,} sampled rows (row cap for this model).")
        if len(test_idx):
            test_scores, _, _ = _scores(final, X.iloc[test_idx], y[test_idx], task, n_classes)
            model_result.test_metrics = test_scores
        model_result.fit_seconds = time.perf_counter() - start
        result.results.append(model_result)
    progress(1.0, "done")
    return result


__all__ = ["TrainSettings", "PreprocessSettings", "ModelResult", "TrainResult", "train", "infer_task",
           "prepare_target", "make_splits", "compute_metrics", "build_pipeline", "plan_warnings",
           "estimate_seconds", "TrainingCancelled", "REGISTRY"]
