"""Small tables train fast without changing a number: one-call fold scoring, and the same seed gives the same run."""
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from core.train import TrainSettings, build_pipeline, train
from core.train import importance as importance_module
from core.train.importance import permutation_importance, score_fold
from core.train.metrics import score_pipeline
from core.train.preprocessing import column_roles


def _penguins(n: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    species = rng.choice(["a", "b", "c"], size=n)
    shift = pd.Series(species).map({"a": 0.0, "b": 1.5, "c": 3.0}).to_numpy()
    frame = pd.DataFrame({"bill": shift + rng.normal(size=n), "mass": rng.normal(size=n) - shift,
                          "island": rng.choice(["x", "y", "z"], size=n).astype(object),
                          "sex": rng.choice(["m", "f"], size=n).astype(object), "species": species})
    frame.loc[rng.choice(n, 6, replace=False), "sex"] = None
    frame.loc[rng.choice(n, 3, replace=False), "bill"] = np.nan
    return frame


@pytest.mark.parametrize("model", ["linear", "lgbm"])
@pytest.mark.parametrize("one_call", [True, False])
def test_fold_scoring_in_one_call_gives_the_numbers_of_separate_calls(model, one_call, monkeypatch):
    frame = _penguins()
    X, (y, _) = frame.drop(columns="species"), pd.factorize(frame["species"], sort=True)
    roles = column_roles(frame, list(X.columns))
    fitted = build_pipeline(model, roles, "multiclass", 0).fit(X.iloc[:90], y[:90])
    train_idx, valid_idx = np.arange(90), np.arange(90, 120)
    if not one_call:
        monkeypatch.setattr(importance_module, "ONE_CALL_ROWS", 10)
    train_m, valid_m, pred, proba, perm = score_fold(fitted, X, y, train_idx, valid_idx, "multiclass", 3,
                                                     "f1_macro", 7, True)
    ref_train, _, _ = score_pipeline(fitted, X.iloc[train_idx], y[train_idx], "multiclass", 3)
    ref_valid, ref_pred, ref_proba = score_pipeline(fitted, X.iloc[valid_idx], y[valid_idx], "multiclass", 3)
    ref_perm = permutation_importance(fitted, X.iloc[valid_idx], y[valid_idx], "multiclass", "f1_macro", 7, 3)
    assert train_m == pytest.approx(ref_train, abs=1e-9, nan_ok=True)
    assert valid_m == pytest.approx(ref_valid, abs=1e-9, nan_ok=True)
    np.testing.assert_array_equal(pred, ref_pred)
    np.testing.assert_allclose(proba, ref_proba, atol=1e-12)
    np.testing.assert_allclose(perm, ref_perm, atol=1e-12)
    assert np.abs(perm).sum() > 0  # the importance says something: "bill" and "mass" carry the classes


def test_fold_scoring_of_a_regression_without_importance():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    y = 3 * X["a"].to_numpy() + rng.normal(size=80) * 0.1
    roles = column_roles(X.assign(t=y), ["a", "b"])
    fitted = build_pipeline("linear", roles, "regression", 0).fit(X.iloc[:60], y[:60])
    train_m, valid_m, pred, proba, perm = score_fold(fitted, X, y, np.arange(60), np.arange(60, 80), "regression",
                                                     0, "rmse", 0, False)
    ref_valid, ref_pred, _ = score_pipeline(fitted, X.iloc[60:], y[60:], "regression", 0)
    assert proba is None and perm is None
    assert valid_m == pytest.approx(ref_valid)
    np.testing.assert_allclose(pred, ref_pred)
    assert train_m["rmse"] < 0.2


def _summary(result):
    return {r.model: (r.metrics, [row["permutation_mean"] for row in r.importance], r.extras.get("calibration"),
                      r.extras.get("ensemble_mix"))
            for r in result.results}


def test_the_same_seed_gives_the_same_small_table_run_and_another_seed_another():
    X, y = load_iris(return_X_y=True, as_frame=True)
    frame = X.assign(target=y).sample(frac=0.6, random_state=0)
    first = train(frame, TrainSettings(target="target", folds=3, seed=3))
    again = train(frame, TrainSettings(target="target", folds=3, seed=3))
    other = train(frame, TrainSettings(target="target", folds=3, seed=4))
    assert _summary(first) == _summary(again)
    assert _summary(first) != _summary(other)


def test_a_training_without_a_search_does_not_wait_for_optuna():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from core.train import TrainSettings, train; import core.train.search; "
            "print('optuna' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


def test_permutation_importance_of_a_wide_table_keeps_within_its_budget():
    from core.train.importance import PERMUTATION_BUDGET, PERMUTATION_ROWS, REPEATS, permutation_plan

    assert permutation_plan(69, 6) == (69, REPEATS)  # a small narrow table: every row, shuffled twice
    assert permutation_plan(5000, 10) == (PERMUTATION_ROWS, REPEATS)
    rows, repeats = permutation_plan(360, 64)  # digits: 64 columns
    assert repeats == 1 and (1 + 64 * repeats) * rows <= PERMUTATION_BUDGET and rows >= 100
    assert permutation_plan(1000, 5000)[0] >= 60  # never a handful of rows
    assert permutation_plan(360, 64, repeats=2)[1] == 2


def test_a_wide_table_still_gets_an_importance_per_column_that_finds_the_signal():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(600, 70)), columns=[f"c{i}" for i in range(70)])
    y = (X["c3"] + 0.3 * rng.normal(size=600) > 0).astype(int).to_numpy()
    roles = column_roles(X.assign(t=y), list(X.columns))
    fitted = build_pipeline("linear", roles, "binary", 0).fit(X.iloc[:400], y[:400])
    drops = permutation_importance(fitted, X.iloc[400:], y[400:], "binary", "roc_auc", 0, 2)
    assert drops.shape == (70,) and int(np.argmax(drops)) == 3
