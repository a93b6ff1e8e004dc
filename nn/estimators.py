"""scikit-learn estimators around the numpy networks: MLP and tabular ResNet, classifier and regressor.

This is the one module of ``nn`` that imports scikit-learn, and only its public API, so the
estimators work with ``clone``, ``Pipeline``, ``cross_validate`` and ``check_estimator``.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_array, column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .layers import ACTIVATIONS
from .losses import Huber, MeanSquaredError, SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from .networks import build_mlp, build_resnet
from .optimizers import OPTIMIZERS, make_optimizer
from .schedules import make_schedule
from .serialization import (ModelFileError, network_from_state, network_state, read_model_file,
                            write_model_file)
from .training import R2, Accuracy, TrainingDivergedError, predict_scores, train, validation_split

__all__ = ["MLPClassifier", "MLPRegressor", "ResNetClassifier", "ResNetRegressor", "save", "load"]

_DTYPES = ("float32", "float64")
_REGRESSION_LOSSES = ("mse", "huber")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


class _NeuralNetBase(BaseEstimator):
    """Fit / predict plumbing shared by the four estimators; subclasses add the architecture
    (``_build_network``) and the task (classification or regression)."""

    # -- parameters --------------------------------------------------------------------------

    def _check_common_params(self) -> None:
        _check(self.optimizer in OPTIMIZERS,
               f"optimizer must be one of {sorted(OPTIMIZERS)}, got {self.optimizer!r}.")
        _check(isinstance(self.learning_rate, numbers.Real) and self.learning_rate > 0,
               f"learning_rate must be a positive number, got {self.learning_rate!r}.")
        _check(isinstance(self.weight_decay, numbers.Real) and self.weight_decay >= 0,
               f"weight_decay must be >= 0, got {self.weight_decay!r}.")
        _check(_is_int(self.batch_size) and self.batch_size >= 1,
               f"batch_size must be a positive integer, got {self.batch_size!r}.")
        _check(_is_int(self.epochs) and self.epochs >= 1,
               f"epochs must be a positive integer, got {self.epochs!r}.")
        _check(self.validation_fraction is None
               or (isinstance(self.validation_fraction, numbers.Real)
                   and 0 <= self.validation_fraction < 1),
               f"validation_fraction must be in [0, 1), got {self.validation_fraction!r}.")
        _check(_is_int(self.patience) and self.patience >= 1,
               f"patience must be a positive integer, got {self.patience!r}.")
        _check(isinstance(self.tol, numbers.Real) and self.tol >= 0,
               f"tol must be >= 0, got {self.tol!r}.")
        _check(self.clip_norm is None or (isinstance(self.clip_norm, numbers.Real) and self.clip_norm > 0),
               f"clip_norm must be None or a positive number, got {self.clip_norm!r}.")
        _check(str(self.dtype) in _DTYPES, f"dtype must be one of {_DTYPES}, got {self.dtype!r}.")
        _check(self.activation in ACTIVATIONS,
               f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}.")
        _check(isinstance(self.dropout, numbers.Real) and 0 <= self.dropout < 1,
               f"dropout must be in [0, 1), got {self.dropout!r}.")
        _check(self.callback is None or callable(self.callback), "callback must be callable or None.")
        self._check_architecture_params()

    def _check_architecture_params(self) -> None:
        raise NotImplementedError

    def _build_network(self, n_in: int, n_out: int, rng, dtype):
        raise NotImplementedError

    def _make_rng(self) -> np.random.Generator:
        rs = self.random_state
        if isinstance(rs, np.random.RandomState):
            # sklearn-style RandomState: draw one seed from it, then use a Generator throughout
            rs = int(rs.randint(np.iinfo(np.int32).max))
        return np.random.default_rng(rs)

    # -- training ----------------------------------------------------------------------------

    def _fit_network(self, X, y, X_val, y_val, loss, metric, n_out, stratify):
        """Build and train ``network_``; y is already in the form ``loss`` expects."""
        dtype = np.dtype(self.dtype)
        rng = self._make_rng()
        if X_val is None and self.early_stopping and self.validation_fraction:
            train_idx, val_idx = validation_split(len(X), self.validation_fraction, rng, stratify)
            if val_idx is not None:
                X, X_val = X[train_idx], X[val_idx]
                y, y_val = y[train_idx], y[val_idx]
        self.network_ = self._build_network(X.shape[1], n_out, rng, dtype)
        optimizer = make_optimizer(self.optimizer, self.learning_rate,
                                   weight_decay=self.weight_decay, clip_norm=self.clip_norm)
        schedule = make_schedule(self.lr_schedule, self.learning_rate, self.epochs)
        result = train(
            self.network_, loss, optimizer, X, y, rng=rng, epochs=self.epochs,
            batch_size=self.batch_size, X_val=X_val, y_val=y_val,
            early_stopping=self.early_stopping, patience=self.patience, tol=self.tol,
            schedule=schedule, metric=metric, callback=self.callback, verbose=self.verbose,
        )
        self.history_ = result.history
        self.best_epoch_ = result.best_epoch
        self.n_epochs_ = result.n_epochs
        self.stopped_by_ = result.stopped_by
        return self

    def _validate_val(self, X_val, y_val):
        if (X_val is None) != (y_val is None):
            raise ValueError("Pass both X_val and y_val, or neither.")
        if X_val is None:
            return None
        return validate_data(self, X_val, reset=False, dtype=np.dtype(self.dtype))

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.dtype(self.dtype))
        return predict_scores(self.network_, X)


class _ClassifierBase(ClassifierMixin, _NeuralNetBase):
    def fit(self, X, y, X_val=None, y_val=None):
        """Train on (X, y); validate on (X_val, y_val) if given, else on a stratified
        ``validation_fraction`` of (X, y) when ``early_stopping`` is on. Returns self."""
        self._check_common_params()
        _check(self.class_weight is None or self.class_weight == "balanced"
               or isinstance(self.class_weight, dict),
               "class_weight must be None, 'balanced' or a dict {class: weight}.")
        dtype = np.dtype(self.dtype)
        X, y = validate_data(self, X, y, dtype=dtype)
        check_classification_targets(y)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        y_enc = y_enc.astype(np.intp, copy=False)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                "Classifier can't train when only one class is present; the target column "
                f"holds only {self.classes_[0]!r}."
            )
        if self.class_weight is None:
            self.class_weight_ = None
            weights = None
        else:
            self.class_weight_ = compute_class_weight(self.class_weight, classes=self.classes_, y=y)
            weights = self.class_weight_
        X_val = self._validate_val(X_val, y_val)
        if X_val is not None:
            y_val = self._encode(column_or_1d(np.asarray(y_val), warn=True))
            _check(len(y_val) == len(X_val), "X_val and y_val have different numbers of rows.")
        if n_classes == 2:
            loss, n_out = SigmoidBinaryCrossEntropy(weights), 1
        else:
            loss, n_out = SoftmaxCrossEntropy(weights), n_classes
        return self._fit_network(X, y_enc, X_val, y_val, loss, Accuracy, n_out, stratify=y_enc)

    def _encode(self, y):
        idx = np.searchsorted(self.classes_, y)
        idx = np.clip(idx, 0, len(self.classes_) - 1)
        unknown = self.classes_[idx] != y
        if np.any(unknown):
            raise ValueError(
                f"y_val holds labels not seen in y: {np.unique(y[unknown])[:5].tolist()}; "
                "validation labels must be a subset of the training labels."
            )
        return idx.astype(np.intp)

    def predict_proba(self, X):
        """Class probabilities, (n_samples, n_classes) float64 in the order of ``classes_``."""
        scores = self._scores(X).astype(np.float64)
        if scores.shape[1] == 1:
            s = scores[:, 0]
            e = np.exp(-np.abs(s))
            p1 = np.where(s >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
            return np.column_stack([1.0 - p1, p1])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict(self, X):
        """Most probable class for each row, as values of ``classes_``."""
        proba = self.predict_proba(X)  # checks fitting before classes_ is touched
        return self.classes_[np.argmax(proba, axis=1)]


class _RegressorBase(RegressorMixin, _NeuralNetBase):
    def fit(self, X, y, X_val=None, y_val=None):
        """Train on (X, y) with y standardised internally; validate on (X_val, y_val) if
        given, else on a random ``validation_fraction`` of (X, y) when ``early_stopping`` is on.
        Returns self."""
        self._check_common_params()
        _check(self.loss in _REGRESSION_LOSSES,
               f"loss must be one of {_REGRESSION_LOSSES}, got {self.loss!r}.")
        dtype = np.dtype(self.dtype)
        X, y = validate_data(self, X, y, dtype=dtype, multi_output=True, y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        self._y_ndim = y.ndim
        y2 = y.reshape(len(y), -1)
        self.n_outputs_ = y2.shape[1]
        self.y_mean_ = y2.mean(axis=0)
        scale = y2.std(axis=0)
        scale[scale < 1e-12 * np.maximum(np.abs(self.y_mean_), 1.0)] = 1.0  # constant target
        self.y_scale_ = scale
        X_val = self._validate_val(X_val, y_val)
        if X_val is not None:
            y_val = check_array(y_val, ensure_2d=False, dtype=np.float64, input_name="y_val")
            y_val = self._standardise(y_val.reshape(len(y_val), -1), dtype)
            _check(y_val.shape[1] == self.n_outputs_,
                   f"y_val has {y_val.shape[1]} outputs, y has {self.n_outputs_}.")
            _check(len(y_val) == len(X_val), "X_val and y_val have different numbers of rows.")
        loss = MeanSquaredError() if self.loss == "mse" else Huber(1.0)
        return self._fit_network(X, self._standardise(y2, dtype), X_val, y_val, loss, R2,
                                 self.n_outputs_, stratify=None)

    def _standardise(self, y2, dtype):
        return ((y2 - self.y_mean_) / self.y_scale_).astype(dtype)

    def predict(self, X):
        """Predicted targets, float64, shaped like the y given to fit."""
        pred = self._scores(X).astype(np.float64)
        pred *= self.y_scale_
        pred += self.y_mean_
        return pred.ravel() if self._y_ndim == 1 else pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


# ---------------------------------------------------------------------------------------------
# Architectures


class _MLPArchitecture:
    def _check_architecture_params(self):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if _is_int(sizes) else sizes
        _check(isinstance(sizes, (tuple, list)) and all(_is_int(s) and s >= 1 for s in sizes),
               f"hidden_layer_sizes must be a tuple of positive integers, got {self.hidden_layer_sizes!r}.")
        _check(isinstance(self.batch_norm, (bool, np.bool_)), "batch_norm must be True or False.")

    def _build_network(self, n_in, n_out, rng, dtype):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if _is_int(sizes) else tuple(sizes)
        return build_mlp(n_in, n_out, hidden_layer_sizes=sizes, activation=self.activation,
                         dropout=self.dropout, batch_norm=bool(self.batch_norm), rng=rng, dtype=dtype)


class _ResNetArchitecture:
    def _check_architecture_params(self):
        _check(_is_int(self.n_blocks) and self.n_blocks >= 0, "n_blocks must be an integer >= 0.")
        _check(_is_int(self.width) and self.width >= 1, "width must be a positive integer.")
        _check(_is_int(self.block_hidden) and self.block_hidden >= 1,
               "block_hidden must be a positive integer.")

    def _build_network(self, n_in, n_out, rng, dtype):
        return build_resnet(n_in, n_out, n_blocks=self.n_blocks, width=self.width,
                            block_hidden=self.block_hidden, activation=self.activation,
                            dropout=self.dropout, rng=rng, dtype=dtype)


class MLPClassifier(_MLPArchitecture, _ClassifierBase):
    def __init__(self, hidden_layer_sizes=(128, 64), activation="relu", dropout=0.0,
                 batch_norm=False, optimizer="adam", learning_rate=1e-3, weight_decay=0.0,
                 batch_size=256, epochs=100, early_stopping=True, validation_fraction=0.1,
                 patience=10, tol=1e-4, class_weight=None, lr_schedule=None, clip_norm=None,
                 dtype="float32", random_state=None, callback=None, verbose=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.tol = tol
        self.class_weight = class_weight
        self.lr_schedule = lr_schedule
        self.clip_norm = clip_norm
        self.dtype = dtype
        self.random_state = random_state
        self.callback = callback
        self.verbose = verbose


class MLPRegressor(_MLPArchitecture, _RegressorBase):
    def __init__(self, hidden_layer_sizes=(128, 64), activation="relu", dropout=0.0,
                 batch_norm=False, optimizer="adam", learning_rate=1e-3, weight_decay=0.0,
                 batch_size=256, epochs=100, early_stopping=True, validation_fraction=0.1,
                 patience=10, tol=1e-4, loss="mse", lr_schedule=None, clip_norm=None,
                 dtype="float32", random_state=None, callback=None, verbose=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.tol = tol
        self.loss = loss
        self.lr_schedule = lr_schedule
        self.clip_norm = clip_norm
        self.dtype = dtype
        self.random_state = random_state
        self.callback = callback
        self.verbose = verbose


class ResNetClassifier(_ResNetArchitecture, _ClassifierBase):
    def __init__(self, n_blocks=2, width=128, block_hidden=256, activation="relu", dropout=0.0,
                 optimizer="adam", learning_rate=1e-3, weight_decay=0.0, batch_size=256,
                 epochs=100, early_stopping=True, validation_fraction=0.1, patience=10,
                 tol=1e-4, class_weight=None, lr_schedule=None, clip_norm=None,
                 dtype="float32", random_state=None, callback=None, verbose=False):
        self.n_blocks = n_blocks
        self.width = width
        self.block_hidden = block_hidden
        self.activation = activation
        self.dropout = dropout
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.tol = tol
        self.class_weight = class_weight
        self.lr_schedule = lr_schedule
        self.clip_norm = clip_norm
        self.dtype = dtype
        self.random_state = random_state
        self.callback = callback
        self.verbose = verbose


class ResNetRegressor(_ResNetArchitecture, _RegressorBase):
    def __init__(self, n_blocks=2, width=128, block_hidden=256, activation="relu", dropout=0.0,
                 optimizer="adam", learning_rate=1e-3, weight_decay=0.0, batch_size=256,
                 epochs=100, early_stopping=True, validation_fraction=0.1, patience=10,
                 tol=1e-4, loss="mse", lr_schedule=None, clip_norm=None,
                 dtype="float32", random_state=None, callback=None, verbose=False):
        self.n_blocks = n_blocks
        self.width = width
        self.block_hidden = block_hidden
        self.activation = activation
        self.dropout = dropout
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.tol = tol
        self.loss = loss
        self.lr_schedule = lr_schedule
        self.clip_norm = clip_norm
        self.dtype = dtype
        self.random_state = random_state
        self.callback = callback
        self.verbose = verbose


# ---------------------------------------------------------------------------------------------
# Documentation (shared parameters are described once)

_TRAINING_DOC = """
    optimizer : {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}
    learning_rate : float, initial step size.
    weight_decay : float, L2 penalty on the Dense weights (decoupled for "adamw").
    batch_size : int, rows per mini-batch (capped at the number of training rows).
    epochs : int, maximum number of passes over the training rows.
    early_stopping : bool. Stop after ``patience`` epochs without the monitored loss improving
        by more than ``tol``, and keep the weights of the best epoch. The monitored loss is the
        validation loss when there is validation data, else the training loss.
    validation_fraction : float in [0, 1). Share of rows held out for validation when
        ``early_stopping`` is on and ``fit`` gets no ``X_val`` (stratified for classifiers).
    patience : int, epochs without improvement before stopping.
    tol : float, smallest decrease of the monitored loss that counts as an improvement.
    lr_schedule : None, "step", "cosine", "plateau" or a dict ``{"name": ..., **options}``
        (step: ``step_size``, ``gamma``; cosine: ``t_max``, ``min_lr``; plateau: ``factor``,
        ``patience``, ``threshold``, ``min_lr``); stepped once per epoch.
    clip_norm : None or float, clip the global L2 norm of the gradients to this value.
    dtype : "float32" or "float64", the dtype of the weights and of all computation.
    random_state : None, int or numpy Generator; seeds one ``np.random.default_rng`` used for
        every random draw (initial weights, validation split, batch order, dropout masks).
    callback : None or callable ``f(info) -> bool | None``, called after every epoch with a dict
        with keys "epoch" (from 1), "n_epochs" (the maximum), "train_loss", "val_loss",
        "train_metric", "val_metric" (None without validation data), "metric_name"
        ("accuracy" or "r2"), "lr" (used in that epoch) and "seconds" (wall time of that epoch).
        Returning True stops training after that epoch, the model stays usable; any exception
        it raises propagates out of ``fit`` (use that to cancel).
    verbose : bool, print one line per epoch.

    Attributes
    ----------
    network_ : nn.layers.Sequential, the trained network.
    history_ : list of dict, one per epoch, the dicts given to ``callback``.
    best_epoch_ : int, the epoch (from 1) whose weights the model holds.
    n_epochs_ : int, epochs run.
    stopped_by_ : str, "epochs", "early_stopping" or "callback".
    n_features_in_ : int; feature_names_in_ : ndarray of str, when fitted on a DataFrame.
