"""The HTML reports and every chart of a run, read in Korean: no English word of ours, settings and
hyperparameters in words, yes/no classes as 예/아니오, and the run report opening with the result sentence."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core import explore
from core.explore import report as explore_report
from core.runs import charts as run_charts
from core.runs import records as core_runs
from core.runs import report as run_report
from core.runs.learning import learning_curve_figure
from core.runs.summary import sentence_of
from core.runs.words import choice_words, class_words, param_label, value_words
from core.train import TrainSettings, train_dataset
from core.train.progress_charts import live_curve_figure
from storage.workspace import Workspace
from tests.helpers.english import LIBRARIES, english_words, figure_texts, html_texts
from texts import text_for

KO, EN = text_for("ko"), text_for("en")


def passes(n: int = 160, seed: int = 0) -> pd.DataFrame:
    """Study hours, class, absences and a date; passed (yes/no) and the final mark to predict."""
    rng = np.random.default_rng(seed)
    hours = rng.uniform(0, 20, n).round(1)
    frame = pd.DataFrame({"공부시간": hours, "반": rng.choice(["가반", "나반"], n),
                          "결석": rng.integers(0, 5, n).astype(float),
                          "시험일": pd.date_range("2024-03-01", periods=n, freq="D"),
                          "합격": hours + rng.normal(0, 3, n) > 10, "최종성적": (40 + 2.5 * hours).round(1)})
    frame.loc[[3, 7], "결석"] = np.nan
    return frame


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    ws = Workspace("hangul", tmp_path_factory.mktemp("korean-reports"))
    ds = ws.save_frame(passes(), "성적표")
    yes_no = train_dataset(ws, ds.dataset_id, TrainSettings(target="합격", models=("linear", "lgbm"), folds=2,
                                                            features=("공부시간", "반", "결석"),
                                                            params={"lgbm": {"n_estimators": 60}}))
    numbers = train_dataset(ws, ds.dataset_id, TrainSettings(target="최종성적", models=("linear",), folds=2,
                                                             features=("공부시간", "반", "결석"), importance=False))
    return ws, ds, yes_no.run_ids, numbers.run_ids


def ours(texts, ws: Workspace, run_ids=()) -> list[tuple[str, str]]:
    """English words of ours among ``texts``: not the user's data, a run id or a library's name."""
    data = passes()
    allowed = {str(c) for c in data.columns} | set(LIBRARIES) | {"hangul"}
    return [(w, where) for w, where in english_words(texts, allowed)
            if not any(w.lower() in r for r in run_ids)]


def test_the_korean_run_report_is_korean_and_opens_with_the_result_sentence(trained):
    ws, _, yes_no, numbers = trained
    for run_id in (yes_no["lgbm"], yes_no["linear"], numbers["linear"]):
        run = ws.run(run_id)
        sentence = sentence_of(ws, run, "ko")
        page = run_report.build_report(core_runs.load_details(ws, run_id), KO, "ko", sentence=sentence)
        assert ours(html_texts(page), ws, [run_id]) == [], run.model
        texts = html_texts(page)
        assert sentence.startswith("가장 좋은 모델은") and sentence in texts
        # The sentence comes right after the title and its line, before the scores.
        assert texts.index(sentence) < texts.index(KO("runs.section.scores"))
    # What the English report says in Korean words above is English there, and the sentence too.
    page = run_report.build_report(core_runs.load_details(ws, yes_no["lgbm"]), EN, "en",
                                   sentence=sentence_of(ws, ws.run(yes_no["lgbm"]), "en"))
    assert "The best model is LightGBM." in page and "Trees" in page and "예" not in "".join(html_texts(page))


def test_the_korean_profile_report_is_korean_with_date_parts_in_words(trained):
    ws, ds, _, _ = trained
    found = explore.profile_dataset(ws, ds.dataset_id)
    for target in ("최종성적", "반", "합격"):
        analysis = explore.analyse_target(ws, ds.dataset_id, found, target)
        relations = [explore.relation(ws, ds.dataset_id, found, analysis, t.feature) for t in analysis.tests[:4]]
        page = explore_report.build_report(found, analysis, KO, relations, "ko")
        texts = html_texts(page)
        assert ours(texts, ws) == [], target
        assert any("시험일 (월)" in t for t in texts) and not any("(month)" in t for t in texts)


def test_settings_and_hyperparameters_are_shown_in_words(trained):
    ws, _, yes_no, _ = trained
    run = ws.run(yes_no["lgbm"])
    params = dict(run_report.param_rows(run, KO))
    assert params["★ 트리 수"] == "60" and params["학습률"] == "0.05" and params["트리당 잎 수"] == "31"
    pre = dict(run_report.preprocessing_rows(run, KO))
    assert pre["빈 숫자 채우기"] == "중앙값" and pre["결측 표시 열 추가"] == "아니오"
    assert pre["클래스 불균형 처리"] == "그대로 두기" and pre["스케일링"] == "자동 (필요한 모델만)"
    settings = dict(run_report.settings_rows(run, KO, "ko"))
    assert settings["모델"] == "LightGBM" and settings["순열 중요도 계산"] == "예"
    assert "트리 수 60" in run_report.key_settings_text(core_runs.key_settings(run), KO)
    assert param_label("max_depth", KO) == "나무 최대 깊이" and param_label("max_depth", EN) == "Tree depth, at most"
    assert value_words(None, KO, "max_depth") == "제한 없음" and value_words(None, KO) == "없음"
    assert [value_words(v, KO) for v in (True, False, 1e-05, 1000, 0.5)] == ["예", "아니오", "0.00001", "1,000", "0.5"]
    assert [choice_words(v, KO) for v in ("uniform", "distance", "rbf", "linear", "balanced")] == [
        "모든 이웃을 똑같이", "가까운 이웃일수록 크게", "곡선 경계 (RBF)", "직선 경계", "드문 클래스에 가중치"]
    assert choice_words("distance", EN) == "nearer neighbours count more"
    assert [class_words(v, KO) for v in (True, False, np.bool_(True), "가반", 3)] == ["예", "아니오", "예", "가반", 3]


def test_classification_charts_speak_korean_with_the_users_yes_no(trained):
    ws, _, yes_no, _ = trained
    details = core_runs.load_details(ws, yes_no["lgbm"])
    figures = run_charts.run_figures(details, KO)
    assert {"confusion_counts", "roc", "pr", "calibration", "learning_curve", "importance_model"} <= set(figures)
    confusion = figures["confusion_counts"]
    assert confusion.layout.xaxis.title.text == "예측" and confusion.layout.yaxis.title.text == "실제"
    assert list(confusion.data[0].x) == ["아니오", "예"] == list(confusion.data[0].y)
    roc = figures["roc"]
    assert roc.layout.xaxis.title.text == KO("runs.chart.fpr") and roc.layout.title.text == KO("runs.chart.roc")
    assert [trace.name.split(" (")[0] for trace in roc.data] == [KO("runs.chart.chance"), "예"]
    curve = figures["learning_curve"]
    assert curve.layout.yaxis.title.text == "확률 오차 (로그 손실, 낮을수록 좋음)"
    assert [trace.name for trace in curve.data] == ["학습", "검증"]
    for name, figure in figures.items():
        assert ours(figure_texts(json.loads(figure.to_json())), ws, [details.run.run_id]) == [], name


def test_calibration_before_and_after_and_curves_are_named_in_words():
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 2, 300)
    oof = pd.DataFrame({"y_true": truth, "y_pred": truth, "proba_1": np.clip(truth * 0.6 + rng.uniform(0, 0.4, 300),
                                                                             0, 1)})
    oof["proba_0"] = 1 - oof["proba_1"]
    curves = run_charts.calibration_curves(oof, ["아니오", "예"])
    tagged = [run_charts.Curve(f"{c.label} · {KO('runs.calibration.before')}", c.x, c.y, c.score) for c in curves]
    figure = run_charts.calibration_figure(tagged, KO)
    assert figure.data[1].name.startswith("예 · 조정 전") and figure.layout.yaxis.title.text == KO("runs.chart.observed")
    for recorded, words in (("l2", "제곱 오차 (낮을수록 좋음)"), ("multi_logloss", "확률 오차 (로그 손실, 낮을수록 좋음)"),
                            ("binary_logloss", "확률 오차 (로그 손실, 낮을수록 좋음)")):
        steps = pd.DataFrame({"step": [0, 1, 0, 1], "split": ["train", "train", "valid", "valid"],
                              "value": [0.5, 0.4, 0.6, 0.5], "metric": recorded})
        assert learning_curve_figure(steps, KO).layout.yaxis.title.text == words


def test_the_live_training_curve_names_its_measure_in_words():
    points = [{"model": "lgbm", "fold": 1, "step": s, "train": 0.5 - s / 100, "valid": 0.6 - s / 100,
               "metric": "binary_logloss"} for s in range(5)]
    labels = {"train": "학습", "valid": "검증", "step": "라운드", "measure": KO("runs.curve.logloss")}
    figure = live_curve_figure(points, "lgbm", labels)
    assert figure.layout.yaxis.title.text == KO("runs.curve.logloss")
    assert {trace.name for trace in figure.data} == {"학습 · 1", "검증 · 1"}
    assert live_curve_figure(points, "lgbm").layout.yaxis.title.text == "binary_logloss"
