"""What decides a training: the tasks, metrics and validations there are, the task of a target, `TrainSettings`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

from core.train.models import DEFAULT_MODELS, REGISTRY
from core.train.options import PreprocessSettings

if TYPE_CHECKING:
    import pandas as pd

TASKS = ("binary", "multiclass", "regression")
CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro",
                          "f1_weighted", "roc_auc", "log_loss")
REGRESSION_METRICS = ("rmse", "mae", "mape", "r2", "mse")
LOWER_IS_BETTER = frozenset({"log_loss", "rmse", "mae", "mape", "mse"})
DEFAULT_METRIC = {"binary": "roc_auc", "multiclass": "f1_macro", "regression": "rmse"}
VALIDATIONS = ("kfold", "holdout", "repeated", "time")
#: The do-nothing model every comparison includes, as the bar to beat.
BASELINE = "dummy"
#: The run made from the models of a job after them (`core.train.ensemble`), named here so that readers of
#: runs need not load the model libraries.
ENSEMBLE = "ensemble"
#: A numeric target of whole numbers with at most this many distinct values may be taken as classes...
MAX_CLASS_CODES = 20
#: ...when each value has at least this many rows on average (fewer cannot be learned as classes).
MIN_ROWS_PER_CLASS = 5
#: Consecutive whole numbers up to this many (1-5, 0-10) look like a score: classes, or a number.
SCALE_MAX_VALUES = 11


@dataclass(frozen=True)
class TaskGuess:
    """The task a target suggests, and when the guess is close, the other task that fits and why.

    ``reason_key`` names the catalogue entry (``train.task_reason.*``) that says why the alternative
    fits, filled in with ``params``; both are None when the guess is clear.
    """

    task: str
    alternative: str | None = None
    reason_key: str | None = None
    params: dict = field(default_factory=dict)


def guess_task(distinct: int, numeric: bool, whole_numbers: bool, rows: int | None = None,
               minimum: float | None = None, maximum: float | None = None) -> TaskGuess:
    """The task of a target from facts about the whole column (its present values).

    Two values are yes/no (0/1, True/False, 예/아니오) and text values are classes. Whole numbers are
    classes only when there are few of them (at most `MAX_CLASS_CODES`) and each has rows enough to
    learn from (`MIN_ROWS_PER_CLASS` on average over ``rows``): 18 prices on 18 rows are a number.
    Consecutive whole numbers (``minimum`` to ``maximum`` with no gap) are a score or a count: a
    short scale such as 1-5 is classes with regression as the alternative, a longer one the reverse.
    """
    if distinct <= 2:
        return TaskGuess("binary")
    if not numeric:
        return TaskGuess("multiclass")
    if not whole_numbers or distinct > MAX_CLASS_CODES:
        return TaskGuess("regression")
    rows = distinct * MIN_ROWS_PER_CLASS if rows is None else rows
    per_value = rows / max(distinct, 1)
    span = None if minimum is None or maximum is None else (_whole(minimum), _whole(maximum))
    params = {"low": span[0], "high": span[1]} if span else {}
    if per_value < MIN_ROWS_PER_CLASS:
        if per_value >= 2:
            return TaskGuess("regression", "multiclass", "train.task_reason.few_rows", {"per_value": round(per_value)})
        return TaskGuess("regression")
    consecutive = span is not None and span[1] - span[0] + 1 == distinct
    if consecutive and distinct <= SCALE_MAX_VALUES:
        return TaskGuess("multiclass", "regression", "train.task_reason.scale", params)
    if consecutive:
        return TaskGuess("regression", "multiclass", "train.task_reason.count", params)
    return TaskGuess("multiclass", "regression", "train.task_reason.codes", {"count": distinct})


def _whole(value) -> int:
    return int(round(float(value)))


def task_from_summary(distinct: int, numeric: bool, whole_numbers: bool, rows: int | None = None,
                      minimum: float | None = None, maximum: float | None = None) -> str:
    """'binary', 'multiclass' or 'regression' from what is known of a target's (present) values.

    Parameters
    ----------
    distinct : int
        How many different values the target has.
    numeric : bool
        Whether the values are numbers (yes/no values are not).
    whole_numbers : bool
        Whether every value is a whole number (only read when ``numeric``).
    rows, minimum, maximum : optional
        How many values there are, the smallest and the largest (see `guess_task`).
    """
    return guess_task(distinct, numeric, whole_numbers, rows, minimum, maximum).task


def guess_series_task(y: pd.Series) -> TaskGuess:
    """`guess_task` of a target's values in memory (missing ignored)."""
    import numpy as np
    import pandas as pd

    y = y.dropna()
    distinct = y.nunique()
    numeric = pd.api.types.is_numeric_dtype(y) and not pd.api.types.is_bool_dtype(y)
    if not numeric or distinct <= 2:
        return guess_task(distinct, numeric, False, len(y))
    values = y.to_numpy(dtype="float64")
    whole = bool(np.all(np.equal(np.mod(values, 1), 0)))
    return guess_task(distinct, numeric, whole, len(y), float(values.min()), float(values.max()))


def infer_task(y: pd.Series) -> str:
    """'binary', 'multiclass' or 'regression' from the target's values (missing ignored)."""
    return guess_series_task(y).task


def metric_order(metric: str, value) -> tuple[bool, float]:
    """Sort key of a run's ``value`` of ``metric``: best first whatever the direction, a missing value last."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = float("nan")
    missing = value != value
    return missing, 0.0 if missing else (value if metric in LOWER_IS_BETTER else -value)


def metrics_for(task: str) -> tuple[str, ...]:
    """The metrics measured for ``task``, in the order they are shown."""
    return REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides a training, stored with each run so it can be repeated exactly.

    ``params`` maps a model key to hyperparameter overrides, e.g. ``{"mlp": {"epochs": 45}}``.
    ``time_limit`` (seconds) bounds the whole comparison; models that do not fit in it are
    skipped and say so. ``test_size`` holds out a final test set before anything else.
    ``column_types`` decide each column's role (see `core.train.preprocessing.column_roles`).
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
    #: The dataset's column types ({column: type}, see `core.data.types`) when the training started:
    #: identifiers are dropped, integer codes used as categories. Filled in from the dataset.
    column_types: dict | None = None
    #: Add the greedy ensemble of the models when it beats the best of them (core/train/ensemble.py).
    ensemble: bool = True
    #: What a two-class run's threshold is chosen for: "f1" or "balanced" (core/train/threshold.py).
    threshold_goal: str = "f1"
    #: Hold out a test part by itself once the table is big enough (core/train/holdout.py).
    auto_test: bool = True

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


def models_to_train(settings: TrainSettings) -> tuple[str, ...]:
    """The models a training of ``settings`` produces runs for, in the order they train: the baseline first,
    then the user's choice, the slowest first (by `ModelSpec.cost`).

    Slowest first, the time left is measured on the model that decides it as soon as that model's first fit
    ends (bench/bench_seed_shapes.py: after a linear model's first fit the estimate was 3× the time really
    left, because how much slower LightGBM is varies from table to table). Under a time limit the user's
    order is kept: the models that fit in it are the ones first in the list.
    """
    chosen = [m for m in dict.fromkeys(settings.models) if m != BASELINE]
    if not settings.time_limit:
        chosen.sort(key=lambda m: -REGISTRY[m].cost if m in REGISTRY else 0.0)  # stable: ties keep their order
    return (BASELINE, *chosen)
