"""Neural networks for tabular data, written in numpy: MLP and ResNet estimators, save / load."""

from .estimators import MLPClassifier, MLPRegressor, ResNetClassifier, ResNetRegressor, load, save
from .serialization import ModelFileError
from .training import TrainingDivergedError

__all__ = [
    "MLPClassifier",
    "MLPRegressor",
    "ResNetClassifier",
    "ResNetRegressor",
    "save",
    "load",
    "ModelFileError",
    "TrainingDivergedError",
]
