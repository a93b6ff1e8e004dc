"""Network layers with a forward pass that keeps what the backward pass needs (numpy only).

Every layer has ``forward(x, training=False)`` and ``backward(dout)``; ``backward`` returns
``dx`` and writes the parameter gradients into ``layer.grads`` (same keys as ``layer.params``).
``dout`` is never modified. ``forward`` computes its output from locals only (the cached
arrays are written, never read back), so concurrent inference on one network is safe. Optimizers update the arrays in ``layer.params`` in place, so a
layer's parameters keep their identity for its whole life. ``layer.buffers`` holds state that
is learnt but not optimised (BatchNorm running statistics); it is saved with the weights.

Arrays are (n_samples, n_features). The dtype of the parameters is the dtype of the network.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "Layer",
    "Dense",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "GELU",
    "Tanh",
    "Sigmoid",
    "Dropout",
    "BatchNorm",
    "ResidualBlock",
    "Sequential",
    "ACTIVATIONS",
    "make_activation",
    "layer_from_config",
]


class Layer:
    """Base class: a layer without parameters that passes its input through unchanged."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout

    def config(self) -> dict:
        """JSON-able description from which :func:`layer_from_config` rebuilds the layer."""
        return {"type": type(self).__name__}

    def clear_cache(self) -> None:
        """Drop the arrays kept for backward, so an idle model holds no batch data."""
        for name, value in vars(self).items():
            if name.startswith("_") and isinstance(value, np.ndarray):
                setattr(self, name, None)


# ---------------------------------------------------------------------------------------------
# Dense


class Dense(Layer):
    """Affine layer ``x @ W + b`` with W of shape (n_in, n_out).

    ``init`` is ``"he"`` (normal, std sqrt(2 / n_in), for ReLU-like activations) or
    ``"xavier"`` (uniform, limit sqrt(6 / (n_in + n_out)), for tanh / sigmoid / outputs).
    When ``input_grad`` is False, ``backward`` skips computing dx and returns None; the first
    layer of a network needs no dx, and that product is a third of its backward cost.
    """

    def __init__(self, n_in: int, n_out: int, *, init: str = "he", rng=None,
                 dtype="float32", input_grad: bool = True) -> None:
        super().__init__()
        self.n_in, self.n_out, self.init = int(n_in), int(n_out), init
        self.input_grad = input_grad
        dtype = np.dtype(dtype)
        rng = np.random.default_rng() if rng is None else rng
        if init == "he":
            W = rng.standard_normal((self.n_in, self.n_out)) * math.sqrt(2.0 / self.n_in)
        elif init == "xavier":
            limit = math.sqrt(6.0 / (self.n_in + self.n_out))
            W = rng.uniform(-limit, limit, (self.n_in, self.n_out))
        else:
            raise ValueError(f"Unknown init {init!r}; use 'he' or 'xavier'.")
        self.params = {"W": W.astype(dtype), "b": np.zeros(self.n_out, dtype=dtype)}
        self.grads = {"W": np.zeros_like(self.params["W"]), "b": np.zeros_like(self.params["b"])}
        self._x = None

    def forward(self, x, training=False):
        self._x = x
        out = x @ self.params["W"]
        out += self.params["b"]  # out is a fresh array, so in place is safe
        return out

    def backward(self, dout):
        np.matmul(self._x.T, dout, out=self.grads["W"])
        np.sum(dout, axis=0, out=self.grads["b"])
        if not self.input_grad:
            return None
        return dout @ self.params["W"].T

    def config(self):
        return {"type": "Dense", "n_in": self.n_in, "n_out": self.n_out, "init": self.init,
                "input_grad": self.input_grad}


# ---------------------------------------------------------------------------------------------
# Activations


class ReLU(Layer):
    def forward(self, x, training=False):
        self._mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self._mask


class LeakyReLU(Layer):
    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x, training=False):
        self._mask = mask = x > 0
        return np.where(mask, x, x * self.alpha)

    def backward(self, dout):
        return np.where(self._mask, dout, dout * self.alpha)

    def config(self):
        return {"type": "LeakyReLU", "alpha": self.alpha}


class ELU(Layer):
    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x, training=False):
        self._mask = mask = x > 0
        # exp of the clipped value so large positive inputs cannot overflow
        self._neg = neg = self.alpha * np.expm1(np.minimum(x, 0))
        return np.where(mask, x, neg)

    def backward(self, dout):
        # d/dx alpha*(e^x - 1) = alpha*e^x = neg + alpha
        return np.where(self._mask, dout, dout * (self._neg + self.alpha))

    def config(self):
        return {"type": "ELU", "alpha": self.alpha}


