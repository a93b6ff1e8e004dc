"""Wrong numbers of issue 12 in scoring: importance without a class, BatchNorm's last batch, r2, weights, defaults."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from core.predict import default_run
from core.train import build_pipeline, fast_metric, metric_order, metric_value
from core.train.estimators import EarlyStoppingBoosterClassifier
from core.train.importance import permutation_importance
from core.train.preprocessing import ColumnRoles
from nn.layers import BatchNorm, Dense, Sequential
from nn.losses import MeanSquaredError
from nn.optimizers import make_optimizer
from nn.training import batch_bounds
from nn.training import train as train_network


def test_permutation_importance_of_a_multiclass_model_survives_a_rare_class():
    rng = np.random.default_rng(0)
    n = 2000
    y = rng.integers(0, 2, size=n)
    y[:40] = 2  # the rare class: 2 % of the rows
    X = pd.DataFrame({"signal": y * 2.0 + rng.normal(scale=0.7, size=n), "noise": rng.normal(size=n)})
    roles = ColumnRoles(("signal", "noise"), (), (), (), (), {})
    fitted = build_pipeline("linear", roles, "multiclass", 0).fit(X.iloc[::2], y[::2])
    # A validation part holding the rare class twice: a random sample of 250 of its 1,000 rows misses it
    valid = np.r_[np.arange(1, n, 2)[20:], [1, 3]]
    for seed in range(3):
        drops = permutation_importance(fitted, X.iloc[valid].reset_index(drop=True), y[valid], "multiclass",
                                       "roc_auc", seed, 3)
        assert drops[0] > 0.1 and drops[0] > drops[1]  # before: all zeros (AUC undefined, turned to 0)


def test_batch_norm_does_not_learn_its_statistics_from_a_one_row_last_batch():
    rng = np.random.default_rng(0)
    X = (rng.normal(size=(257, 3)) * 2.0).astype("float32")  # variance 4
    net = Sequential([BatchNorm(3), Dense(3, 1, rng=rng)])
    train_network(net, MeanSquaredError(), make_optimizer("sgd", 1e-3), X, np.zeros((257, 1), "float32"),
                  rng=rng, epochs=1, batch_size=256, early_stopping=False)
    running = net.layers[0].buffers["running_var"]
    np.testing.assert_allclose(running, X.var(axis=0), rtol=0.1)  # before: about half of it


def test_r2_of_a_constant_target_is_zero_as_in_scikit_learn():
    y = np.full(6, 3.0)
    pred = np.arange(6, dtype=float)
    assert metric_value("r2", y, pred) == 0.0
    assert fast_metric("r2", y, pred) == 0.0
    assert fast_metric("r2", y, y.copy()) == metric_value("r2", y, y.copy()) == 1.0


def test_the_early_stopping_rows_of_a_weighted_booster_are_weighted_too():
    import lightgbm

    rng = np.random.default_rng(1)
    y = (rng.random(1500) < 0.08).astype(int)
    X = pd.DataFrame({"a": rng.normal(size=1500) + y, "b": rng.normal(size=1500)})
    model = EarlyStoppingBoosterClassifier(lightgbm.LGBMClassifier(n_estimators=60, verbose=-1, n_jobs=1),
                                           class_weight="balanced", stopping_rounds=1000, random_state=0).fit(X, y)
    _, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.1, random_state=0, stratify=y)
    weight = {c: len(y_fit) / (2 * np.sum(y_fit == c)) for c in (0, 1)}
    w = np.array([weight[v] for v in y_val])
    proba = model.predict_proba(X_val)[:, 1]
    expected = -np.sum(w * (y_val * np.log(proba) + (1 - y_val) * np.log(1 - proba))) / w.sum()
    assert model.learning_curve_["valid"][-1] == pytest.approx(expected, rel=1e-3)


def _add(ws, dataset, run_id, model, value, validation, created_order):
    ws.add_run(run_id=run_id, dataset=dataset, target="y", task="binary", model=model, status="finished",
               metric="roc_auc", metrics={"roc_auc": value},
               settings={"target": "y", "validation": validation, "folds": 5, "model": model}, fit_seconds=1.0)
    time.sleep(0.01 * created_order)


def test_the_default_model_is_chosen_among_runs_trained_alike(ws):
    dataset = ws.save_frame(pd.DataFrame({"x": range(30), "y": [0, 1] * 15}), "d")
    _add(ws, dataset, "lucky", "dt", 0.99, "holdout", 1)  # a lucky hold-out an hour ago
    _add(ws, dataset, "dummy2", "dummy", 0.5, "kfold", 1)
    _add(ws, dataset, "lgbm2", "lgbm", 0.90, "kfold", 1)
    _add(ws, dataset, "linear2", "linear", 0.85, "kfold", 1)
    assert default_run(ws, ws.runs()) == "lgbm2"


@pytest.mark.parametrize("metric", ["rmse", "roc_auc"])
def test_a_missing_score_is_ranked_last_whatever_the_direction(metric):
    values = {"a": 0.4, "b": None, "c": float("nan"), "d": 0.2}
    ranked = sorted(values, key=lambda k: metric_order(metric, values[k]))
    assert ranked[:2] == (["d", "a"] if metric == "rmse" else ["a", "d"]) and set(ranked[2:]) == {"b", "c"}


@pytest.mark.parametrize("n, size, expected", [(257, 256, [128, 129]), (30, 7, [6] * 5), (100, 32, [25] * 4),
                                               (70, 32, [23, 24, 23]), (90, 32, [32, 32, 26]), (64, 32, [32, 32]), (5, 256, [5])])
def test_batches_even_out_rather_than_end_with_a_tiny_one(n, size, expected):
    bounds = batch_bounds(n, size)
    assert [stop - start for start, stop in bounds] == expected and bounds[0][0] == 0 and bounds[-1][1] == n