"""

_CLASSIFIER_DOC = """
    class_weight : None, "balanced" or dict {class: weight}; the loss becomes the weighted mean.

    Binary problems use one sigmoid output with binary cross-entropy, others softmax.
    Extra attributes: ``classes_`` (labels, sorted), ``class_weight_`` (array or None).
"""

_REGRESSOR_DOC = """
    loss : "mse" or "huber" (delta 1 on the standardised target).

    The target is standardised for training and mapped back in ``predict``; y may be 2-D for
    several outputs. Extra attributes: ``n_outputs_``, ``y_mean_``, ``y_scale_``.
"""

_MLP_DOC = """
    Parameters
    ----------
    hidden_layer_sizes : tuple of int, units per hidden layer.
    activation : {"relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid"}
    dropout : float in [0, 1), inverted dropout after each hidden activation.
    batch_norm : bool, BatchNorm between each hidden Dense and its activation."""

_RESNET_DOC = """
    Parameters
    ----------
    n_blocks : int, residual blocks (BatchNorm → Dense → activation → Dropout → Dense, + skip).
    width : int, size of the residual stream.
    block_hidden : int, size inside each block.
    activation : {"relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid"}
    dropout : float in [0, 1), dropout inside each block."""

MLPClassifier.__doc__ = ("Multi-layer perceptron classifier trained with mini-batch gradient descent.\n"
                         + _MLP_DOC + _TRAINING_DOC + _CLASSIFIER_DOC)
MLPRegressor.__doc__ = ("Multi-layer perceptron regressor trained with mini-batch gradient descent.\n"
                        + _MLP_DOC + _TRAINING_DOC + _REGRESSOR_DOC)
ResNetClassifier.__doc__ = ("Tabular ResNet classifier (Gorishniy et al., 2021).\n"
                            + _RESNET_DOC + _TRAINING_DOC + _CLASSIFIER_DOC)
ResNetRegressor.__doc__ = ("Tabular ResNet regressor (Gorishniy et al., 2021).\n"
                           + _RESNET_DOC + _TRAINING_DOC + _REGRESSOR_DOC)


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
    if not (params["random_state"] is None or _is_int(params["random_state"])):
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
