"""Runs as tables and records: the leaderboard, the comparison, per-fold scores, re-running, deleting, the CLI."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from core import cli
from core.train import TrainSettings, train_dataset
from core.runs import records as core_runs
from core.errors import UserError
from storage import bundles
from storage.workspace import RunNotFound, Workspace


def noisy_frame(n: int = 240, seed: int = 0) -> pd.DataFrame:
    """One weak signal among noise: a decision tree memorises it, a linear model does not."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    y = (signal + rng.normal(scale=1.5, size=n) > 0)
    frame = pd.DataFrame({f"noise{i}": rng.normal(size=n) for i in range(6)})
    frame["signal"] = signal
    frame["passed"] = np.where(y, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A workspace with one comparison (baseline, linear, decision tree) on a noisy binary table."""
    root = tmp_path_factory.mktemp("runs-data")
    ws = Workspace("alice", root)
    ds = ws.save_frame(noisy_frame(), "noisy")
    settings = TrainSettings(target="passed", models=("linear", "dt"), folds=3, seed=7,
                             params={"dt": {"max_depth": 30, "min_samples_leaf": 1}}, ensemble=False)
    outcome = train_dataset(ws, ds.dataset_id, settings)
    return ws, ds, outcome


def by_model(ws: Workspace, dataset_id: str) -> dict:
    return {r.model: r for r in ws.runs(dataset_id)}


def test_overfitting_is_flagged_when_training_beats_validation_by_a_wide_margin():
    assert core_runs.is_overfit("accuracy", 1.0, 0.7)
    assert not core_runs.is_overfit("accuracy", 0.86, 0.80)
    assert core_runs.is_overfit("rmse", 2.0, 5.0)
    assert not core_runs.is_overfit("rmse", 4.0, 5.0)
    assert core_runs.is_overfit("mse", 4.0, 25.0) and not core_runs.is_overfit("mse", 4.0, 8.0)
    assert not core_runs.is_overfit("roc_auc", None, 0.9)
    assert not core_runs.is_overfit("roc_auc", float("nan"), 0.9)


def test_leaderboard_has_each_run_once_with_its_fold_mean_spread_and_the_overfit_flag(trained):
    ws, ds, _ = trained
    runs = ws.runs(ds.dataset_id)
    table = core_runs.leaderboard(runs, "accuracy")
    assert sorted(table["model"]) == ["dt", "dummy", "linear"]
    rows = table.set_index("model")
    for run in runs:
        folds = core_runs.fold_values(ws.fold_metrics(run.run_id), "accuracy")
        assert len(folds) == 3
        assert rows.loc[run.model, "valid"] == pytest.approx(np.mean(folds))
        assert rows.loc[run.model, "std"] == pytest.approx(np.std(folds))
    assert rows.loc["dt", "train"] == pytest.approx(1.0)
    assert bool(rows.loc["dt", "overfit"]) and not bool(rows.loc["linear", "overfit"])
    assert rows.loc["linear", "settings"]["validation"] == "kfold"
    assert rows.loc["linear", "settings"]["seed"] == 7
    assert rows.loc["dt", "settings"]["params"] == {"max_depth": 30, "min_samples_leaf": 1}


def test_leaderboard_sorts_best_first_for_scores_and_errors_and_puts_failed_runs_last():
    table = pd.DataFrame({"run_id": ["a", "b", "c"], "valid": [0.7, math.nan, 0.9], "fit_seconds": [3.0, 1.0, 2.0],
                          "created": pd.to_datetime(["2025-01-01", "2025-01-03", "2025-01-02"]),
                          "model": ["rf", "svm", "linear"], "status": ["finished", "failed", "finished"]})
    assert list(core_runs.sort_leaderboard(table, "accuracy")["run_id"]) == ["c", "a", "b"]
    assert list(core_runs.sort_leaderboard(table, "rmse")["run_id"]) == ["a", "c", "b"]
    assert list(core_runs.sort_leaderboard(table, "rmse", "newest")["run_id"]) == ["b", "c", "a"]
    assert list(core_runs.sort_leaderboard(table, "rmse", "fastest")["run_id"]) == ["b", "c", "a"]
    assert list(core_runs.filter_leaderboard(table, models=["rf", "svm"], statuses=["finished"])["run_id"]) == ["a"]
    assert len(core_runs.filter_leaderboard(table)) == 3
    with pytest.raises(UserError):
        core_runs.sort_leaderboard(table, "rmse", "loudest")


def test_comparison_puts_runs_side_by_side_in_the_columns_of_the_issue(trained):
    ws, ds, _ = trained
    runs = by_model(ws, ds.dataset_id)
    table = core_runs.comparison([runs["linear"], runs["dt"]])
    assert list(table["model"]) == ["linear", "dt"]
    assert [c for c in table.columns if c.startswith(("train_", "valid_"))] == [
        "train_accuracy", "valid_accuracy", "valid_precision_macro", "valid_recall_macro", "valid_f1_macro",
        "valid_roc_auc"]
    dt = table.set_index("model").loc["dt"]
    assert dt["valid_roc_auc"] == pytest.approx(runs["dt"].metrics["roc_auc"])
    assert dt["train_accuracy"] == pytest.approx(runs["dt"].settings["train_metrics"]["accuracy"])
    assert dt["fit_seconds"] == pytest.approx(runs["dt"].fit_seconds)


def test_runs_of_different_tasks_cannot_be_compared(trained):
    from dataclasses import replace

    ws, ds, _ = trained
    run = by_model(ws, ds.dataset_id)["linear"]
    with pytest.raises(UserError) as err:
        core_runs.comparison([run, replace(run, task="regression")])
    assert err.value.key == "runs.error.mixed_tasks"


def test_fold_table_has_one_row_per_fold_then_mean_and_spread_matching_the_run(trained):
    ws, ds, _ = trained
    run = by_model(ws, ds.dataset_id)["linear"]
    table = core_runs.fold_table(ws.fold_metrics(run.run_id))
    assert list(table.index) == ["1", "2", "3", "mean", "std"]
    assert list(table.columns[:3]) == ["accuracy", "balanced_accuracy", "precision_macro"]
    assert table.loc["mean", "roc_auc"] == pytest.approx(run.metrics["roc_auc"])
    assert table.loc["std", "roc_auc"] == pytest.approx(run.settings["metrics_std"]["roc_auc"])
    train = core_runs.fold_table(ws.fold_metrics(run.run_id), split="train")
    assert train.loc["mean", "accuracy"] == pytest.approx(run.settings["train_metrics"]["accuracy"])


def test_rerun_settings_repeat_the_run_exactly(trained):
    ws, ds, _ = trained
    run = by_model(ws, ds.dataset_id)["dt"]
    prefill = core_runs.settings_for_rerun(run)
    assert prefill["dataset_id"] == ds.dataset_id and prefill["run_id"] == run.run_id
    settings = TrainSettings.from_dict(prefill)
    assert settings.models == ("dt",) and settings.target == "passed" and settings.seed == 7
    assert settings.params == {"dt": run.settings["params"]} and settings.folds == 3
    again = train_dataset(ws, ds.dataset_id, settings)
    rerun = next(r for r in again.result.results if r.model == "dt")
    assert rerun.metrics["accuracy"] == pytest.approx(run.metrics["accuracy"])
    assert rerun.metrics["roc_auc"] == pytest.approx(run.metrics["roc_auc"])
    for run_id in again.run_ids.values():  # leave the shared workspace as it was
        ws.delete_run(run_id)


def test_a_queued_run_can_be_rerun_with_its_own_models_settings():
    from datetime import datetime

    from storage.workspace import Run

    job = TrainSettings(target="y", models=("rf", "dt"), params={"dt": {"max_depth": 3}, "rf": {"n_estimators": 50}})
    queued = Run("q1", "d1", "ds", 2, "y", "binary", "dt", "queued", None, {}, dict(job.to_dict(), model="dt"),
                 None, None, datetime(2025, 1, 1))
    settings = TrainSettings.from_dict(core_runs.settings_for_rerun(queued))
    assert settings.models == ("dt",) and settings.params == {"dt": {"max_depth": 3}}
    assert core_runs.changed_params(queued) == {"max_depth": 3}


def test_deleting_a_run_removes_its_rows_predictions_and_model_bundle_only(ws, iris_frame):
    ds = ws.save_frame(iris_frame, "iris")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="species", models=("linear",), folds=3))
    doomed, kept = outcome.run_ids["linear"], outcome.run_ids["dummy"]
    ws.set_active_run(ds.dataset_id, doomed)
    assert bundles.bundle_dir("alice", doomed, ws.root).exists()
    assert len(ws.oof_predictions(doomed)) == 150 and len(ws.importance(doomed)) == 4

    ws.delete_run(doomed)

    assert [r.run_id for r in ws.runs(ds.dataset_id)] == [kept]
    assert ws.fold_metrics(doomed).empty and ws.importance(doomed).empty and ws.learning_curve(doomed).empty
    assert ws.oof_predictions(doomed).empty
    assert not bundles.bundle_dir("alice", doomed, ws.root).exists()
    assert not any(p.name.startswith(".deleting") for p in bundles.bundle_dir("alice", kept, ws.root).parent.iterdir())
    assert ws.active_run(ds.dataset_id) is None
    assert len(ws.fold_metrics(kept)) and bundles.bundle_dir("alice", kept, ws.root).exists()
    with pytest.raises(RunNotFound):
        ws.delete_run(doomed)
    with pytest.raises(RunNotFound):
        ws.run(doomed)


def test_a_run_still_training_cannot_be_deleted(trained):
    from dataclasses import replace

    ws, ds, _ = trained
    run = replace(by_model(ws, ds.dataset_id)["linear"], status="running")
    with pytest.raises(UserError) as err:
        core_runs.check_deletable(run)
    assert err.value.key == "runs.error.still_running"
    core_runs.check_deletable(replace(run, status="failed"))


def test_fold_metrics_of_many_runs_come_in_one_frame(trained):
    ws, ds, outcome = trained
    ids = list(outcome.run_ids.values())
    frame = ws.fold_metrics_of(ids[:2])
    assert set(frame["run_id"]) == set(ids[:2])
    assert len(frame) == len(ws.fold_metrics(ids[0])) + len(ws.fold_metrics(ids[1]))
    assert ws.fold_metrics_of([]).empty


def run_cli(capsys, root, *args) -> tuple[int, dict | None, str]:
    code = cli.main(["--data-dir", str(root), "--user", "alice", "--json", *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


def test_cli_runs_lists_status_fold_metrics_and_timings(trained, capsys):
    ws, ds, outcome = trained
    code, result, err = run_cli(capsys, ws.root, "runs", "--dataset", "noisy")
    assert code == 0 and err == ""
    listed = {r["model"]: r for r in result["runs"]}
    assert set(listed) == {"dummy", "linear", "dt"}
    dt = listed["dt"]
    assert dt["status"] == "finished" and dt["run_id"] == outcome.run_ids["dt"]
    assert len(dt["fold_metrics"]["accuracy"]["valid"]) == 3
    assert np.mean(dt["fold_metrics"]["accuracy"]["valid"]) == pytest.approx(dt["metrics"]["accuracy"])
    assert dt["fold_metrics"]["accuracy"]["train"] == [1.0, 1.0, 1.0]
    assert dt["timings"]["fit_seconds"] > 0 and dt["timings"]["created"].startswith(str(dt["created"])[:10])
    assert dt["metrics_std"]["accuracy"] == pytest.approx(np.std(dt["fold_metrics"]["accuracy"]["valid"]))


def test_cli_report_writes_the_html_file_and_explains_an_unknown_run(trained, capsys, tmp_path):
    ws, ds, outcome = trained
    out = tmp_path / "reports" / "dt.html"
    code, result, err = run_cli(capsys, ws.root, "report", outcome.run_ids["dt"], "--out", str(out), "--lang", "ko")
    assert code == 0 and result["out"] == str(out) and result["bytes"] == out.stat().st_size
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html><html lang='ko'>") and "AnyML 실행 보고서: 의사결정나무" in page
    code, result, err = run_cli(capsys, ws.root, "report", "nosuchrun", "--out", str(tmp_path / "x.html"))
    assert code == 2 and result is None
    assert err.strip() == "error: There is no run 'nosuchrun'. List your runs to find its id."
    assert not (tmp_path / "x.html").exists()
