"""Saving and loading a fitted nn estimator without pickle: arrays in .npz, everything else as JSON."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..serialization import ModelFileError, network_from_state, network_state, read_model_file, write_model_file
from .base import is_int
from .models import MLPClassifier, MLPRegressor, ResNetClassifier, ResNetRegressor

__all__ = ["save", "load", "ModelFileError"]


# ---------------------------------------------------------------------------------------------
# Save / load without pickle

_ESTIMATORS = {cls.__name__: cls for cls in (MLPClassifier, MLPRegressor, ResNetClassifier,
                                             ResNetRegressor)}


def _to_json(value):
    """Parameter value → JSON, keeping tuples and non-string dict keys recoverable."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [_to_json(v) for v in value]}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and "__tuple__" not in value:
            return {k: _to_json(v) for k, v in value.items()}
        return {"__items__": [[_to_json(k), _to_json(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def _from_json(value):
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(_from_json(v) for v in value["__tuple__"])
        if set(value) == {"__items__"}:
            return {_from_json(k): _from_json(v) for k, v in value["__items__"]}
        return {k: _from_json(v) for k, v in value.items()}
    return value


def _array_for_file(arr: np.ndarray) -> tuple[np.ndarray, str | None]:
    """(array storable without pickle, original dtype name if it had to change)."""
    if arr.dtype != object:
        return arr, None
    if all(isinstance(v, str) for v in arr):
        return np.asarray(arr, dtype=str), "object"
    return np.asarray(arr.tolist()), "object"


def save(model, path) -> None:
    """Write a fitted estimator to ``path`` as one .npz file (arrays + a JSON document).

    No pickle is involved: weights, running statistics and classes are arrays, everything else
    (class, hyperparameters, network structure, history) is JSON. ``callback`` is not stored,
    nor a ``random_state`` that is a Generator; they come back as None.
    """
    check_is_fitted(model)
    name = type(model).__name__
    if name not in _ESTIMATORS:
        raise TypeError(f"save() handles {sorted(_ESTIMATORS)}, not {name}.")
    params = model.get_params(deep=False)
    params["callback"] = None
    if not (params["random_state"] is None or is_int(params["random_state"])):
        params["random_state"] = None
    config, arrays = network_state(model.network_)
    arrays = dict(arrays)
    fitted = {
        "n_features_in_": int(model.n_features_in_),
        "history_": model.history_,
        "best_epoch_": int(model.best_epoch_),
        "n_epochs_": int(model.n_epochs_),
        "stopped_by_": model.stopped_by_,
    }
    if hasattr(model, "feature_names_in_"):
        fitted["feature_names_in_"] = [str(f) for f in model.feature_names_in_]
    if isinstance(model, ClassifierMixin):
        arrays["classes_"], fitted["classes_dtype"] = _array_for_file(model.classes_)
        if model.class_weight_ is not None:
            arrays["class_weight_"] = model.class_weight_
    else:
        fitted["n_outputs_"] = int(model.n_outputs_)
        fitted["y_ndim"] = int(model._y_ndim)
        arrays["y_mean_"], arrays["y_scale_"] = model.y_mean_, model.y_scale_
    meta = {"estimator": name, "params": _to_json(params), "network": config, "fitted": fitted}
    write_model_file(path, meta, arrays)


def load(path):
    """Read an estimator written by :func:`save`; it predicts exactly what the saved one did."""
    meta, arrays = read_model_file(path)
    try:
        cls = _ESTIMATORS[meta["estimator"]]
        model = cls(**_from_json(meta["params"]))
        fitted = meta["fitted"]
        model.network_ = network_from_state(meta["network"], arrays, dtype=np.dtype(model.dtype))
        model.n_features_in_ = fitted["n_features_in_"]
        model.history_ = fitted["history_"]
        model.best_epoch_ = fitted["best_epoch_"]
        model.n_epochs_ = fitted["n_epochs_"]
        model.stopped_by_ = fitted["stopped_by_"]
        if "feature_names_in_" in fitted:
            model.feature_names_in_ = np.asarray(fitted["feature_names_in_"], dtype=object)
        if isinstance(model, ClassifierMixin):
            classes = arrays["classes_"]
            if fitted.get("classes_dtype") == "object":
                classes = classes.astype(object)
            model.classes_ = classes
            model.class_weight_ = arrays.get("class_weight_")
        else:
            model.n_outputs_ = fitted["n_outputs_"]
            model._y_ndim = fitted["y_ndim"]
            model.y_mean_, model.y_scale_ = arrays["y_mean_"], arrays["y_scale_"]
    except (KeyError, TypeError) as exc:
        raise ModelFileError(f"The model file {path!s} is incomplete or damaged ({exc!r}).") from exc
    return model
