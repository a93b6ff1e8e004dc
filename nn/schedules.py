"""Learning-rate schedules, stepped once per epoch (numpy only).

A schedule starts at ``lr`` (the rate of the first epoch). ``step(metric)`` is called after
each epoch with the monitored loss and returns the rate for the next epoch; ``lr`` always
holds the current one.
"""

from __future__ import annotations

import math

__all__ = ["StepLR", "CosineLR", "ReduceLROnPlateau", "make_schedule", "SCHEDULES"]


class StepLR:
    """Multiply the rate by ``gamma`` every ``step_size`` epochs: lr_e = lr0 * gamma ** (e // step_size)."""

    def __init__(self, lr: float, step_size: int = 10, gamma: float = 0.5) -> None:
        if step_size < 1:
            raise ValueError("step_size must be at least 1.")
        self.base_lr, self.step_size, self.gamma = float(lr), int(step_size), float(gamma)
        self.epoch = 0
        self.lr = self.base_lr

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)

    def step(self, metric=None) -> float:
        self.epoch += 1
        self.lr = self.lr_at(self.epoch)
        return self.lr


class CosineLR:
    """Cosine annealing from lr0 to ``min_lr`` over ``t_max`` epochs, then constant:
    lr_e = min_lr + (lr0 - min_lr) (1 + cos(pi min(e, t_max) / t_max)) / 2."""

    def __init__(self, lr: float, t_max: int, min_lr: float = 0.0) -> None:
        if t_max < 1:
            raise ValueError("t_max must be at least 1.")
        self.base_lr, self.t_max, self.min_lr = float(lr), int(t_max), float(min_lr)
        self.epoch = 0
        self.lr = self.base_lr

    def lr_at(self, epoch: int) -> float:
        e = min(epoch, self.t_max)
        return self.min_lr + (self.base_lr - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * e / self.t_max))

    def step(self, metric=None) -> float:
        self.epoch += 1
        self.lr = self.lr_at(self.epoch)
        return self.lr


class ReduceLROnPlateau:
    """Multiply the rate by ``factor`` when the metric has not improved (by more than
    ``threshold``, relative) for ``patience`` epochs; never below ``min_lr``."""

    def __init__(self, lr: float, factor: float = 0.5, patience: int = 5,
                 threshold: float = 1e-4, min_lr: float = 0.0) -> None:
        if not 0.0 < factor < 1.0:
            raise ValueError("factor must be in (0, 1).")
        self.lr, self.factor, self.patience = float(lr), float(factor), int(patience)
        self.threshold, self.min_lr = float(threshold), float(min_lr)
        self.best = math.inf
        self.bad_epochs = 0

    def step(self, metric=None) -> float:
        if metric is None or not math.isfinite(metric):
            return self.lr
        improved = self.best == math.inf or metric < self.best - self.threshold * abs(self.best)
        if improved:
            self.best = metric
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
            if self.bad_epochs > self.patience:
                self.lr = max(self.lr * self.factor, self.min_lr)
                self.bad_epochs = 0
        return self.lr


SCHEDULES = {"step": StepLR, "cosine": CosineLR, "plateau": ReduceLROnPlateau}


def make_schedule(spec, lr: float, epochs: int):
    """Build a schedule from None, a name (``"step"``, ``"cosine"``, ``"plateau"``) or a dict
    ``{"name": ..., **options}``. ``cosine`` anneals over all ``epochs`` unless ``t_max`` is given."""
    if spec is None:
        return None
    if isinstance(spec, str):
        name, options = spec, {}
    elif isinstance(spec, dict) and "name" in spec:
        options = {k: v for k, v in spec.items() if k != "name"}
        name = spec["name"]
    else:
        raise ValueError(
            "lr_schedule must be None, 'step', 'cosine', 'plateau' or a dict such as "
            "{'name': 'step', 'step_size': 10, 'gamma': 0.5}."
        )
    if name not in SCHEDULES:
        raise ValueError(f"Unknown lr_schedule {name!r}; choose one of {sorted(SCHEDULES)}.")
    if name == "cosine":
        options.setdefault("t_max", max(1, int(epochs)))
    try:
        return SCHEDULES[name](lr, **options)
    except TypeError as exc:
        raise ValueError(f"Bad options for lr_schedule {name!r}: {exc}") from None
