"""The fit / predict plumbing the nn estimators share: parameter checks, training, and the two tasks.

With ``nn/estimators/`` this is the one place in ``nn`` that imports scikit-learn, and only its public API,
so the estimators work with ``clone``, ``Pipeline``, ``cross_validate`` and ``check_estimator``.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_array, column_or_1d
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..layers import ACTIVATIONS
from ..losses import Huber, MeanSquaredError, SigmoidBinaryCrossEntropy, SoftmaxCrossEntropy
from ..optimizers import OPTIMIZERS, make_optimizer
from ..schedules import make_schedule
from ..training import R2, Accuracy, predict_scores, train, validation_split

__all__ = ["NeuralNetBase", "ClassifierBase", "RegressorBase", "check_param", "is_int"]

_DTYPES = ("float32", "float64")
_REGRESSION_LOSSES = ("mse", "huber")


def check_param(condition: bool, message: str) -> None:
    """Raise ValueError(``message``) unless ``condition`` holds (scikit-learn checks parameters in fit)."""
    if not condition:
        raise ValueError(message)


def is_int(x) -> bool:
    """An integer that is not a bool."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


class NeuralNetBase(BaseEstimator):
    """Fit / predict plumbing shared by the four estimators; subclasses add the architecture
    (``_build_network``) and the task (classification or regression)."""

    # -- parameters --------------------------------------------------------------------------

    def _check_common_params(self) -> None:
        check_param(self.optimizer in OPTIMIZERS,
               f"optimizer must be one of {sorted(OPTIMIZERS)}, got {self.optimizer!r}.")
        check_param(isinstance(self.learning_rate, numbers.Real) and self.learning_rate > 0,
               f"learning_rate must be a positive number, got {self.learning_rate!r}.")
        check_param(isinstance(self.weight_decay, numbers.Real) and self.weight_decay >= 0,
               f"weight_decay must be >= 0, got {self.weight_decay!r}.")
        check_param(is_int(self.batch_size) and self.batch_size >= 1,
               f"batch_size must be a positive integer, got {self.batch_size!r}.")
        check_param(is_int(self.epochs) and self.epochs >= 1,
               f"epochs must be a positive integer, got {self.epochs!r}.")
        check_param(self.validation_fraction is None
               or (isinstance(self.validation_fraction, numbers.Real)
                   and 0 <= self.validation_fraction < 1),
               f"validation_fraction must be in [0, 1), got {self.validation_fraction!r}.")
        check_param(is_int(self.patience) and self.patience >= 1,
               f"patience must be a positive integer, got {self.patience!r}.")
        check_param(isinstance(self.tol, numbers.Real) and self.tol >= 0,
               f"tol must be >= 0, got {self.tol!r}.")
        check_param(self.clip_norm is None or (isinstance(self.clip_norm, numbers.Real) and self.clip_norm > 0),
               f"clip_norm must be None or a positive number, got {self.clip_norm!r}.")
        check_param(str(self.dtype) in _DTYPES, f"dtype must be one of {_DTYPES}, got {self.dtype!r}.")
        check_param(self.activation in ACTIVATIONS,
               f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}.")
        check_param(isinstance(self.dropout, numbers.Real) and 0 <= self.dropout < 1,
               f"dropout must be in [0, 1), got {self.dropout!r}.")
        check_param(self.callback is None or callable(self.callback), "callback must be callable or None.")
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


class ClassifierBase(ClassifierMixin, NeuralNetBase):
    def fit(self, X, y, X_val=None, y_val=None):
        """Train on (X, y); validate on (X_val, y_val) if given, else on a stratified
        ``validation_fraction`` of (X, y) when ``early_stopping`` is on. Returns self."""
        self._check_common_params()
        check_param(self.class_weight is None or self.class_weight == "balanced"
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
            check_param(len(y_val) == len(X_val), "X_val and y_val have different numbers of rows.")
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


class RegressorBase(RegressorMixin, NeuralNetBase):
    def fit(self, X, y, X_val=None, y_val=None):
        """Train on (X, y) with y standardised internally; validate on (X_val, y_val) if
        given, else on a random ``validation_fraction`` of (X, y) when ``early_stopping`` is on.
        Returns self."""
        self._check_common_params()
        check_param(self.loss in _REGRESSION_LOSSES,
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
            check_param(y_val.shape[1] == self.n_outputs_,
                   f"y_val has {y_val.shape[1]} outputs, y has {self.n_outputs_}.")
            check_param(len(y_val) == len(X_val), "X_val and y_val have different numbers of rows.")
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


