"""scikit-learn estimators around the numpy networks: MLP and tabular ResNet, classifier and regressor.

This package is the one part of ``nn`` that imports scikit-learn (its base classes and validation
helpers, public API only); the rest of ``nn`` is numpy only.
"""

from ..serialization import ModelFileError
from ..training import TrainingDivergedError
from .files import load, save
from .models import MLPClassifier, MLPRegressor, ResNetClassifier, ResNetRegressor

__all__ = ["MLPClassifier", "MLPRegressor", "ResNetClassifier", "ResNetRegressor", "save", "load",
           "ModelFileError", "TrainingDivergedError"]
