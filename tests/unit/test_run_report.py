"""A run's HTML report: one file that opens offline and holds everything the run's page shows."""
from __future__ import annotations

import json
import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from core.train import TrainSettings, train_dataset

from core.runs import charts as run_charts

from core.runs import report as run_report
from core.runs import records as core_runs
from core.versions import library_versions
from storage.workspace import Workspace
from texts import STRINGS


def text_in(lang: str):
    def text(key: str, **values) -> str:
        value = STRINGS[key][lang]
        return value.format(**values) if values else value

    return text


ENGLISH, KOREAN = text_in("en"), text_in("ko")


@pytest.fixture(scope="module")
def trained(tmp_path_factory, ):
    """An iris classifier and a regression whose column and dataset names hold HTML."""
    from sklearn.datasets import load_iris

    root = tmp_path_factory.mktemp("report-data")
    ws = Workspace("alice", root)
    bunch = load_iris(as_frame=True)
    iris = bunch.frame.rename(columns={"target": "species"})
    iris["species"] = np.asarray(bunch.target_names)[bunch.target]
    iris_ds = ws.save_frame(iris, "iris")
    classifier = train_dataset(ws, iris_ds.dataset_id, TrainSettings(target="species", models=("linear",),
                                                                            folds=3))
    rng = np.random.default_rng(0)
    hours = rng.uniform(0, 10, 120)
    scores = pd.DataFrame({"<b>hours</b>": hours, "noise": rng.normal(size=120),
                           "score": 50 + 4 * hours + rng.normal(0, 3, 120)})
    reg_ds = ws.save_frame(scores, "<script>alert(1)</script>")
    regression = train_dataset(ws, reg_ds.dataset_id, TrainSettings(target="score", models=("linear",),
                                                                           folds=3))
    return ws, classifier.run_ids["linear"], regression.run_ids["linear"]


def in_chart(page: str, words: str) -> bool:
    """Whether ``words`` are on the page or in a chart (whose titles are JSON, non-ASCII escaped)."""
    return words in page or json.dumps(words)[1:-1] in page


def report_of(ws: Workspace, run_id: str, text=ENGLISH, lang: str = "en", **kwargs) -> str:
    return run_report.build_report(core_runs.load_details(ws, run_id), text, lang, **kwargs)


def test_the_report_is_one_offline_file_with_plotly_inlined_once(trained):
    ws, run_id, _ = trained
    page = report_of(ws, run_id)
    assert page.startswith("<!DOCTYPE html><html lang='en'>") and page.endswith("</html>")
    assert page.count("plotly.js v") == 1, "Plotly's JavaScript should be inlined exactly once"
    assert not re.search(r"<script[^>]+src=", page), "no script may come from the network"
    figures = run_charts.run_figures(core_runs.load_details(ws, run_id), ENGLISH)
    assert page.count("Plotly.newPlot(") == len(figures) == 7


def test_the_report_holds_scores_folds_charts_importance_settings_and_versions(trained):
    ws, run_id, _ = trained
    run = ws.run(run_id)
    page = report_of(ws, run_id)
    assert f"AnyML run report: Linear model (logistic / ridge regression) ({run_id})" in page
    f1 = run.metrics["f1_macro"]
    assert f"Balance of found and right (F1): {f1:.4g} ± " in page and "over 3 validation fold(s)." in page
    for heading in ("Scores", "Validation score of each fold", "Training score of each fold",
                    "Where the model is right and wrong", "Feature importance", "Every feature&#x27;s importance",
                    "Settings", "Preprocessing", "Hyperparameters (★ changed from the default)", "Data",
                    "Library versions"):
        assert f">{heading}</h" in page, heading
    assert page.count("<th>Fold ") == 6  # three folds in the validation and the training table
    for title in ("Confusion matrix (rows)", "ROC curve", "Precision-recall curve", "Calibration",
                  "Permutation importance (top 4)"):
        assert in_chart(page, title), title
    for feature in ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"):
        assert f"<td>{feature}</td>" in page
    assert "<th>Random seed</th><td>42</td>" in page
    assert "<th>Validation</th><td>3-fold cross-validation</td>" in page
    assert f"<th>scikit-learn</th><td>{library_versions()['scikit-learn']}</td>" in page
    assert "<th>Dataset</th><td>iris</td>" in page and "<th>Rows validated</th><td>150</td>" in page


def test_the_report_reads_in_korean(trained):
    ws, run_id, _ = trained
    page = report_of(ws, run_id, KOREAN, "ko")
    assert page.startswith("<!DOCTYPE html><html lang='ko'>")
    assert "AnyML 실행 보고서: 선형 모델 (로지스틱 / 릿지 회귀)" in page
    assert ">점수</h2>" in page and ">폴드별 검증 점수</h3>" in page and in_chart(page, "혼동 행렬 (행 수)")
    assert ">Scores</h2>" not in page and "Confusion matrix" not in page


def test_the_report_says_when_the_data_changed_and_when_the_run_is_active(trained):
    ws, run_id, _ = trained
    page = report_of(ws, run_id, current_version=3, active=True)
    assert "<th>Dataset version</th><td>1 (the dataset is now at version 3)</td>" in page
    assert "★ The active model of its dataset" in page
    assert "now at version" not in report_of(ws, run_id, current_version=1)


def test_a_regression_report_shows_residuals_and_escapes_names(trained):
    ws, _, run_id = trained
    page = report_of(ws, run_id)
    assert in_chart(page, "Predicted vs actual") and in_chart(page, "Residuals (actual − predicted)")
    assert "Confusion matrix" not in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>hours</b>" not in page and "&lt;b&gt;hours&lt;/b&gt;" in page


def test_a_failed_run_still_gets_a_report_that_says_why(trained):
    ws, run_id, _ = trained
    base = ws.run(run_id)
    ds = ws.dataset(base.dataset_id)
    ws.add_run(run_id="failed000001", dataset=ds, target="species", task="multiclass", model="svm", status="failed",
               metric="f1_macro", metrics={}, settings={"seed": 1, "validation": "kfold", "folds": 5},
               fit_seconds=0.5, error="MemoryError: too many rows")
    page = report_of(ws, "failed000001")
    assert "This run did not finish: MemoryError: too many rows" in page
    assert "Plotly.newPlot(" not in page and "Failed" in page


def test_score_table_flags_overfitting_per_metric():
    from storage.workspace import Run

    run = Run("r1", "d1", "ds", 1, "y", "binary", "dt", "finished", "accuracy",
              {"accuracy": 0.70, "roc_auc": 0.80},
              {"train_metrics": {"accuracy": 1.0, "roc_auc": 0.84}, "metrics_std": {"accuracy": 0.02}}, 1.0, None,
              datetime(2025, 1, 1))
    table = run_report.score_table(run, ENGLISH).set_index("Metric")
    assert table.loc["Share right (accuracy)", "Over-fitting"] == "over-fitting"
    assert table.loc["Telling classes apart (AUC)", "Over-fitting"] == ""
    assert table.loc["Share right (accuracy)", "± spread over folds"] == pytest.approx(0.02)
