"""The four nn estimators: MLP and tabular ResNet, each as a classifier and a regressor."""

from __future__ import annotations

import numpy as np

from ..networks import build_mlp, build_resnet
from .base import ClassifierBase, RegressorBase, check_param, is_int

__all__ = ["MLPClassifier", "MLPRegressor", "ResNetClassifier", "ResNetRegressor"]


# ---------------------------------------------------------------------------------------------
# Architectures


class _MLPArchitecture:
    def _check_architecture_params(self):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if is_int(sizes) else sizes
        check_param(isinstance(sizes, (tuple, list)) and all(is_int(s) and s >= 1 for s in sizes),
               f"hidden_layer_sizes must be a tuple of positive integers, got {self.hidden_layer_sizes!r}.")
        check_param(isinstance(self.batch_norm, (bool, np.bool_)), "batch_norm must be True or False.")

    def _build_network(self, n_in, n_out, rng, dtype):
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if is_int(sizes) else tuple(sizes)
        return build_mlp(n_in, n_out, hidden_layer_sizes=sizes, activation=self.activation,
                         dropout=self.dropout, batch_norm=bool(self.batch_norm), rng=rng, dtype=dtype)


class _ResNetArchitecture:
    def _check_architecture_params(self):
        check_param(is_int(self.n_blocks) and self.n_blocks >= 0, "n_blocks must be an integer >= 0.")
        check_param(is_int(self.width) and self.width >= 1, "width must be a positive integer.")
        check_param(is_int(self.block_hidden) and self.block_hidden >= 1,
               "block_hidden must be a positive integer.")

    def _build_network(self, n_in, n_out, rng, dtype):
        return build_resnet(n_in, n_out, n_blocks=self.n_blocks, width=self.width,
                            block_hidden=self.block_hidden, activation=self.activation,
                            dropout=self.dropout, rng=rng, dtype=dtype)


class MLPClassifier(_MLPArchitecture, ClassifierBase):
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


class MLPRegressor(_MLPArchitecture, RegressorBase):
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


class ResNetClassifier(_ResNetArchitecture, ClassifierBase):
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


class ResNetRegressor(_ResNetArchitecture, RegressorBase):
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