_GELU_C = math.sqrt(2.0 / math.pi)


class GELU(Layer):
    """GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""

    def forward(self, x, training=False):
        self._x = x
        self._t = t = np.tanh(_GELU_C * (x + 0.044715 * x * x * x))
        return 0.5 * x * (1.0 + t)

    def backward(self, dout):
        x, t = self._x, self._t
        du = _GELU_C * (1.0 + 3 * 0.044715 * x * x)
        return dout * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du)


class Tanh(Layer):
    def forward(self, x, training=False):
        self._out = out = np.tanh(x)
        return out

    def backward(self, dout):
        return dout * (1.0 - self._out * self._out)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function that never overflows (exp only of non-positive values)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Sigmoid(Layer):
    def forward(self, x, training=False):
        self._out = out = sigmoid(x)
        return out

    def backward(self, dout):
        return dout * self._out * (1.0 - self._out)


ACTIVATIONS = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "gelu": GELU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
}


def make_activation(name: str) -> Layer:
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(
            f"Unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}."
        ) from None


# ---------------------------------------------------------------------------------------------
# Regularisation and normalisation


class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``rate`` and scale the
    survivors by 1 / (1 - rate), so inference is the identity. The mask is drawn from ``rng``."""

    def __init__(self, rate: float, rng=None) -> None:
        super().__init__()
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"Dropout rate must be in [0, 1), got {rate}.")
        self.rate = float(rate)
        self.rng = np.random.default_rng() if rng is None else rng
        self._mask = None

    def forward(self, x, training=False):
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        draw_dtype = np.float32 if x.dtype == np.float32 else np.float64
        keep = self.rng.random(x.shape, dtype=draw_dtype) >= self.rate
        self._mask = mask = keep.astype(x.dtype) * (1.0 / (1.0 - self.rate))
        return x * mask

    def backward(self, dout):
        if self._mask is None:
            return dout
        return dout * self._mask

    def config(self):
        return {"type": "Dropout", "rate": self.rate}


