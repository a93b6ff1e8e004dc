"""Hyperparameter search with Optuna: TPE sampling, pruning of bad trials fold by fold, within the time budget.

Each trial is one setting of the model's hyperparameters, validated on the same folds as the run
(the validation scheme the user chose). After each fold the running mean is reported, and the
median pruner stops a trial that is already worse than the median of earlier trials at that fold.
The first trial is the user's own setting (or the defaults), so a search never returns something
worse than what it started from on these folds. The sampler is seeded with the run's seed: the same
seed and data give the same trials. Every trial (its settings, score and whether it finished or was
pruned) is kept with the run.

The chosen setting is scored on the very folds it was chosen on, so a tuned run's cross-validated
score is slightly optimistic; tuned runs are flagged, and scored on the held-out test part when there is one.
"""
from __future__ import annotations

import time
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.train.fitting import OutOfTime, build_pipeline, fit_fold
from core.train.models import ModelSpec, get_spec
from core.train.preprocessing import ColumnRoles
from core.train.settings import LOWER_IS_BETTER, TrainSettings

if TYPE_CHECKING:
    import optuna

# Optuna is imported when a search starts: a training without --tune (the default) does not wait for it.


def _optuna():
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def suggest(trial: optuna.Trial, spec: ModelSpec) -> dict:
    """One value for each hyperparameter of ``spec`` that has choices or a range, from ``trial``."""
    params = {}
    for h in spec.hyperparameters:
        if h.choices:
            params[h.name] = trial.suggest_categorical(h.name, list(h.choices))
        elif h.low is not None and h.high is not None:
            if isinstance(h.default, int) and not isinstance(h.default, bool):
                low = max(int(np.ceil(h.low)), 1) if h.log else int(np.ceil(h.low))
                params[h.name] = trial.suggest_int(h.name, low, int(h.high), log=h.log)
            else:
                low = max(float(h.low), 1e-12) if h.log else float(h.low)
                params[h.name] = trial.suggest_float(h.name, low, float(h.high), log=h.log)
    return params


def _first_trial(spec: ModelSpec, base: dict) -> dict:
    """The user's setting (defaults where not set) of the searched hyperparameters, as the first trial."""
    searched = {h.name for h in spec.hyperparameters if h.choices or (h.low is not None and h.high is not None)}
    values = spec.params(base)
    return {k: v for k, v in values.items() if k in searched}


def tune(model: str, roles: ColumnRoles, task: str, settings: TrainSettings, X: pd.DataFrame, y: np.ndarray,
         splits: list[tuple[np.ndarray, np.ndarray]], deadline: float | None, smallest_class: int,
         n_classes: int) -> tuple[dict, list[dict]]:
    """Search ``model``'s hyperparameters on ``splits`` until ``settings.tune_iterations`` trials or ``deadline``.

    Returns the best parameters (the user's own when nothing beats them) and every trial as
    ``{"number", "params", "value", "state"}`` with ``state`` one of ``complete``, ``pruned``, ``failed``.
    """
    spec = get_spec(model)
    base = dict(settings.params.get(model, {}))
    first = _first_trial(spec, base)
    if not first:
        return base, []
    lower = settings.metric in LOWER_IS_BETTER
    optuna = _optuna()
    study = optuna.create_study(direction="minimize" if lower else "maximize",
                                sampler=optuna.samplers.TPESampler(seed=settings.seed),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=0))
    study.enqueue_trial(first)

    def objective(trial: optuna.Trial) -> float:
        params = dict(base, **suggest(trial, spec))
        pipeline = build_pipeline(model, roles, task, settings.seed, preprocessing=settings.preprocessing,
                                  params=params, smallest_class=smallest_class)
        values = []
        for i, (tr, va) in enumerate(splits):
            try:
                scores = fit_fold(pipeline, X, y, tr, va, task, n_classes, settings.metric, settings.seed, False,
                                  deadline)[0]
            except OutOfTime:
                study.stop()
                raise optuna.TrialPruned() from None
            values.append(scores["valid"][settings.metric])
            running = float(np.nanmean(values))
            trial.report(running, i)
            if i < len(splits) - 1 and trial.should_prune():
                raise optuna.TrialPruned()
        return float(np.nanmean(values))

    timeout = max(0.0, deadline - time.perf_counter()) if deadline is not None else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study.optimize(objective, n_trials=max(1, int(settings.tune_iterations)), timeout=timeout,
                       catch=(Exception,), gc_after_trial=False)
    trials = [trial_record(t) for t in study.trials]
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE and t.value is not None
                and np.isfinite(t.value)]
    if not complete:
        return base, trials
    best = min(complete, key=lambda t: (t.value if lower else -t.value, t.number))
    return dict(base, **best.params), trials


def trial_record(trial: optuna.trial.FrozenTrial) -> dict:
    """One trial as stored with the run: its number, settings, score and state."""
    optuna = _optuna()
    state = {optuna.trial.TrialState.COMPLETE: "complete", optuna.trial.TrialState.PRUNED: "pruned"}.get(
        trial.state, "failed")
    value = trial.value if trial.value is not None else (
        trial.intermediate_values[max(trial.intermediate_values)] if trial.intermediate_values else None)
    return {"number": int(trial.number), "params": {k: (v.item() if hasattr(v, "item") else v)
                                                    for k, v in trial.params.items()},
            "value": None if value is None or not np.isfinite(value) else float(value), "state": state,
            "folds": len(trial.intermediate_values)}
