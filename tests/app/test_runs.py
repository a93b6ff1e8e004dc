"""AppTest tests of the Runs page: the leaderboard, comparing runs, one run in detail, and the actions on runs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.train import TrainSettings, train_dataset
from storage.workspace import Workspace
from tests.app.apptest import account, app, no_errors
from tests.helpers import clone, train_once


def noisy_frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    frame = pd.DataFrame({f"noise{i}": rng.normal(size=n) for i in range(4)})
    frame["signal"] = signal
    frame["passed"] = np.where(signal + rng.normal(scale=1.2, size=n) > 0, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Three runs of one comparison, trained once: the baseline, a linear model and an over-fitting tree."""
    def build(ws):
        ds = ws.save_frame(noisy_frame(), "exam")
        settings = TrainSettings(target="passed", models=("linear", "dt"), folds=3, seed=7,
                                 params={"dt": {"max_depth": 30, "min_samples_leaf": 1}}, ensemble=False)
        return ds.dataset_id, train_dataset(ws, ds.dataset_id, settings).run_ids

    root, (dataset_id, ids) = train_once(tmp_path_factory, build)
    return root, dataset_id, ids


@pytest.fixture
def trained(data_dir, template):
    """Each test gets its own copy of the trained workspace, so it may change it."""
    root, dataset_id, ids = template
    clone(root, data_dir)
    ws = Workspace("alice")
    return ws, ws.dataset(dataset_id), ids


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column`` (plain tables have no key to find them by)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def open_runs(at: AppTest) -> AppTest:
    at.switch_page("pages/runs.py").run()
    no_errors(at)
    return at


def test_the_leaderboard_ranks_every_run_and_flags_overfitting(trained):
    ws, ds, ids = trained
    at = open_runs(app())
    assert at.title[0].value == "Runs"
    assert at.selectbox(key="runs.metric").value == "roc_auc"
    board = at.dataframe[0].value
    assert len(board) == 3 and list(board["run_id"]) == [r for r in board["run_id"]]
    assert board["valid"].tolist() == sorted(board["valid"], reverse=True)
    rows = board.set_index("run_id")
    assert rows.loc[ids["dt"], "overfit"] == "⚠ over-fitting"
    assert rows.loc[ids["linear"], "overfit"] == ""
    assert rows.loc[ids["dt"], "train"] == pytest.approx(1.0)
    assert rows.loc[ids["dt"], "settings"] == \
        "3-fold cross-validation · seed 7 · Tree depth, at most 30 · Rows per leaf, at least 1"
    assert rows.loc[ids["dummy"], "model"] == "Baseline (always the most common answer)"

    at.selectbox(key="runs.sort").set_value("fastest").run()
    at.multiselect(key="runs.models").set_value(["dt", "linear"]).run()
    no_errors(at)
    board = at.dataframe[0].value
    assert set(board["run_id"]) == {ids["dt"], ids["linear"]}
    assert board["seconds"].tolist() == sorted(board["seconds"])


def test_two_runs_side_by_side_as_a_table_and_overlaid_charts(trained):
    ws, ds, ids = trained
    at = open_runs(app())
    assert at.segmented_control(key="runs.view").value == "compare"
    at.multiselect(key="runs.compare").set_value([ids["linear"], ids["dt"]]).run()
    no_errors(at)
    table = table_with(at, "Valid AUC")
    assert list(table.columns) == ["Model", "Train acc", "Valid acc", "Valid precision", "Valid recall", "Valid F1",
                                   "Valid AUC", "Training time (s)"]
    assert table["Model"].tolist() == [f"Linear model (logistic / ridge regression) · {ids['linear'][:6]}",
                                       f"Decision tree · {ids['dt'][:6]}"]
    dt = ws.run(ids["dt"])
    assert table["Valid AUC"].iloc[1] == pytest.approx(dt.metrics["roc_auc"])
    assert table["Train acc"].iloc[1] == pytest.approx(1.0)
    charts = {c.proto.id for c in at.get("plotly_chart")}
    assert len(charts) >= 4  # scores, folds, ROC and precision-recall, each with both runs overlaid


def test_one_run_in_detail_can_become_the_active_model(trained):
    ws, ds, ids = trained
    at = open_runs(app())
    at.segmented_control(key="runs.view").set_value("details").run()
    at.selectbox(key="runs.detail").set_value(ids["dt"]).run()
    no_errors(at)
    assert at.subheader[0].value == "Decision tree"
    assert any("over-fitting" in w.value for w in at.warning)
    folds = table_with(at, "Share right per class (balanced accuracy)")
    assert list(folds.index) == ["Fold 1", "Fold 2", "Fold 3", "Mean", "± spread"]
    assert folds.loc["Mean", "Telling classes apart (AUC)"] == pytest.approx(ws.run(ids["dt"]).metrics["roc_auc"])
    assert len(at.get("plotly_chart")) >= 7  # confusion ×2, ROC, PR, calibration, importance ×2
    assert [d.label for d in at.get("download_button")] == ["Download report (HTML)",
                                                             "Download all 5 features' importance (CSV)"]

    at.button(key="runs.make_active").click().run()
    no_errors(at)
    assert ws.active_run(ds.dataset_id) == ids["dt"]
    assert at.success[0].value == "Decision tree is now the active model of this dataset."
    board = at.dataframe[0].value.set_index("run_id")
    assert board.loc[ids["dt"], "active"] == "★" and board.loc[ids["linear"], "active"] == ""
    assert at.button(key="runs.make_active").disabled