class BatchNorm(Layer):
    """Batch normalisation over the sample axis with learnt scale ``gamma`` and shift ``beta``.

    Training normalises with the batch statistics and updates the running ones
    (``running = m * running + (1 - m) * batch``); inference uses the running ones. The
    weight ``m`` is ``min(momentum, k / (k + 1))`` for the k-th update (from 0): the first
    batch sets the running statistics and the next ones are averaged in until the moving
    average takes over, so inference is right after a few steps, not after ~1 / (1 - momentum).
    """

    def __init__(self, n_features: int, *, momentum: float = 0.9, eps: float = 1e-5,
                 dtype="float32") -> None:
        super().__init__()
        self.n_features, self.momentum, self.eps = int(n_features), float(momentum), float(eps)
        dtype = np.dtype(dtype)
        self.params = {"gamma": np.ones(self.n_features, dtype), "beta": np.zeros(self.n_features, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.buffers = {"running_mean": np.zeros(self.n_features, dtype),
                        "running_var": np.ones(self.n_features, dtype),
                        "n_updates": np.zeros((), np.int64)}

    def forward(self, x, training=False):
        gamma, beta = self.params["gamma"], self.params["beta"]
        if training:
            mean = x.mean(axis=0)
            xc = x - mean
            var = np.mean(xc * xc, axis=0)
            inv_std = 1.0 / np.sqrt(var + self.eps)
            xn = xc
            xn *= inv_std  # xc is our own temporary; reuse it for the normalised values
            k = self.buffers["n_updates"]
            m = min(self.momentum, float(k) / (float(k) + 1.0))
            k += 1
            rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
            rm *= m
            rm += (1.0 - m) * mean
            rv *= m
            rv += (1.0 - m) * var
            self._xn, self._inv_std = xn, inv_std
        else:
            inv_std = 1.0 / np.sqrt(self.buffers["running_var"] + self.eps)
            xn = (x - self.buffers["running_mean"]) * inv_std
            self._xn, self._inv_std = xn, inv_std
        self._training = training
        out = xn * gamma
        out += beta
        return out

    def backward(self, dout):
        xn, inv_std, gamma = self._xn, self._inv_std, self.params["gamma"]
        np.sum(dout, axis=0, out=self.grads["beta"])
        np.sum(dout * xn, axis=0, out=self.grads["gamma"])
        dxn = dout * gamma
        if not self._training:
            return dxn * inv_std
        n = dout.shape[0]
        # dx = inv_std / n * (n dxn - sum(dxn) - xn * sum(dxn * xn))
        dx = dxn * n
        dx -= dxn.sum(axis=0)
        dx -= xn * np.sum(dxn * xn, axis=0)
        dx *= inv_std / n
        return dx

    def config(self):
        return {"type": "BatchNorm", "n_features": self.n_features, "momentum": self.momentum,
                "eps": self.eps}


# ---------------------------------------------------------------------------------------------
# Containers


class Sequential(Layer):
    """Layers applied in order. Parameters are exposed as ``"<index>.<name>"``."""

    def __init__(self, layers: list[Layer]) -> None:
        # no Layer.__init__: params / grads / buffers are properties collected from the layers
        self.layers = list(layers)

    def forward(self, x, training=False):
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
            if dout is None:  # a layer that needs no input gradient ends the pass
                return None
        return dout

    def _collect(self, attr: str) -> dict[str, np.ndarray]:
        out = {}
        for i, layer in enumerate(self.layers):
            for k, v in getattr(layer, attr).items():
                out[f"{i}.{k}"] = v
        return out

    def clear_cache(self) -> None:
        for layer in self.layers:
            layer.clear_cache()

    @property
    def params(self):
        return self._collect("params")

    @property
    def grads(self):
        return self._collect("grads")

    @property
    def buffers(self):
        return self._collect("buffers")

    def config(self):
        return {"type": "Sequential", "layers": [layer.config() for layer in self.layers]}


class ResidualBlock(Sequential):
    """Tabular ResNet block: ``x + Dense(Dropout(act(Dense(BatchNorm(x)))))``.

    ``width`` is the size of the input and output, ``hidden`` the size inside the block.
    """

    def __init__(self, width: int, hidden: int, *, activation: str = "relu",
                 dropout: float = 0.0, rng=None, dtype="float32") -> None:
        rng = np.random.default_rng() if rng is None else rng
        self.width, self.hidden = int(width), int(hidden)
        self.activation, self.dropout = activation, float(dropout)
        super().__init__([
            BatchNorm(self.width, dtype=dtype),
            Dense(self.width, self.hidden, init="xavier", rng=rng, dtype=dtype),
            make_activation(activation),
            Dropout(self.dropout, rng=rng),
            Dense(self.hidden, self.width, init="xavier", rng=rng, dtype=dtype),
        ])

    def forward(self, x, training=False):
        out = super().forward(x, training)
        out += x  # out is a fresh array from the last Dense
        return out

    def backward(self, dout):
        dx = super().backward(dout)
        return dx + dout

    def config(self):
        return {"type": "ResidualBlock", "width": self.width, "hidden": self.hidden,
                "activation": self.activation, "dropout": self.dropout}


# ---------------------------------------------------------------------------------------------
# Rebuilding from a config

_SIMPLE = {cls.__name__: cls for cls in (ReLU, GELU, Tanh, Sigmoid, Layer)}


def layer_from_config(config: dict, *, rng=None, dtype="float32") -> Layer:
    """Rebuild a layer (weights freshly initialised) from ``layer.config()``."""
    cfg = dict(config)
    kind = cfg.pop("type")
    if kind in _SIMPLE:
        return _SIMPLE[kind]()
    if kind == "LeakyReLU":
        return LeakyReLU(**cfg)
    if kind == "ELU":
        return ELU(**cfg)
    if kind == "Dense":
        return Dense(cfg["n_in"], cfg["n_out"], init=cfg["init"], rng=rng, dtype=dtype,
                     input_grad=cfg.get("input_grad", True))
    if kind == "Dropout":
        return Dropout(cfg["rate"], rng=rng)
    if kind == "BatchNorm":
        return BatchNorm(cfg["n_features"], momentum=cfg["momentum"], eps=cfg["eps"], dtype=dtype)
    if kind == "ResidualBlock":
        return ResidualBlock(cfg["width"], cfg["hidden"], activation=cfg["activation"],
                             dropout=cfg["dropout"], rng=rng, dtype=dtype)
    if kind == "Sequential":
        return Sequential([layer_from_config(c, rng=rng, dtype=dtype) for c in cfg["layers"]])
    raise ValueError(f"Unknown layer type {kind!r} in saved network.")
