"""Optimizers, gradient clipping and learning-rate schedules of nn."""

import math

import numpy as np
import pytest

from nn.optimizers import (SGD, AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSProp,
                           clip_grad_norm, global_norm, make_optimizer)
from nn.schedules import CosineLR, ReduceLROnPlateau, StepLR, make_schedule

# An ill-conditioned quadratic f(p) = 0.5 * sum(scale * (p - target)**2), minimum 0 at target.
SCALE = np.array([[1.0, 10.0], [0.5, 3.0]], dtype=np.float32)
TARGET = np.array([[1.0, -2.0], [3.0, 0.5]], dtype=np.float32)


def quadratic(p):
    return float(0.5 * np.sum(SCALE * (p - TARGET) ** 2))


def minimise(optimizer, steps):
    params = {"W": np.zeros((2, 2), dtype=np.float32), "b": np.full(3, 4.0, dtype=np.float32)}
    start = quadratic(params["W"]) + 0.5 * float(np.sum(params["b"] ** 2))
    for _ in range(steps):
        grads = {"W": SCALE * (params["W"] - TARGET), "b": params["b"].copy()}
        optimizer.update(params, grads)
    end = quadratic(params["W"]) + 0.5 * float(np.sum(params["b"] ** 2))
    return start, end, params


@pytest.mark.parametrize(
    "optimizer, steps",
    [
        (SGD(0.05), 300),
        (Momentum(0.02, momentum=0.9), 300),
        (Nesterov(0.02, momentum=0.9), 300),
        (AdaGrad(0.5), 300),
        (RMSProp(0.05), 300),
        (Adam(0.1), 300),
        (AdamW(0.1), 300),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, int) else str(v),
)
def test_each_optimizer_minimises_a_quadratic(optimizer, steps):
    start, end, params = minimise(optimizer, steps)
    assert end < 1e-3 * start
    np.testing.assert_allclose(params["W"], TARGET, atol=0.05)
    assert params["W"].dtype == np.float32  # updates in place never upcast


def test_optimizer_state_is_created_lazily_per_parameter():
    opt = Adam(0.01)
    assert opt.state == {}
    p = {"0.W": np.ones((2, 2), np.float32)}
    same_array = p["0.W"]
    opt.update(p, {"0.W": np.ones((2, 2), np.float32)})
    assert set(opt.state) == {"0.W"}
    assert p["0.W"] is same_array  # updated in place, layers keep their arrays
    assert np.all(p["0.W"] < 1)


def test_nesterov_differs_from_plain_momentum():
    _, end_m, pm = minimise(Momentum(0.02), 5)
    _, end_n, pn = minimise(Nesterov(0.02), 5)
    assert not np.allclose(pm["W"], pn["W"])


def test_l2_weight_decay_moves_the_minimum_and_spares_biases():
    # grad of 0.5 (p - c)^2 + 0.5 wd p^2 vanishes at p = c / (1 + wd)
    opt = SGD(0.1, weight_decay=0.5)
    p = {"W": np.zeros(3), "b": np.zeros(3)}
    c = np.array([1.0, -2.0, 3.0])
    for _ in range(500):
        opt.update(p, {"W": p["W"] - c, "b": p["b"] - c})
    np.testing.assert_allclose(p["W"], c / 1.5, atol=1e-6)
    np.testing.assert_allclose(p["b"], c, atol=1e-6)


def test_adamw_decay_is_decoupled():
    opt = AdamW(0.1, weight_decay=0.2)
    p = {"W": np.full(4, 2.0), "b": np.full(4, 2.0)}
    grads = {"W": np.zeros(4), "b": np.zeros(4)}
    opt.update(p, grads)
    # zero gradient: Adam's step is 0, only the decay acts: p *= 1 - lr * wd
    np.testing.assert_allclose(p["W"], 2.0 * (1 - 0.1 * 0.2))
    np.testing.assert_allclose(p["b"], 2.0)
    # with L2 (plain Adam), the decay goes through the moments: a full-size step of lr
    adam = Adam(0.1, weight_decay=0.2)
    p2 = {"W": np.full(4, 2.0)}
    adam.update(p2, {"W": np.zeros(4)})
    np.testing.assert_allclose(p2["W"], 2.0 - 0.1, atol=1e-6)


def test_optimizer_does_not_change_the_gradients_it_is_given():
    grads = {"W": np.array([1.0, -1.0])}
    before = grads["W"].copy()
    make_optimizer("momentum", 0.1, weight_decay=0.1).update({"W": np.ones(2)}, grads)
    np.testing.assert_array_equal(grads["W"], before)


def test_unknown_optimizer_is_rejected():
    with pytest.raises(ValueError, match="adam"):
        make_optimizer("adamm", 0.1)


def test_clip_grad_norm_bounds_the_global_norm():
    grads = {"W": np.array([[3.0, 0.0], [0.0, 4.0]]), "b": np.array([12.0])}
    assert global_norm(grads) == pytest.approx(13.0)
    before = {k: v.copy() for k, v in grads.items()}
    returned = clip_grad_norm(grads, 1.0)
    assert returned == pytest.approx(13.0)
    assert global_norm(grads) == pytest.approx(1.0)
    np.testing.assert_allclose(grads["b"], before["b"] / 13.0)  # direction kept
    small = {"W": np.array([0.1, 0.2])}
    clip_grad_norm(small, 1.0)
    np.testing.assert_array_equal(small["W"], [0.1, 0.2])


def test_optimizer_clips_before_stepping():
    p = {"W": np.zeros(2)}
    SGD(1.0, clip_norm=0.5).update(p, {"W": np.array([30.0, 40.0])})
    assert np.linalg.norm(p["W"]) == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# Schedules


def run_schedule(schedule, n, metrics=None):
    lrs = [schedule.lr]
    for e in range(n - 1):
        lrs.append(schedule.step(None if metrics is None else metrics[e]))
    return lrs


def test_step_schedule_values():
    assert run_schedule(StepLR(0.1, step_size=2, gamma=0.5), 6) == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_cosine_schedule_values():
    lrs = run_schedule(CosineLR(0.1, t_max=4, min_lr=0.01), 7)
    expected = [0.01 + 0.09 * 0.5 * (1 + math.cos(math.pi * e / 4)) for e in range(5)] + [0.01, 0.01]
    assert lrs == pytest.approx(expected)
    assert lrs[2] == pytest.approx(0.055)


def test_plateau_schedule_reduces_after_patience_epochs_without_improvement():
    sched = ReduceLROnPlateau(1.0, factor=0.5, patience=2, min_lr=0.2)
    metrics = [5.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0]
    lrs = run_schedule(sched, 14, metrics)
    # epochs 2-3 are within patience; the third flat epoch halves the rate
    assert lrs == pytest.approx([1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25,
                                 0.2, 0.2])


def test_make_schedule_accepts_names_and_dicts():
    assert make_schedule(None, 0.1, 10) is None
    cos = make_schedule("cosine", 0.1, epochs=10)
    assert isinstance(cos, CosineLR) and cos.t_max == 10
    step = make_schedule({"name": "step", "step_size": 3, "gamma": 0.1}, 0.1, 10)
    assert step.lr_at(3) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="Unknown lr_schedule"):
        make_schedule("linear", 0.1, 10)
    with pytest.raises(ValueError, match="Bad options"):
        make_schedule({"name": "step", "steps": 3}, 0.1, 10)
