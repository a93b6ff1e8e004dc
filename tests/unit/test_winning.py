"""What helps a model win and be trusted: greedy ensembles, decision thresholds, calibration, Optuna search, the test part."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, log_loss, roc_auc_score

from core.predict import load_model, predict_frame
from core.predict.decision import save_threshold, with_threshold
from core.train import TrainSettings, train, train_dataset
from core.train.calibration import apply_calibration, choose_calibration
from core.train.ensemble import ENSEMBLE, EnsemblePipeline, greedy_selection
from core.train.finishing import add_ensemble
from core.train.holdout import MIN_ROWS, hold_out, held_out_share
from core.train.preprocessing import column_roles
from core.train.search import tune
from core.train.splits import make_splits
from core.train.threshold import best_threshold, decide
from core.train.train import ModelResult, TrainResult
from core.errors import UserError
from tests.helpers import by_model


def mixed_signal(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Two additive effects and one interaction: a linear model sees the first, a tree the second."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    logit = 1.2 * X[:, 0] + 1.2 * X[:, 1] + 2.0 * np.sign(X[:, 2] * X[:, 3])
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame(X, columns=list("abcd")).assign(y=np.where(y, "yes", "no"))


# -- greedy ensemble selection ---------------------------------------------------------------------------------

def test_greedy_selection_picks_the_better_model_alone():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    good = np.column_stack([1 - (0.7 * y + 0.15), 0.7 * y + 0.15]) + rng.normal(0, 0.05, (400, 2))
    bad = rng.random((400, 2))
    weights, score, _ = greedy_selection([bad, good], y, "roc_auc", "binary")
    assert weights.tolist() == [0.0, 1.0]
    assert score == pytest.approx(roc_auc_score(y, good[:, 1]))


def test_greedy_selection_mixes_two_complementary_models_and_beats_both():
    rng = np.random.default_rng(1)
    n = 600
    y = rng.integers(0, 2, n)
    half = np.arange(n) < n // 2
    # each model knows the answer on its own half of the rows and guesses on the other
    p_a = np.where(half, 0.2 + 0.6 * y, rng.random(n))
    p_b = np.where(~half, 0.2 + 0.6 * y, rng.random(n))
    preds = [np.column_stack([1 - p, p]) for p in (p_a, p_b)]
    weights, score, _ = greedy_selection(preds, y, "log_loss", "binary")
    singles = [log_loss(y, p) for p in preds]
    assert np.all(weights > 0.2)
    assert score < min(singles) - 0.05


def test_training_adds_the_ensemble_only_when_it_beats_the_best_model():
    result = train(mixed_signal(), TrainSettings(target="y", models=("linear", "dt"), folds=3, importance=False))
    ens = by_model(result, ENSEMBLE)
    singles = {r.model: r.metrics["roc_auc"] for r in result.results if r.model in ("linear", "dt")}
    assert ens.metrics["roc_auc"] > max(singles.values())
    assert set(ens.extras["ensemble_mix"]["weights"]) == {"linear", "dt"}
    assert result.best is ens and len(ens.fold_metrics) == 3 * 8
    off = train(mixed_signal(), TrainSettings(target="y", models=("linear", "dt"), folds=3, importance=False,
                                              ensemble=False))
    assert ENSEMBLE not in {r.model for r in off.results}
    # one model alone cannot be beaten by a mix of itself: no ensemble, and a note says why
    alone = train(mixed_signal(), TrainSettings(target="y", models=("linear",), folds=3, importance=False))
    assert ENSEMBLE not in {r.model for r in alone.results}


def _result(models: dict[str, np.ndarray], y: np.ndarray) -> TrainResult:
    """A comparison holding only out-of-fold probabilities of class 1 per model (no fitting)."""
    result = TrainResult(task="binary", metric="roc_auc", target="y", classes=[0, 1], roles=None, contract={},
                         n_rows=len(y), n_folds=2)
    for model, p in models.items():
        oof = pd.DataFrame({"row": np.arange(len(y)), "fold": np.arange(len(y)) % 2, "y_true": y,
                            "y_pred": (p >= 0.5).astype(int), "proba_0": 1 - p, "proba_1": p})
        result.results.append(ModelResult(model=model, status="finished", oof=oof, pipeline=object()))
    return result


def test_an_ensemble_that_does_not_beat_the_best_model_is_not_kept_and_a_note_says_so():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 300)
    result = _result({"linear": 0.1 + 0.8 * y, "dt": rng.random(300)}, y)  # linear is already perfect
    add_ensemble(result, TrainSettings(target="y"), 2, ModelResult)
    assert [r.model for r in result.results] == ["linear", "dt"]
    assert result.note_keys == [("train.note.ensemble_not_better",
                                 {"model": "linear", "metric": "roc_auc", "value": "1.0000"})]
    mixed = _result({"linear": np.where(np.arange(300) < 150, 0.2 + 0.6 * y, rng.random(300)),
                     "dt": np.where(np.arange(300) >= 150, 0.2 + 0.6 * y, rng.random(300))}, y)
    add_ensemble(mixed, TrainSettings(target="y"), 2, ModelResult)
    assert mixed.results[-1].model == ENSEMBLE and mixed.note_keys == []


def test_the_ensemble_bundle_saves_loads_and_predicts(ws):
    ds = ws.save_frame(mixed_signal(), "mixed")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="y", models=("linear", "dt"), folds=3,
                                                             importance=False))
    run_id = outcome.run_ids[ENSEMBLE]
    pipeline, sidecar = load_model(ws, run_id)
    assert isinstance(pipeline, EnsemblePipeline) and sidecar["model"] == ENSEMBLE
    rows = mixed_signal(50, seed=9).drop(columns="y")
    prediction = predict_frame(pipeline, sidecar, rows)
    members = dict(pipeline.members)
    expected = sum(w * members[m].predict_proba(rows)[:, 1] for m, w in pipeline.member_weights.items())
    calibrated = apply_calibration(np.column_stack([1 - expected, expected]), sidecar.get("calibration"))
    assert np.allclose(prediction.frame["probability of 'yes' (%)"], 100 * calibrated[:, 1], atol=0.051)  # one decimal
    assert ws.run(run_id).status == "finished" and ws.oof_predictions(run_id)["row"].nunique() == 600


# -- the decision threshold ------------------------------------------------------------------------------------

def test_the_threshold_maximises_f1_on_the_out_of_fold_rows():
    rng = np.random.default_rng(2)
    y = (rng.random(500) < 0.1).astype(int)
    p = np.clip(0.15 * y + rng.normal(0.2, 0.1, 500), 0, 1)
    threshold, value = best_threshold(y, p, "f1")
    grid = np.linspace(0.01, 0.99, 99)
    brute = max(f1_score(y, (p >= t).astype(int), zero_division=0) for t in grid)
    assert value == pytest.approx(f1_score(y, (p >= threshold).astype(int)))
    assert value >= brute - 1e-12 and threshold < 0.5
    assert value > f1_score(y, (p >= 0.5).astype(int), zero_division=0)


def test_predict_applies_the_stored_threshold_and_old_bundles_use_half(ws):
    from tests.helpers import imbalanced_frame

    ds = ws.save_frame(imbalanced_frame(n=400, positive_rate=0.15), "rare")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="label", models=("linear",), folds=3,
                                                             importance=False))
    run_id = outcome.run_ids["linear"]
    pipeline, sidecar = load_model(ws, run_id)
    assert 0 < sidecar["decision"]["threshold"] < 1 and sidecar["decision"]["metric"] == "f1"
    rows = imbalanced_frame(n=200, positive_rate=0.15, seed=5).drop(columns="label")
    proba = apply_calibration(pipeline.predict_proba(rows), sidecar.get("calibration"))
    for threshold in (0.05, 0.3, 0.9):
        save_threshold(ws, run_id, threshold)
        pipeline, sidecar = load_model(ws, run_id)
        labels = predict_frame(pipeline, sidecar, rows).frame["label (predicted)"]
        assert (labels == "yes").tolist() == (proba[:, 1] >= threshold).tolist()
    old = {k: v for k, v in sidecar.items() if k not in ("decision", "calibration")}
    labels = predict_frame(pipeline, old, rows).frame["label (predicted)"]
    assert (labels == "yes").tolist() == (pipeline.predict_proba(rows)[:, 1] >= 0.5).tolist()
    with pytest.raises(UserError, match="between 0 and 1"):
        save_threshold(ws, run_id, 1.5)
    with pytest.raises(UserError, match="two classes"):
        with_threshold({"task": "multiclass", "classes": [1, 2, 3]}, 0.3)


def test_decide_uses_the_threshold_for_two_classes_and_the_most_likely_class_otherwise():
    proba = np.array([[0.7, 0.3], [0.4, 0.6]])
    assert decide(proba, 0.25).tolist() == [1, 1] and decide(proba, 0.65).tolist() == [0, 0]
    assert decide(np.array([[0.2, 0.5, 0.3]]), 0.9).tolist() == [1]


# -- calibration -------------------------------------------------------------------------------------------------

def test_calibration_is_used_only_when_it_lowers_the_log_loss():
    rng = np.random.default_rng(4)
    p = rng.random(2000)
    y = (rng.random(2000) < p).astype(int)
    honest = choose_calibration(np.column_stack([1 - p, p]), y)
    assert honest["method"] is None and honest["log_loss_after"] == honest["log_loss_before"]
    sure = np.clip(p + 0.6 * (p - 0.5), 0.001, 0.999)  # too sure of itself
    fixed = choose_calibration(np.column_stack([1 - sure, sure]), y)
    assert fixed["method"] in ("isotonic", "sigmoid")
    assert fixed["log_loss_after"] < fixed["log_loss_before"] - 0.01
    mapped = apply_calibration(np.column_stack([1 - sure, sure]), fixed)
    assert log_loss(y, mapped) < log_loss(y, np.column_stack([1 - sure, sure]))
    assert np.allclose(mapped.sum(axis=1), 1)


def test_multiclass_calibration_keeps_rows_summing_to_one():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(900, 3)) * 3
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=np.exp(r / 3) / np.exp(r / 3).sum()) for r in logits])
    chosen = choose_calibration(proba, y)
    assert chosen["method"] is not None and chosen["log_loss_after"] < chosen["log_loss_before"]
    assert np.allclose(apply_calibration(proba, chosen).sum(axis=1), 1)


# -- Optuna search ---------------------------------------------------------------------------------------------

def _search(settings, frame, deadline=None):
    y = (frame["y"] == "yes").to_numpy().astype(int)
    X = frame.drop(columns="y")
    roles = column_roles(frame, list(X.columns), settings.preprocessing)
    splits, _ = make_splits(y, "binary", settings.validation, settings.folds, 0.2, settings.seed)
    return tune("dt", roles, "binary", settings, X, y, splits, deadline, int(np.bincount(y).min()), 2)


def test_search_same_seed_same_trials_and_prunes_bad_ones():
    frame = mixed_signal(300)
    settings = TrainSettings(target="y", models=("dt",), folds=3, tune=True, tune_iterations=10, metric="roc_auc",
                             seed=11)
    best, trials = _search(settings, frame)
    again, trials_again = _search(settings, frame)
    assert trials == trials_again and best == again and len(trials) == 10
    assert trials[0]["params"] == {"max_depth": 8, "min_samples_leaf": 5}  # the defaults come first
    states = {t["state"] for t in trials}
    assert "pruned" in states and "complete" in states
    complete = [t for t in trials if t["state"] == "complete"]
    assert {k: best[k] for k in trials[0]["params"]} == max(complete, key=lambda t: t["value"])["params"]
    pruned = [t for t in trials if t["state"] == "pruned"]
    assert all(t["folds"] < 3 for t in pruned)
    other_seed = TrainSettings(**dict(settings.to_dict(), seed=12, preprocessing=settings.preprocessing))
    assert _search(other_seed, frame)[1] != trials


def test_search_stops_at_the_time_budget():
    frame = mixed_signal(300)
    settings = TrainSettings(target="y", models=("dt",), folds=3, tune=True, tune_iterations=20,
                             metric="roc_auc")
    _, unbounded = _search(settings, frame)
    _, spent = _search(settings, frame, deadline=time.perf_counter() - 1.0)  # the budget is already used up
    assert len(unbounded) == 20  # without a deadline the search runs every trial asked for
    assert len(spent) == 1  # with it spent, the trial under way is the last one


def test_tuned_runs_are_flagged_record_their_trials_and_are_scored_on_the_test_part():
    result = train(mixed_signal(400), TrainSettings(target="y", models=("linear", "dt"), folds=3, tune=True,
                                                    tune_iterations=4, importance=False, ensemble=False,
                                                    test_size=0.25))
    dt = by_model(result, "dt")
    assert dt.extras["tuned"] and len(dt.extras["trials"]) == 4 and dt.test_metrics
    assert any("Tuned over 4" in n for n in dt.notes)


# -- the held-out test part -------------------------------------------------------------------------------------

def test_big_tables_hold_out_a_test_part_that_nothing_is_fitted_on():
    assert held_out_share(MIN_ROWS - 1, 0.0, True) == 0.0 and held_out_share(MIN_ROWS, 0.0, True) == 0.2
    assert held_out_share(MIN_ROWS, 0.0, False) == 0.0 and held_out_share(100, 0.3, True) == 0.3
    frame = mixed_signal(MIN_ROWS)
    settings = TrainSettings(target="y", models=("linear", "dt"), folds=3, importance=False)
    result = train(frame, settings)
    y = (frame["y"] == "yes").to_numpy().astype(int)
    pool, test = hold_out(frame, y, "binary", 0.2, settings.seed, "kfold", None)
    assert set(pool).isdisjoint(test) and len(test) == 400 and result.n_test_rows == 400 and result.n_rows == 1600
    for r in result.results:
        assert set(r.oof["row"]).isdisjoint(test) and set(r.oof["row"]) == set(pool)
    winner = max((r for r in result.results if r.model in ("linear", "dt")), key=lambda r: r.metrics["roc_auc"])
    assert winner.test_metrics and 0.5 < winner.test_metrics["roc_auc"] <= 1
    scored = {r.model for r in result.results if r.test_metrics}
    assert scored == {winner.model, ENSEMBLE} & {r.model for r in result.results}
    assert ("train.note.test_part", {"rows": "400"}) in result.note_keys
    small = train(mixed_signal(300), TrainSettings(target="y", models=("linear",), folds=3, importance=False))
    assert small.n_test_rows == 0 and any(k == "train.note.cv_only" for k, _ in small.note_keys)


def test_under_time_validation_the_test_part_is_the_latest_period():
    frame = mixed_signal(100)
    frame["when"] = pd.date_range("2024-01-01", periods=100, freq="D")[::-1]
    y = (frame["y"] == "yes").to_numpy().astype(int)
    pool, test = hold_out(frame, y, "binary", 0.2, 0, "time", "when")
    assert len(test) == 20 and frame["when"].iloc[test].min() > frame["when"].iloc[pool].max()


# -- the command line --------------------------------------------------------------------------------------------

def test_cli_predict_threshold_overrides_the_saved_one_and_refuses_bad_values(capsys, data_dir, tmp_path):
    import json

    from core import cli
    from storage.workspace import Workspace

    Workspace("alice", data_dir).save_frame(mixed_signal(300), "mixed")

    def run(*args):
        code = cli.main(["--data-dir", str(data_dir), "--user", "alice", "--json", *map(str, args)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, err = run("train", "mixed", "--target", "y", "--models", "linear", "--folds", "3", "--no-ensemble")
    assert code == 0, err
    trained = json.loads(out)
    linear = next(r for r in trained["runs"] if r["model"] == "linear")
    assert 0 < linear["decision"]["threshold"] < 1 and "trials" not in linear
    rows = tmp_path / "rows.csv"
    mixed_signal(40, seed=3).drop(columns="y").to_csv(rows, index=False)
    shares = {}
    for threshold in ("0.01", "0.99"):
        code, out, err = run("predict", linear["run_id"], rows, "--out", tmp_path / f"p{threshold}.csv",
                             "--threshold", threshold)
        assert code == 0, err
        shares[threshold] = (pd.read_csv(tmp_path / f"p{threshold}.csv")["y (predicted)"] == "yes").mean()
    assert shares["0.01"] > 0.9 and shares["0.99"] < 0.1
    code, out, err = run("predict", linear["run_id"], rows, "--out", tmp_path / "bad.csv", "--threshold", "1.5")
    assert code == 2 and out == "" and "between 0 and 1" in err and err.count("\n") == 1
