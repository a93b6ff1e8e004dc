"""Gradient-descent optimizers that update parameter arrays in place (numpy only).

``update(params, grads)`` takes two dicts with the same keys (as exposed by a layer or a
network) and changes every array in ``params`` in place. Per-parameter state (velocities,
moments) is created lazily, the first time a key is seen.

Weight decay is applied to the parameters ``decay_filter`` accepts; by default those whose
name ends in ``W`` (the Dense weights), not biases or normalisation parameters. It is an L2
term added to the gradient, except in :class:`AdamW`, where it is decoupled from the moments.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "AdamW",
    "clip_grad_norm",
    "global_norm",
    "make_optimizer",
    "OPTIMIZERS",
]


def global_norm(grads: dict[str, np.ndarray]) -> float:
    """L2 norm of all gradients taken together as one vector."""
    total = 0.0
    for g in grads.values():
        flat = g.reshape(-1)
        total += float(np.dot(flat, flat))
    return math.sqrt(total)


def clip_grad_norm(grads: dict[str, np.ndarray], max_norm: float) -> float:
    """Scale all gradients in place so their global L2 norm is at most ``max_norm``.

    Returns the norm before clipping.
    """
    norm = global_norm(grads)
    if norm > max_norm:
        scale = max_norm / (norm + 1e-12)
        for g in grads.values():
            g *= scale
    return norm


def _is_weight(key: str) -> bool:
    return key.endswith("W")


class Optimizer:
    """Base class: clipping, weight decay and lazy state; subclasses implement ``_step``."""

    def __init__(self, lr: float = 1e-3, *, weight_decay: float = 0.0, clip_norm=None,
                 decay_filter=_is_weight) -> None:
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.clip_norm = clip_norm
        self.decay_filter = decay_filter
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0  # number of updates done

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        if self.clip_norm is not None:
            clip_grad_norm(grads, self.clip_norm)
        self.t += 1
        lr = float(self.lr)  # a numpy float64 lr would upcast float32 updates
        for key, p in params.items():
            g = grads[key]
            if self.weight_decay and self.decay_filter(key):
                g = self._decay(p, g, lr)
            state = self.state.get(key)
            if state is None:
                state = self.state[key] = self._init_state(p)
            self._step(p, g, state, lr)

    def _decay(self, p, g, lr):
        return g + self.weight_decay * p  # L2: a new array, the layer's grads stay untouched

    def _init_state(self, p) -> dict[str, np.ndarray]:
        return {}

    def _step(self, p, g, state, lr) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """p -= lr * g"""

    def _step(self, p, g, state, lr):
        p -= lr * g


class Momentum(Optimizer):
    """v = mu v - lr g; p += v"""

    def __init__(self, lr=1e-2, momentum: float = 0.9, **kwargs) -> None:
        super().__init__(lr, **kwargs)
        self.momentum = float(momentum)

    def _init_state(self, p):
        return {"v": np.zeros_like(p)}

    def _step(self, p, g, state, lr):
        v = state["v"]
        v *= self.momentum
        v -= lr * g
        p += v


class Nesterov(Momentum):
    """Nesterov momentum in the look-ahead form: v = mu v - lr g; p += mu v - lr g."""

    def _step(self, p, g, state, lr):
        v = state["v"]
        v *= self.momentum
        step = lr * g
        v -= step
        p += self.momentum * v
        p -= step


class AdaGrad(Optimizer):
    """h += g^2; p -= lr g / (sqrt(h) + eps)"""

    def __init__(self, lr=1e-2, eps: float = 1e-7, **kwargs) -> None:
        super().__init__(lr, **kwargs)
        self.eps = float(eps)

    def _init_state(self, p):
        return {"h": np.zeros_like(p), "tmp": np.empty_like(p)}

    def _accumulate(self, h, g, tmp):
        np.multiply(g, g, out=tmp)
        h += tmp

    def _step(self, p, g, state, lr):
        h, tmp = state["h"], state["tmp"]
        self._accumulate(h, g, tmp)
        np.sqrt(h, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=tmp)
        tmp *= lr
        p -= tmp


class RMSProp(AdaGrad):
    """h = rho h + (1 - rho) g^2; p -= lr g / (sqrt(h) + eps): AdaGrad with a decaying sum."""

    def __init__(self, lr=1e-3, rho: float = 0.9, eps: float = 1e-7, **kwargs) -> None:
        super().__init__(lr, eps, **kwargs)
        self.rho = float(rho)

    def _accumulate(self, h, g, tmp):
        h *= self.rho
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - self.rho
        h += tmp


class Adam(Optimizer):
    """Adam with bias correction: p -= lr m_hat / (sqrt(v_hat) + eps). Weight decay is L2."""

    def __init__(self, lr=1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 **kwargs) -> None:
        super().__init__(lr, **kwargs)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def _init_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p), "tmp": np.empty_like(p)}

    def _step(self, p, g, state, lr):
        m, v, tmp = state["m"], state["v"], state["tmp"]
        b1, b2 = self.beta1, self.beta2
        m *= b1
        np.multiply(g, 1.0 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - b2
        v += tmp
        # m_hat / (sqrt(v_hat) + eps) with both corrections folded into scalars
        step = lr / (1.0 - b1 ** self.t)
        np.sqrt(v, out=tmp)
        tmp *= 1.0 / math.sqrt(1.0 - b2 ** self.t)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= step
        p -= tmp


class AdamW(Adam):
    """Adam with decoupled weight decay: p -= lr * weight_decay * p, outside the moments."""

    def _decay(self, p, g, lr):
        p *= 1.0 - lr * self.weight_decay
        return g


OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
    "adamw": AdamW,
}


def make_optimizer(name: str, lr: float, *, weight_decay: float = 0.0, clip_norm=None) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(
            f"Unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}."
        ) from None
    return cls(lr, weight_decay=weight_decay, clip_norm=clip_norm)
