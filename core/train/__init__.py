"""Training: settings, target and folds, metrics, the model registry and preprocessing, the comparison, jobs.

Callers import from here; the modules behind it are ``settings``, ``splits``, ``metrics``,
``importance``, ``fitting``, ``search`` (Optuna), ``ensemble``, ``threshold``, ``calibration``, ``holdout``, ``finishing``, ``train`` (the comparison), ``record`` (a comparison stored as
runs), ``models``, ``preprocessing`` and ``jobs`` (the background runner, imported from its module).
Note that ``core.train.train`` as an attribute is the function `train`; ``from core.train.train import X``
still reaches the module.
"""
from core.train.fitting import build_pipeline
from core.train.metrics import METRIC_FUNCTIONS, compute_metrics, fast_metric, metric_value
from core.train.models import DEFAULT_MODELS, REGISTRY, get_spec
from core.train.preprocessing import PreprocessSettings
from core.train.record import TrainingOutcome, record_training, train_dataset
from core.train.settings import (BASELINE, CLASSIFICATION_METRICS, DEFAULT_METRIC, LOWER_IS_BETTER,
                                 REGRESSION_METRICS, TASKS, VALIDATIONS, TrainSettings, infer_task, metrics_for,
                                 models_to_train, task_from_summary)
from core.train.splits import make_splits, prepare_target
from core.train.train import (ModelResult, Progress, TrainingCancelled, TrainResult, estimate_seconds,
                              plan_warnings, train)

__all__ = [
    "BASELINE", "CLASSIFICATION_METRICS", "DEFAULT_METRIC", "DEFAULT_MODELS", "LOWER_IS_BETTER",
    "METRIC_FUNCTIONS", "REGISTRY", "REGRESSION_METRICS", "TASKS", "VALIDATIONS",
    "ModelResult", "PreprocessSettings", "Progress", "TrainResult", "TrainSettings", "TrainingCancelled",
    "TrainingOutcome", "build_pipeline", "compute_metrics", "estimate_seconds",
    "fast_metric", "get_spec", "infer_task", "make_splits", "metric_value", "metrics_for", "models_to_train",
    "plan_warnings", "prepare_target", "record_training", "task_from_summary", "train", "train_dataset",
]
