"""Hyperparameter search: random settings from each model's ranges, scored by 3-fold validation on the training rows."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.model_selection import ParameterSampler

from core.train.fitting import OutOfTime, build_pipeline, fit_fold
from core.train.models import ModelSpec, get_spec
from core.train.preprocessing import ColumnRoles
from core.train.settings import LOWER_IS_BETTER, TrainSettings
from core.train.splits import make_splits

#: Values tried per numeric hyperparameter, spread evenly (or on a log scale) over its range.
GRID_POINTS = 12


def search_space(spec: ModelSpec) -> dict[str, list]:
    """``{hyperparameter: values to try}`` for every hyperparameter of ``spec`` that has choices or a range."""
    space = {}
    for h in spec.hyperparameters:
        if h.choices:
            space[h.name] = list(h.choices)
        elif h.low is not None:
            if isinstance(h.default, int) and not isinstance(h.default, bool):
                grid = np.unique(np.round(np.geomspace(max(h.low, 1), h.high, GRID_POINTS) if h.log
                                          else np.linspace(h.low, h.high, GRID_POINTS)).astype(int))
                space[h.name] = grid.tolist()
            else:
                space[h.name] = (np.geomspace(h.low, h.high, GRID_POINTS) if h.log
                                 else np.linspace(h.low, h.high, GRID_POINTS)).tolist()
    return space


def tune(model: str, roles: ColumnRoles, task: str, settings: TrainSettings, X: pd.DataFrame, y: np.ndarray,
         seed: int, deadline: float | None, smallest_class: int, n_classes: int) -> tuple[dict, int]:
    """Random search over the model's hyperparameter ranges, 3-fold, until the iterations or the time run out.

    Returns the best parameters found (the user's own when nothing beats them) and how many were tried.
    """
    space = search_space(get_spec(model))
    rng = np.random.default_rng(seed)
    if not space:
        return settings.params.get(model, {}), 0
    inner, _ = make_splits(y, task, "kfold", 3, 0.2, seed)
    base = dict(settings.params.get(model, {}))
    candidates = [base] + [dict(base, **c) for c in ParameterSampler(space, settings.tune_iterations,
                                                                      random_state=int(rng.integers(2**31)))]
    best, best_score, tried = base, None, 0
    sign = 1 if settings.metric in LOWER_IS_BETTER else -1
    for params in candidates:
        if deadline is not None and time.perf_counter() > deadline:
            break
        pipeline = build_pipeline(model, roles, task, seed, preprocessing=settings.preprocessing, params=params,
                                  smallest_class=smallest_class)
        try:
            scores = [fit_fold(pipeline, X, y, tr, va, task, n_classes, settings.metric, seed, False, deadline)[0]
                      for tr, va in inner]
        except OutOfTime:
            break
        except Exception:  # a candidate the data cannot support is simply not chosen
            continue
        tried += 1
        value = float(np.nanmean([s["valid"][settings.metric] for s in scores]))
        if best_score is None or sign * value < sign * best_score:
            best, best_score = params, value
    return best, tried