def test_rerun_opens_train_with_the_runs_settings(trained):
    ws, ds, ids = trained
    ws.save_frame(pd.DataFrame({"a": [1, 2, 3]}), "later")  # Train must still open on the run's dataset
    at = open_runs(app())
    assert at.info[0].value.startswith("No runs for this dataset yet")
    at.selectbox(key="runs.dataset").set_value(ds.dataset_id).run()
    at.segmented_control(key="runs.view").set_value("details").run()
    at.selectbox(key="runs.detail").set_value(ids["dt"]).run()
    at.button(key="runs.rerun").click().run()
    assert not at.exception
    assert at.title[0].value != "Runs"
    assert any(ids["dt"] in info.value for info in at.info)  # the Train page says where its settings came from
    assert at.session_state["current_dataset"] == ds.dataset_id
    assert at.session_state["train.target"] == "passed" and at.session_state["train.seed"] == 7
    assert at.session_state["train.models"] == ["dt"]
    assert at.session_state["train.param.dt.max_depth"] == 30


def test_runs_are_deleted_only_after_confirmation(trained):
    ws, ds, ids = trained
    at = open_runs(app())
    assert at.button(key="runs.delete_confirm").disabled
    at.multiselect(key="runs.delete_pick").set_value([ids["dummy"], ids["dt"]]).run()
    assert at.button(key="runs.delete_confirm").label == "Yes, delete 2 run(s) for good"
    assert len(ws.runs(ds.dataset_id)) == 3
    at.button(key="runs.delete_confirm").click().run()
    no_errors(at)
    assert [r.run_id for r in ws.runs(ds.dataset_id)] == [ids["linear"]]
    assert at.success[0].value == "Deleted 2 run(s)."
    assert at.dataframe[0].value["run_id"].tolist() == [ids["linear"]]


def test_a_run_asked_for_by_another_page_opens_in_detail(trained):
    ws, ds, ids = trained
    other = ws.save_frame(pd.DataFrame({"a": [1, 2, 3]}), "later")  # the picker would start on this newer dataset
    at = app()
    at.session_state["runs.open"] = ids["linear"]
    open_runs(at)
    assert at.selectbox(key="runs.dataset").value == ds.dataset_id != other.dataset_id
    assert at.segmented_control(key="runs.view").value == "details"
    assert at.selectbox(key="runs.detail").value == ids["linear"]
    assert at.subheader[0].value == "Linear model (logistic / ridge regression)"


def test_regression_runs_compare_by_errors_in_korean(data_dir):
    ws = Workspace("alice")
    rng = np.random.default_rng(1)
    hours = rng.uniform(0, 10, 120)
    ds = ws.save_frame(pd.DataFrame({"hours": hours, "score": 40 + 5 * hours + rng.normal(0, 4, 120)}), "scores")
    ids = train_dataset(ws, ds.dataset_id, TrainSettings(target="score", models=("linear",), folds=3)).run_ids
    at = open_runs(app(lang="ko"))
    assert at.title[0].value == "학습 실행 기록"
    assert at.selectbox(key="runs.metric").value == "rmse"
    assert at.dataframe[0].value["run_id"].tolist() == [ids["linear"], ids["dummy"]]  # lower error first
    table = table_with(at, "검증 RMSE")
    assert list(table.columns) == ["모델", "학습 RMSE", "검증 RMSE", "검증 MAE", "검증 R²", "학습 시간(초)"]


def test_without_runs_the_page_points_to_train(data_dir):
    Workspace("alice").save_frame(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), "fresh")
    at = open_runs(app())
    assert at.info[0].value.startswith("No runs for this dataset yet")
    assert [link.label for link in at.get("page_link")] == ["Go to Train"]


def test_runs_whose_task_is_not_decided_yet_show_and_can_be_deleted(data_dir):
    """A job queued with "detect automatically" and stopped before training decided the task."""
    ws = Workspace("alice")
    ds = ws.save_frame(noisy_frame(40), "exam")
    ws.add_pending_runs({"dummy": "queued1", "dt": "running1", "linear": "failed1"}, dataset=ds, target="passed",
                        task="", settings={"target": "passed", "task": None})
    ws.set_runs_status(["running1"], "running")
    ws.set_runs_status(["failed1"], "failed", "the server restarted before it finished")
    at = open_runs(app())
    assert "passed" in at.caption[0].value and "not decided yet" in at.caption[0].value
    assert set(at.dataframe[0].value["run_id"]) == {"queued1", "running1", "failed1"}
    assert len(at.multiselect(key="runs.delete_pick").options) == 1  # only the failed run: the others still go
    at.segmented_control(key="runs.view").set_value("details").run()
    at.selectbox(key="runs.detail").set_value("failed1").run()
    no_errors(at)
    at.multiselect(key="runs.delete_pick").set_value(["failed1"]).run()
    at.button(key="runs.delete_confirm").click().run()
    no_errors(at)
    assert {r.run_id for r in ws.runs(ds.dataset_id)} == {"queued1", "running1"}


def test_opening_the_app_after_a_restart_marks_left_running_runs_interrupted(data_dir):
    """The first visit after a restart, even to the sign-in page, starts the job runner: runs a dead
    server left running show as interrupted and its job snapshots are gone, without opening Train."""
    from ui.jobs import runner

    account("alice")
    ws = Workspace("alice")
    ds = ws.save_frame(noisy_frame(40), "exam")
    ws.add_pending_runs({"dt": "left1"}, dataset=ds, target="passed", task="binary", settings={})
    ws.set_runs_status(["left1"], "running")
    orphan = data_dir / "users" / "alice" / "jobs" / "deadbeef"
    orphan.mkdir(parents=True)
    (orphan / "snapshot.parquet").write_bytes(b"x" * 1000)
    runner.clear()  # a new server process: no runner yet
    at = app(user=None).run()
    assert not at.exception
    assert ws.run("left1").status == "interrupted"
    assert not orphan.exists()
