"""Mini-batch training loop with validation, early stopping, schedules and an epoch callback (numpy only)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .layers import Layer
from .losses import Loss
from .optimizers import Optimizer

__all__ = [
    "TrainingDivergedError",
    "TrainResult",
    "Accuracy",
    "R2",
    "train",
    "predict_scores",
    "validation_split",
    "batch_bounds",
    "EPOCH_KEYS",
]

EPOCH_KEYS = ("epoch", "n_epochs", "train_loss", "val_loss", "train_metric", "val_metric",
              "metric_name", "lr", "seconds")


class TrainingDivergedError(ValueError):
    """The loss became NaN or infinite; the weights are unusable."""


@dataclass
class TrainResult:
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0  # 1-based epoch whose weights the network holds after training
    n_epochs: int = 0  # epochs actually run
    stopped_by: str = "epochs"  # "epochs", "early_stopping" or "callback"


# ---------------------------------------------------------------------------------------------
# Metrics, accumulated batch by batch


class Accuracy:
    """Share of correct labels; scores are (n, k) class scores or (n, 1) binary logits."""

    name = "accuracy"

    def __init__(self) -> None:
        self.correct, self.count = 0, 0

    def update(self, scores: np.ndarray, y: np.ndarray) -> None:
        if scores.shape[1] == 1:
            pred = scores[:, 0] > 0
        else:
            pred = scores.argmax(axis=1)
        self.correct += int(np.count_nonzero(pred == y))
        self.count += len(y)

    def result(self) -> float:
        return self.correct / self.count if self.count else math.nan


class R2:
    """Coefficient of determination, averaged over outputs (as sklearn's r2_score)."""

    name = "r2"

    def __init__(self) -> None:
        self.sse = self.sum_y = self.sum_y2 = 0.0
        self.count = 0

    def update(self, pred: np.ndarray, y: np.ndarray) -> None:
        y = np.asarray(y, dtype=np.float64).reshape(pred.shape)
        r = pred - y
        self.sse = self.sse + np.einsum("ij,ij->j", r, r, dtype=np.float64)
        self.sum_y = self.sum_y + y.sum(axis=0)
        self.sum_y2 = self.sum_y2 + np.einsum("ij,ij->j", y, y)
        self.count += len(y)

    def result(self) -> float:
        if not self.count:
            return math.nan
        sst = self.sum_y2 - self.sum_y ** 2 / self.count
        sse = np.asarray(self.sse, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(sst > 1e-12 * np.maximum(self.sum_y2, 1.0), 1.0 - sse / sst,
                          np.where(sse == 0, 1.0, 0.0))
        return float(np.mean(r2))


# ---------------------------------------------------------------------------------------------


def predict_scores(net: Layer, X: np.ndarray, batch_size: int = 8192) -> np.ndarray:
    """Network output in inference mode, computed in chunks so memory stays bounded."""
    n = X.shape[0]
    if n <= batch_size:
        out = net.forward(X, training=False)
    else:
        out = np.concatenate(
            [net.forward(X[i:i + batch_size], training=False) for i in range(0, n, batch_size)]
        )
    net.clear_cache()  # the caches would keep (a view of) X alive
    return out


def validation_split(n: int, fraction: float, rng: np.random.Generator, stratify=None):
    """Split ``range(n)`` into (train_idx, val_idx) with about ``fraction`` of rows in val.

    With ``stratify`` (integer labels) each class gives its share, and keeps at least one
    row for training. Returns ``(arange(n), None)`` when the split would leave val empty.
    """
    if not fraction or n < 2:
        return np.arange(n), None
    if stratify is None:
        n_val = int(round(fraction * n))
        n_val = min(max(n_val, 1), n - 1)
        perm = rng.permutation(n)
        return np.sort(perm[n_val:]), np.sort(perm[:n_val])
    val_parts = []
    for cls in np.unique(stratify):
        idx = np.flatnonzero(stratify == cls)
        k = min(int(round(fraction * len(idx))), len(idx) - 1)
        if k > 0:
            val_parts.append(rng.choice(idx, size=k, replace=False))
    if not val_parts:
        return np.arange(n), None
    val = np.sort(np.concatenate(val_parts))
    mask = np.ones(n, dtype=bool)
    mask[val] = False
    return np.flatnonzero(mask), val


def batch_bounds(n: int, batch_size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each mini-batch of ``n`` rows.

    When the last batch would hold less than half ``batch_size`` rows, the same number of batches
    is made of nearly equal sizes instead, so BatchNorm never learns its statistics from a batch of
    one or two rows (with 257 rows and batches of 256, the running variance would come out at half
    the true one) and the number of steps per epoch stays the same.
    """
    k = -(-n // batch_size)
    if k > 1 and n - (k - 1) * batch_size < batch_size / 2:
        edges = np.linspace(0, n, k + 1).round().astype(int)
        return list(zip(edges[:-1].tolist(), edges[1:].tolist()))
    return [(start, min(start + batch_size, n)) for start in range(0, n, batch_size)]


def _snapshot(net: Layer) -> dict[str, np.ndarray]:
    state = {"p:" + k: v.copy() for k, v in net.params.items()}
    state.update({"b:" + k: v.copy() for k, v in net.buffers.items()})
    return state


def _restore(net: Layer, state: dict[str, np.ndarray]) -> None:
    for k, v in net.params.items():
        np.copyto(v, state["p:" + k])
    for k, v in net.buffers.items():
        np.copyto(v, state["b:" + k])


def train(net: Layer, loss: Loss, optimizer: Optimizer, X: np.ndarray, y: np.ndarray, *,
          rng: np.random.Generator, epochs: int = 100, batch_size: int = 256,
          X_val=None, y_val=None, early_stopping: bool = True, patience: int = 10,
          tol: float = 1e-4, schedule=None, metric=Accuracy, callback=None,
          verbose: bool = False) -> TrainResult:
    """Train ``net`` in place on (X, y) with shuffled mini-batches.

    Each epoch draws a fresh permutation from ``rng``; batches are evened out rather than end with
    one under half ``batch_size`` (see `batch_bounds`). The monitored loss is the validation
    loss when (X_val, y_val) is given, else the mean training loss of the epoch. With
    ``early_stopping``, training stops after ``patience`` epochs without an improvement of
    more than ``tol``, and the network gets back a copy of the weights of its best epoch.

    After every epoch ``callback(info)`` is called with a dict holding :data:`EPOCH_KEYS`
    (``val_loss`` / ``val_metric`` are None without validation data, ``epoch`` counts from 1,
    ``seconds`` is the wall time of the epoch). If it returns True, training stops after that
    epoch; whatever it raises propagates.
    """
    n = X.shape[0]
    batch_size = max(1, min(int(batch_size), n))
    batches = batch_bounds(n, batch_size)
    has_val = X_val is not None and len(X_val) > 0
    result = TrainResult()
    best_loss = ref_loss = math.inf
    best_state = None
    bad_epochs = 0

    for epoch in range(1, int(epochs) + 1):
        start = time.perf_counter()
        lr = optimizer.lr
        perm = rng.permutation(n)
        train_metric = metric()
        loss_sum = 0.0
        # overflow shows up as a non-finite loss, reported below with advice
        with np.errstate(over="ignore", invalid="ignore"):
            for start, stop in batches:
                idx = perm[start:stop]
                xb = X.take(idx, axis=0)
                yb = y.take(idx, axis=0)
                scores = net.forward(xb, training=True)
                batch_loss = loss.forward(scores, yb)
                if not math.isfinite(batch_loss):
                    raise TrainingDivergedError(
                        f"Training diverged at epoch {epoch}: the loss became {batch_loss}. "
                        "Lower the learning rate, set clip_norm, or scale the input features."
                    )
                loss_sum += batch_loss * len(idx)
                train_metric.update(scores, yb)
                net.backward(loss.backward())
                optimizer.update(net.params, net.grads)
        train_loss = loss_sum / n

        val_loss = val_metric = None
        if has_val:
            val_scores = predict_scores(net, X_val)
            val_loss = loss.forward(val_scores, y_val)
            m = metric()
            m.update(val_scores, y_val)
            val_metric = m.result()

        monitored = val_loss if has_val else train_loss
        if monitored < best_loss:
            best_loss, result.best_epoch = monitored, epoch
            if early_stopping:
                best_state = _snapshot(net)
        if monitored < ref_loss - tol:
            ref_loss, bad_epochs = monitored, 0
        else:
            bad_epochs += 1
        if schedule is not None:
            optimizer.lr = float(schedule.step(monitored))

        info = {
            "epoch": epoch,
            "n_epochs": int(epochs),
            "train_loss": train_loss,
            "val_loss": val_loss,
            "train_metric": train_metric.result(),
            "val_metric": val_metric,
            "metric_name": metric.name,
            "lr": lr,
            "seconds": time.perf_counter() - start,
        }
        result.history.append(info)
        result.n_epochs = epoch
        if verbose:
            val = f", val_loss={val_loss:.4f}, val_{metric.name}={val_metric:.4f}" if has_val else ""
            print(f"epoch {epoch}/{epochs}: train_loss={train_loss:.4f}{val}, lr={lr:.3g}, "
                  f"{info['seconds']:.2f}s", flush=True)
        if callback is not None and callback(dict(info)):
            result.stopped_by = "callback"
            break
        if early_stopping and bad_epochs >= patience:
            result.stopped_by = "early_stopping"
            break

    net.clear_cache()
    if early_stopping and best_state is not None:
        if result.best_epoch != result.n_epochs:
            _restore(net, best_state)
    else:
        result.best_epoch = result.n_epochs
    return result
