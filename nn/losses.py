"""Loss layers: ``forward(scores, y)`` returns the mean loss, ``backward()`` its gradient (numpy only).

The network's last Dense produces raw ``scores``; each loss applies its own output function
(softmax, sigmoid or none), so the gradient is the short, stable ``(p - y) / n`` form.
"""

from __future__ import annotations

import numpy as np

from .layers import sigmoid

__all__ = [
    "Loss",
    "SoftmaxCrossEntropy",
    "SigmoidBinaryCrossEntropy",
    "MeanSquaredError",
    "Huber",
    "softmax",
]


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (n, k) scores, shifted by the row maximum so exp cannot overflow."""
    e = scores - scores.max(axis=1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=1, keepdims=True)
    return e


class Loss:
    """Base class. Losses with ``class_weight`` return the weighted mean of per-sample losses."""

    def forward(self, scores: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError


def _weights(class_weight, y, dtype):
    """Per-sample weights divided by their sum, or None when unweighted."""
    if class_weight is None:
        return None
    w = np.asarray(class_weight, dtype=dtype)[y]
    total = w.sum()
    if total <= 0:
        raise ValueError("The class weights of this batch sum to zero; use positive weights.")
    return w / total


class SoftmaxCrossEntropy(Loss):
    """Softmax then cross-entropy against integer labels ``y`` in [0, k).

    ``class_weight`` is an array of k weights; the loss is then the weighted mean
    ``sum(w_i * -log p_i[y_i]) / sum(w_i)`` and the gradient ``w_i (p_i - onehot_i) / sum(w)``.
    Without weights the gradient is ``(p - onehot) / n``.
    """

    def __init__(self, class_weight=None) -> None:
        self.class_weight = None if class_weight is None else np.asarray(class_weight, np.float64)

    def forward(self, scores, y):
        n = scores.shape[0]
        shifted = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(shifted)
        total = p.sum(axis=1, keepdims=True)
        # -log softmax as log-sum-exp minus the picked score: never takes the log of 0
        losses = np.log(total[:, 0]) - shifted[np.arange(n), y]
        p /= total
        self._p, self._y = p, y
        self._w = _weights(self.class_weight, y, scores.dtype)
        if self._w is None:
            return float(losses.mean(dtype=np.float64))
        return float(np.dot(losses.astype(np.float64), self._w))

    def backward(self):
        p, y, w = self._p, self._y, self._w
        n = p.shape[0]
        d = p.copy()
        d[np.arange(n), y] -= 1.0
        if w is None:
            d *= 1.0 / n
        else:
            d *= w[:, None]
        return d


class SigmoidBinaryCrossEntropy(Loss):
    """Sigmoid then binary cross-entropy; ``scores`` is (n, 1) or (n,), ``y`` holds 0 / 1.

    Uses ``max(s, 0) - s y + log(1 + exp(-|s|))`` so large scores neither overflow nor take
    the log of 0. ``class_weight`` is a pair (weight of 0, weight of 1); weighted mean as above.
    """

    def __init__(self, class_weight=None) -> None:
        self.class_weight = None if class_weight is None else np.asarray(class_weight, np.float64)

    def forward(self, scores, y):
        s = scores.reshape(-1)
        yf = np.asarray(y).reshape(-1).astype(scores.dtype)
        losses = np.maximum(s, 0) - s * yf + np.log1p(np.exp(-np.abs(s)))
        self._shape, self._s, self._y = scores.shape, s, yf
        self._w = _weights(self.class_weight, np.asarray(y).reshape(-1).astype(np.intp), scores.dtype)
        if self._w is None:
            return float(losses.mean(dtype=np.float64))
        return float(np.dot(losses.astype(np.float64), self._w))

    def backward(self):
        d = sigmoid(self._s) - self._y
        if self._w is None:
            d *= 1.0 / d.shape[0]
        else:
            d *= self._w
        return d.reshape(self._shape)


class MeanSquaredError(Loss):
    """Mean over all entries of ``(pred - y)**2``; gradient ``2 (pred - y) / size``."""

    def forward(self, pred, y):
        y = np.asarray(y).reshape(pred.shape)
        self._r = pred - y
        return float(np.mean(self._r * self._r, dtype=np.float64))

    def backward(self):
        return self._r * (2.0 / self._r.size)


class Huber(Loss):
    """Huber loss: ``r**2 / 2`` for ``|r| <= delta``, else ``delta (|r| - delta / 2)``; mean over
    all entries. Its gradient, ``clip(r, -delta, delta) / size``, is bounded, so outliers cannot
    dominate a step."""

    def __init__(self, delta: float = 1.0) -> None:
        self.delta = float(delta)

    def forward(self, pred, y):
        y = np.asarray(y).reshape(pred.shape)
        r = pred - y
        a = np.abs(r)
        d = self.delta
        losses = np.where(a <= d, 0.5 * r * r, d * (a - 0.5 * d))
        self._r = r
        return float(np.mean(losses, dtype=np.float64))

    def backward(self):
        d = np.clip(self._r, -self.delta, self.delta)
        d *= 1.0 / d.size
        return d
