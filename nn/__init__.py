"""Neural networks for tabular data, written in numpy: MLP and ResNet estimators, save / load.

The estimators (and save / load) live in ``nn.estimators``, the one module that needs
scikit-learn; they are imported on first use, so ``nn.layers``, ``nn.losses``,
``nn.optimizers``, ``nn.schedules``, ``nn.training``, ``nn.networks`` and
``nn.serialization`` work with numpy alone.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .estimators import MLPClassifier, MLPRegressor, ResNetClassifier, ResNetRegressor, load, save
    from .serialization import ModelFileError
    from .training import TrainingDivergedError

_EXPORTS = {
    "MLPClassifier": "estimators",
    "MLPRegressor": "estimators",
    "ResNetClassifier": "estimators",
    "ResNetRegressor": "estimators",
    "save": "estimators",
    "load": "estimators",
    "ModelFileError": "serialization",
    "TrainingDivergedError": "training",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
