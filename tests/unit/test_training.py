"""Training: task inference, target checks, folds, metrics, ranking, reproducibility, every model."""
from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from core.errors import ColumnError, TargetError
from core.train import TrainingCancelled, TrainSettings, compute_metrics, infer_task, train
from core.train.models import REGISTRY
from tests.helpers import by_model, imbalanced_frame

# The module itself: the package's name ``core.train.train`` is the function it exports.
training = importlib.import_module("core.train.train")


@pytest.mark.parametrize("values, task", [
    ([0, 1, 0, 1], "binary"),
    (["yes", "no", "yes", None], "binary"),
    (["a", "b", "c", "a"], "multiclass"),
    ([1, 2, 3, 4, 5, 1], "regression"),  # a class of one row cannot be learned: a number
    ([1, 2, 3, 4, 5, 1] * 5, "multiclass"),
    (list(np.linspace(0, 1, 50)), "regression"),
    (list(range(100)), "regression"),
])
def test_task_is_inferred_from_the_target(values, task):
    assert infer_task(pd.Series(values)) == task


@pytest.mark.parametrize("target, message", [
    ([1, 1, 1, 1, 1, 1], "single value"),
    ([None] * 6, "Every value"),
    (["a", "a", "a", "b", "b", "c"], "single row"),
])
def test_targets_that_cannot_be_learned_get_clear_messages(target, message):
    frame = pd.DataFrame({"x": range(6), "y": target})
    with pytest.raises(TargetError, match=message):
        train(frame, TrainSettings(target="y", models=("dummy",)))


def test_unknown_target_column_is_named():
    with pytest.raises(ColumnError, match="no column 'nope'"):
        train(pd.DataFrame({"x": [1, 2]}), TrainSettings(target="nope"))


def test_rows_with_missing_target_are_dropped_and_counted(iris_frame):
    iris_frame.loc[:9, "species"] = None
    result = train(iris_frame, TrainSettings(target="species", models=("dummy",), folds=3))
    assert result.n_rows == 140
    assert any("10 row(s) without a value" in note for note in result.notes)


def test_folds_shrink_when_a_class_is_too_small():
    frame = pd.DataFrame({"x": range(40), "y": ["a"] * 37 + ["b"] * 3})
    result = train(frame, TrainSettings(target="y", models=("dummy",), folds=5))
    assert result.n_folds == 3
    assert any("3-fold" in note for note in result.notes)


def test_metrics_match_hand_computed_values():
    m = compute_metrics("binary", np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]),
                        np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.3, 0.7]]))
    assert m["accuracy"] == 0.75 and m["roc_auc"] == 1.0
    assert m["recall_macro"] == pytest.approx((0.5 + 1.0) / 2)
    r = compute_metrics("regression", np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0]))
    assert r["mse"] == pytest.approx(4 / 3) and r["rmse"] == pytest.approx(np.sqrt(4 / 3))
    assert r["mae"] == pytest.approx(2 / 3)


def test_imbalanced_target_is_ranked_by_auc_and_the_do_nothing_model_is_not_first():
    frame = imbalanced_frame()
    result = train(frame, TrainSettings(target="label", models=("dummy", "linear", "rf"), folds=5))
    assert result.task == "binary" and result.metric == "roc_auc"
    dummy = next(r for r in result.results if r.model == "dummy")
    # On 95% negatives the do-nothing model has the best accuracy of all...
    assert dummy.metrics["accuracy"] >= max(r.metrics["accuracy"] for r in result.results) - 0.01
    # ...and still comes last, because we rank by AUC.
    assert result.ranked()[-1].model == "dummy"
    assert result.best.model != "dummy"


def test_same_seed_gives_identical_metrics_and_other_seed_differs(iris_frame):
    settings = TrainSettings(target="species", models=("rf",), folds=3, seed=7)
    a = by_model(train(iris_frame, settings), "rf")
    b = by_model(train(iris_frame, settings), "rf")
    assert a.fold_metrics == b.fold_metrics
    c = by_model(train(iris_frame, TrainSettings(target="species", models=("rf",), folds=3, seed=8)), "rf")
    assert a.fold_metrics != c.fold_metrics


def test_every_model_shares_the_same_folds_and_reports_train_and_valid(iris_frame):
    result = train(iris_frame, TrainSettings(target="species", models=("dummy", "dt"), folds=4))
    for r in result.results:
        folds = {(f, s) for f, s, _, _ in r.fold_metrics}
        assert folds == {(i, s) for i in range(4) for s in ("train", "valid")}
    dt = next(r for r in result.results if r.model == "dt")
    assert dt.train_metrics["accuracy"] >= dt.metrics["accuracy"]


@pytest.mark.parametrize("model", sorted(REGISTRY))
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_every_registered_model_trains_on_every_task(model, task):
    rng = np.random.default_rng(1)
    n = 240
    x = rng.normal(size=n)
    frame = pd.DataFrame({"x": x, "z": rng.normal(size=n), "cat": rng.choice(["p", "q", "r"], n),
                          "when": pd.date_range("2024-01-01", periods=n, freq="D")})
    if task == "binary":
        frame["y"] = np.where(x + rng.normal(scale=0.5, size=n) > 0, "pass", "fail")
    elif task == "multiclass":
        frame["y"] = pd.cut(x, [-np.inf, -0.5, 0.5, np.inf], labels=["low", "mid", "high"]).astype(str)
    else:
        frame["y"] = 3 * x + rng.normal(scale=0.1, size=n)
    result = train(frame, TrainSettings(target="y", models=(model,), folds=3))
    r = by_model(result, model)
    assert r.error is None, r.error
    assert result.task == task
    score = r.metrics[result.metric]
    if model == "dummy":
        return
    if task == "regression":
        assert score < frame["y"].std()  # beats predicting the mean
    elif task == "binary":
        assert score > 0.75
    else:
        assert score > 0.5


def test_identifier_and_constant_columns_are_dropped_and_listed(iris_frame):
    iris_frame["student_id"] = [f"s{i}" for i in range(len(iris_frame))]
    iris_frame["school"] = "same"
    result = train(iris_frame, TrainSettings(target="species", models=("dummy",), folds=3))
    assert set(result.roles.dropped) == {"student_id", "school"}
    assert "student_id" not in result.contract["columns"][0]["name"]


def test_a_failing_model_is_recorded_and_the_others_still_run(iris_frame, monkeypatch):
    original = training.build_pipeline

    def broken(model, *args, **kwargs):
        if model == "dt":
            raise RuntimeError("boom")
        return original(model, *args, **kwargs)

    monkeypatch.setattr(training, "build_pipeline", broken)
    result = train(iris_frame, TrainSettings(target="species", models=("dt", "dummy"), folds=3))
    errors = {r.model: r.error for r in result.results}
    assert "boom" in errors["dt"] and errors["dummy"] is None
    assert result.ranked()[-1].model == "dt"


def test_progress_reaches_one_and_cancel_stops_training(iris_frame):
    seen = []
    train(iris_frame, TrainSettings(target="species", models=("dummy", "dt"), folds=3),
          progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0

    def cancel(fraction, message):
        if fraction > 0:
            raise TrainingCancelled()

    with pytest.raises(TrainingCancelled):
        train(iris_frame, TrainSettings(target="species", models=("dummy", "dt"), folds=3), progress=cancel)
