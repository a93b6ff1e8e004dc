"""Time left of a training, from what it measured: each model's first fit, the fits still to come, the finishing.

A comparison validates its models one after the other; each runs its folds and its refit a few at a time
(``parallel``, one per core). Before its first fit ends, a model's cost is only the rough guess of
`core.train.train.estimate_seconds`; once it ends, the model's whole time is that first fit's time × the
rounds of fits (``ceil(fits / parallel)``). Models not started yet are guessed from their constants, scaled
by how far the measured models were from their own guesses (the machine may be busy or fast). The steps after
the models (ensemble, calibration, test part) are a share of the models' time until they start, then measured.
The estimator reads the progress steps of `core.train.train.train` as they come, with a clock it is given,
so a test can drive it with a fake one.
"""
from __future__ import annotations

import math
import time
from statistics import median
from typing import Callable

from core.train.settings import BASELINE

#: The steps after the models, as a share of the models' time (measured by bench/bench_seed_shapes.py).
FINISHING_SHARE = 0.05


class TimeLeft:
    """Seconds left of one training, from its progress steps (`core.train.steps.Step`) as they arrive.

    ``models`` are the models of the training in the order they run; ``clock`` gives seconds (any origin).
    """

    def __init__(self, models, clock: Callable[[], float] = time.monotonic):
        self.models = list(models)
        self.clock = clock
        self.plans: dict[str, dict] = {}
        #: each model's rough cost before anything is measured (the ``guesses`` of the validating steps)
        self.guesses: dict[str, float] = {}
        self.finishing_started: float | None = None
        self.done = False

    def observe(self, step) -> None:
        """Take in one progress step (anything without a ``key`` is ignored)."""
        key, model = getattr(step, "key", ""), getattr(step, "model", None)
        now = self.clock()
        values = getattr(step, "values", {}) or {}
        if key == "train.progress.validating" and model is not None:
            self.guesses.update({m: float(g) for m, g in (values.get("guesses") or {}).items()})
            self.plans[model] = {"start": now, "fits": int(values.get("fits", values.get("folds", 1) + 1)),
                                 "parallel": max(1, int(values.get("parallel") or 1)),
                                 "guess": self.guesses.get(model, 0.0), "first": None, "ended": None}
        elif key == "train.progress.fold" and model in self.plans and self.plans[model]["first"] is None:
            self.plans[model]["first"] = now - self.plans[model]["start"]
        elif key == "train.progress.refit" and model in self.plans:
            self.plans[model]["ended"] = now - self.plans[model]["start"]
        elif key == "train.progress.left_out" and model is not None:  # it takes no time at all
            self.plans[model] = {"start": now, "fits": 1, "parallel": 1, "guess": 0.0, "first": None, "ended": 0.0}
        elif key == "train.progress.finishing":
            self.finishing_started = now
        elif key == "train.progress.done":
            self.done = True

    @staticmethod
    def _measured_total(plan: dict) -> float:
        return plan["first"] * math.ceil(plan["fits"] / plan["parallel"])

    def _speed(self) -> float | None:
        """How many times slower than its guess a model turned out, over the models measured so far."""
        ratios = [self._measured_total(p) / p["guess"] for m, p in self.plans.items()
                  if m != BASELINE and p["first"] is not None and p["guess"] > 0]
        return median(ratios) if ratios else None

    def model_seconds(self, model: str) -> float | None:
        """The whole time ``model`` takes (measured, estimated from its first fit, or guessed), or None."""
        plan = self.plans.get(model)
        if plan is not None and plan["ended"] is not None:
            return plan["ended"]
        if plan is not None and plan["first"] is not None:
            return self._measured_total(plan)
        speed = self._speed()
        if speed is None or model not in self.guesses:
            return None
        return self.guesses[model] * speed

    def remaining(self) -> float | None:
        """Estimated seconds left; None until a model other than the baseline has finished its first fit."""
        if self.done:
            return 0.0
        if self._speed() is None:
            return None
        now = self.clock()
        left, models_total = 0.0, 0.0
        for model in self.models:
            plan = self.plans.get(model)
            seconds = self.model_seconds(model) or 0.0
            models_total += seconds
            if plan is None:
                left += seconds
            elif plan["ended"] is None:
                left += max(0.0, seconds - (now - plan["start"]))
        if self.finishing_started is None:
            left += FINISHING_SHARE * models_total
        else:
            left += max(0.0, FINISHING_SHARE * models_total - (now - self.finishing_started))
        return left


__all__ = ["FINISHING_SHARE", "TimeLeft"]
