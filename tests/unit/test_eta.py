"""The time-left estimate of a training, driven by its progress steps and a fake clock."""
from __future__ import annotations

import pytest

from core.train.eta import FINISHING_SHARE, TimeLeft
from core.train.steps import Step


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


GUESSES = {"dummy": 0.01, "linear": 2.0, "lgbm": 10.0}


def _feed(eta: TimeLeft, clock: FakeClock, at: float, key: str, model: str | None = None, **values):
    clock.now = at
    if key == "train.progress.validating":
        values = {"folds": 5, "fits": 6, "parallel": 2, "guesses": GUESSES, **values}
    eta.observe(Step(key, values, model))


def _dummy_done(eta, clock):
    _feed(eta, clock, 0.0, "train.progress.validating", "dummy")
    _feed(eta, clock, 0.5, "train.progress.fold", "dummy", fold=1, folds=5)
    _feed(eta, clock, 1.0, "train.progress.refit", "dummy")


def test_nothing_to_go_on_until_a_real_model_has_fitted_once():
    clock = FakeClock()
    eta = TimeLeft(["dummy", "linear", "lgbm"], clock)
    assert eta.remaining() is None
    _dummy_done(eta, clock)
    _feed(eta, clock, 1.0, "train.progress.validating", "linear")
    clock.now = 9.0
    assert eta.remaining() is None  # the baseline's speed says nothing of the others'


def test_first_fit_times_the_rounds_of_fits_and_unstarted_models_scaled_by_the_measured_speed():
    clock = FakeClock()
    eta = TimeLeft(["dummy", "linear", "lgbm"], clock)
    _dummy_done(eta, clock)
    _feed(eta, clock, 1.0, "train.progress.validating", "linear")
    _feed(eta, clock, 11.0, "train.progress.fold", "linear", fold=1, folds=5)
    # linear: 10 s per fit × 3 rounds of 2 fits = 30 s, 10 spent; 15× slower than its guess of 2 s,
    # so lgbm (guess 10 s) should take 150 s; the finishing steps a share of all models' time
    models_total = 1.0 + 30.0 + 150.0
    assert eta.remaining() == pytest.approx(20.0 + 150.0 + FINISHING_SHARE * models_total)
    clock.now = 21.0
    assert eta.remaining() == pytest.approx(10.0 + 150.0 + FINISHING_SHARE * models_total)


def test_each_model_is_measured_once_started_and_finished_models_count_as_they_took():
    clock = FakeClock()
    eta = TimeLeft(["dummy", "linear", "lgbm"], clock)
    _dummy_done(eta, clock)
    _feed(eta, clock, 1.0, "train.progress.validating", "linear")
    _feed(eta, clock, 11.0, "train.progress.fold", "linear", fold=1, folds=5)
    _feed(eta, clock, 12.0, "train.progress.fold", "linear", fold=2, folds=5)  # later folds change nothing
    _feed(eta, clock, 36.0, "train.progress.refit", "linear")  # took 35 s, not the 30 estimated
    _feed(eta, clock, 36.0, "train.progress.validating", "lgbm")
    _feed(eta, clock, 56.0, "train.progress.fold", "lgbm", fold=1, folds=5)  # 20 s × 3 rounds = 60 s
    models_total = 1.0 + 35.0 + 60.0
    assert eta.remaining() == pytest.approx(40.0 + FINISHING_SHARE * models_total)
    clock.now = 200.0  # longer than estimated: nothing left of the model, never a negative time
    assert eta.remaining() == pytest.approx(FINISHING_SHARE * models_total)
    _feed(eta, clock, 100.0, "train.progress.refit", "lgbm")
    _feed(eta, clock, 100.0, "train.progress.finishing")
    models_total = 1.0 + 35.0 + 64.0
    clock.now = 102.0
    assert eta.remaining() == pytest.approx(FINISHING_SHARE * models_total - 2.0)
    _feed(eta, clock, 110.0, "train.progress.done")
    assert eta.remaining() == 0.0


def test_within_half_of_the_truth_after_the_first_fit_of_a_run_whose_fits_take_steady_times():
    """A simulated run: every fit of a model takes the same time, the refit a quarter longer (all rows)."""
    clock = FakeClock()
    fit = {"dummy": 0.2, "linear": 6.0, "lgbm": 40.0}
    eta = TimeLeft(list(fit), clock)
    events, t = [], 0.0
    for model, seconds in fit.items():
        events.append((t, "train.progress.validating", model, {}))
        # two at a time: folds 1+2, 3+4, then 5 beside the refit (1.25 × longer)
        ends = [t + seconds, t + seconds, t + 2 * seconds, t + 2 * seconds, t + 3 * seconds]
        events += [(end, "train.progress.fold", model, {"fold": i + 1, "folds": 5}) for i, end in enumerate(ends)]
        t += 2 * seconds + 1.25 * seconds
        events.append((t, "train.progress.refit", model, {}))
    finishing = 0.04 * t
    events += [(t, "train.progress.finishing", None, {}), (t + finishing, "train.progress.done", None, {})]
    end = t + finishing
    checked = 0
    for at, key, model, values in events:
        _feed(eta, clock, at, key, model, **values)
        if key == "train.progress.fold" and values["fold"] == 1 and model != "dummy":
            left = eta.remaining()
            assert 0.5 * (end - at) <= left <= 1.5 * (end - at), (model, left, end - at)
            checked += 1
    assert checked == 2


def test_messages_that_are_not_steps_are_ignored():
    clock = FakeClock()
    eta = TimeLeft(["dummy", "linear"], clock)
    eta.observe("Starting")
    eta.observe(None)
    assert eta.remaining() is None


def test_the_slowest_model_trains_first_unless_a_time_limit_orders_them():
    from core.train.settings import TrainSettings, models_to_train

    chosen = ("linear", "lgbm", "dt", "rf")
    assert models_to_train(TrainSettings(target="y", models=chosen)) == ("dummy", "rf", "lgbm", "linear", "dt")
    # under a time limit the models first in the user's list are the ones that fit in it
    assert models_to_train(TrainSettings(target="y", models=chosen, time_limit=60)) == ("dummy", *chosen)
    assert models_to_train(TrainSettings(target="y", models=("dummy", "linear"))) == ("dummy", "linear")
