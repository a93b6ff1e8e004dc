"""Wrong results of issue 12, each reproduced on small data: target encoding, identifiers, resampling, rare classes."""
from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from core.errors import TargetError
from core.train import TrainSettings, build_pipeline, train, train_dataset
from core.train.estimators import ResampledClassifier
from core.train.preprocessing import ColumnRoles, PreprocessSettings, Resampler, column_roles, model_input_names
from tests.helpers import by_model, imbalanced_frame
from texts import text_for

training = importlib.import_module("core.train.train")


# -- target encoding ------------------------------------------------------------------------------------------------

def _priced_frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    shop = rng.integers(0, 80, size=n)
    price = 100.0 + shop % 40 + rng.integers(0, 3, size=n)  # whole numbers, ~45 distinct values
    return pd.DataFrame({"shop": [f"s{v}" for v in shop], "price": price})


def test_target_encoding_of_a_whole_number_regression_target_is_one_column():
    frame = _priced_frame()
    roles = ColumnRoles((), (), ("shop",), (), (), {})
    pipeline = build_pipeline("linear", roles, "regression", 0).fit(frame[["shop"]], frame["price"].to_numpy())
    assert model_input_names(pipeline) == ["shop"]  # "auto" made one column per distinct price


def test_target_encoding_lets_a_linear_model_learn_whole_number_prices():
    frame = _priced_frame()
    result = train(frame, TrainSettings(target="price", models=("linear",), folds=3,
                                        preprocessing=PreprocessSettings(target_encode_above=20)))
    rmse = by_model(result, "linear").metrics["rmse"]
    baseline = by_model(result, "dummy").metrics["rmse"]
    assert rmse < 0.3 * baseline  # the shop decides the price: before the fix the linear model was worse than dummy


# -- identifiers ----------------------------------------------------------------------------------------------------

def _sorted_by_outcome(n=300, seed=1):
    frame = imbalanced_frame(n, 0.3, seed).sort_values("label").reset_index(drop=True)
    frame.insert(0, "row_id", np.arange(1, n + 1))
    return frame


def test_a_row_id_in_a_table_sorted_by_outcome_is_not_used(ws):
    frame = _sorted_by_outcome()
    ws.save_frame(frame, "with_id")
    ws.save_frame(frame.drop(columns="row_id"), "without_id")
    settings = TrainSettings(target="label", models=("lgbm",), folds=3, importance=False)
    with_id = train_dataset(ws, "with_id", settings).result
    without = train_dataset(ws, "without_id", settings).result
    auc = by_model(with_id, "lgbm").metrics["roc_auc"]
    assert auc == pytest.approx(by_model(without, "lgbm").metrics["roc_auc"], abs=1e-9)
    assert "row_id" in with_id.roles.dropped and "row_id" not in with_id.roles.used
    said = {text_for(lang)("train.note.dropped.identifier_type", column="row_id") for lang in ("en", "ko")}
    assert said & set(with_id.notes)


def test_column_roles_follow_the_stored_column_types():
    frame = pd.DataFrame({"region": [11, 26, 27, 11, 26] * 10, "score": np.arange(50) * 1.5, "code": range(50)})
    roles = column_roles(frame, types={"region": "integer_code", "score": "number", "code": "identifier"})
    assert roles.categorical == ("region",) and roles.numeric == ("score",)
    assert set(roles.dropped) == {"code"}


# -- resampling after the early-stopping split ---------------------------------------------------------------------

class _Spy(ClassifierMixin, BaseEstimator):
    """Records the rows it is fitted and stopped on."""

    def fit(self, X, y, X_val=None, y_val=None):
        self.fit_rows_, self.val_rows_ = np.asarray(X), np.asarray(X_val)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


@pytest.mark.parametrize("kind", ["smote", "oversample"])
def test_no_resampled_row_is_in_the_early_stopping_rows(kind):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = (rng.random(400) < 0.06).astype(int)
    model = ResampledClassifier(_Spy(), Resampler(kind, (), 0), random_state=0).fit(X, y)
    fit_rows, val_rows = model.estimator_.fit_rows_, model.estimator_.val_rows_
    assert len(val_rows) == 40 and len(fit_rows) > 360  # resampled up to balance
    original = {tuple(r) for r in X.to_numpy()}
    assert all(tuple(r) in original for r in val_rows)  # the stopping rows are real rows
    seen = {tuple(r) for r in fit_rows}
    assert not any(tuple(r) in seen for r in val_rows)  # and none of them (or a copy) is trained on


def test_smote_leaves_lightgbm_early_stopping_where_it_was():
    frame = imbalanced_frame(2000, 0.05, seed=3)
    def run(balance):
        settings = TrainSettings(target="label", models=("lgbm",), folds=3, importance=False,
                                 preprocessing=PreprocessSettings(balance=balance))
        return by_model(train(frame, settings), "lgbm")
    plain, smote = run("none"), run("smote")
    # before: 233 rounds against 20, log loss .415 against .187
    assert smote.pipeline.steps[-1][1].best_iteration_ <= 2 * plain.pipeline.steps[-1][1].best_iteration_ + 10
    assert smote.metrics["log_loss"] < plain.metrics["log_loss"] + 0.03
    assert smote.metrics["roc_auc"] > plain.metrics["roc_auc"] - 0.03
    again = run("smote")
    assert again.metrics == smote.metrics  # the same seed gives the same scores, SMOTE included


def test_the_baseline_is_never_resampled():
    frame = imbalanced_frame(400, 0.1, seed=0)
    result = train(frame, TrainSettings(target="label", models=("dummy",), folds=3,
                                        preprocessing=PreprocessSettings(balance="oversample")))
    dummy = by_model(result, "dummy")
    assert "balance" not in dummy.pipeline.named_steps
    assert dummy.oof["proba_1"].max() < 0.2  # the prior of the real rows, not 0.5


# -- a rare class and a test part -----------------------------------------------------------------------------------

def test_a_rare_class_with_a_test_part_gets_a_message_saying_what_to_change():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60), "y": ["a"] * 29 + ["b"] * 29 + ["c"] * 2})
    with pytest.raises(TargetError, match="test") as caught:
        train(frame, TrainSettings(target="y", models=("dummy",), test_size=0.25))
    assert caught.value.key == "train.error.rare_class_test" and caught.value.params["cls"] == "c"
