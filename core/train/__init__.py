"""Training: settings, target and folds, metrics, the model registry and preprocessing, the comparison, jobs.

Callers import from here; the modules behind it are ``settings``, ``splits``, ``metrics``,
``importance``, ``fitting``, ``search`` (Optuna), ``ensemble``, ``threshold``, ``calibration``, ``holdout``,
``finishing``, ``train`` (the comparison), ``record`` (a comparison stored as runs), ``models``, ``options`` and
``preprocessing``, ``task`` (the task guess of a stored target) and ``jobs`` (the background runner, imported
from its module). Each name is imported when first used, so reading settings or the registry (the CLI's
``--help``, ``runs``) never loads scikit-learn.
Note that ``core.train.train`` as an attribute is the function `train`; ``from core.train.train import X``
still reaches the module.
"""
from __future__ import annotations

import importlib
import sys
import types

#: Each public name and the module that defines it.
_EXPORTS = {
    "build_pipeline": "fitting",
    **dict.fromkeys(("METRIC_FUNCTIONS", "compute_metrics", "fast_metric", "metric_value"), "metrics"),
    **dict.fromkeys(("DEFAULT_MODELS", "REGISTRY", "get_spec"), "models"),
    "PreprocessSettings": "options",
    **dict.fromkeys(("TrainingOutcome", "record_training", "train_dataset"), "record"),
    **dict.fromkeys(("BASELINE", "CLASSIFICATION_METRICS", "DEFAULT_METRIC", "LOWER_IS_BETTER", "REGRESSION_METRICS",
                     "TASKS", "VALIDATIONS", "TaskGuess", "TrainSettings", "guess_task", "infer_task", "metric_order",
                     "metrics_for", "models_to_train", "task_from_summary"), "settings"),
    **dict.fromkeys(("make_splits", "prepare_target"), "splits"),
    **dict.fromkeys(("ModelResult", "Progress", "TrainingCancelled", "TrainResult", "estimate_seconds",
                     "plan_warnings", "train"), "train"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Importing the submodule ``core.train.train`` sets the package's attribute ``train``: keep it the function."""

    def __setattr__(self, name, value):
        if name == "train" and isinstance(value, types.ModuleType):
            value = value.train
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
