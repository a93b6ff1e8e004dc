"""What decides a training: the tasks, metrics and validations there are, the task of a target, `TrainSettings`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import numpy as np
import pandas as pd

from core.train.models import DEFAULT_MODELS
from core.train.preprocessing import PreprocessSettings

TASKS = ("binary", "multiclass", "regression")
CLASSIFICATION_METRICS = ("accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro",
                          "f1_weighted", "roc_auc", "log_loss")
REGRESSION_METRICS = ("rmse", "mae", "mape", "r2", "mse")
LOWER_IS_BETTER = frozenset({"log_loss", "rmse", "mae", "mape", "mse"})
DEFAULT_METRIC = {"binary": "roc_auc", "multiclass": "f1_macro", "regression": "rmse"}
VALIDATIONS = ("kfold", "holdout", "repeated", "time")
#: The do-nothing model every comparison includes, as the bar to beat.
BASELINE = "dummy"
#: A numeric target of whole numbers with at most this many distinct values is taken as classes.
MAX_CLASS_CODES = 20


def task_from_summary(distinct: int, numeric: bool, whole_numbers: bool) -> str:
    """'binary', 'multiclass' or 'regression' from what is known of a target's (present) values.

    Parameters
    ----------
    distinct : int
        How many different values the target has.
    numeric : bool
        Whether the values are numbers (yes/no values are not).
    whole_numbers : bool
        Whether every value is a whole number (only read when ``numeric``).
    """
    if distinct <= 2:
        return "binary"
    if not numeric or (whole_numbers and distinct <= MAX_CLASS_CODES):
        return "multiclass"
    return "regression"


def infer_task(y: pd.Series) -> str:
    """'binary', 'multiclass' or 'regression' from the target's values (missing ignored)."""
    y = y.dropna()
    distinct = y.nunique()
    numeric = pd.api.types.is_numeric_dtype(y) and not pd.api.types.is_bool_dtype(y)
    whole = numeric and distinct <= MAX_CLASS_CODES \
        and bool(np.all(np.equal(np.mod(y.to_numpy(dtype="float64"), 1), 0)))
    return task_from_summary(distinct, numeric, whole)


def metrics_for(task: str) -> tuple[str, ...]:
    """The metrics measured for ``task``, in the order they are shown."""
    return REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS


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
    """The models a training of ``settings`` produces runs for: the baseline first, then the user's choice."""
    return tuple(dict.fromkeys((BASELINE,) + tuple(settings.models)))
