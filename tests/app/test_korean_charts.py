"""AppTest: a yes/no training read in Korean — its charts, settings and tables speak Korean, class labels are
예/아니오, hyperparameters and their choices are in words, and a missing value is a blank cell on every table."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.predict import predict_rows
from core.train import TrainSettings, train_dataset
from storage.workspace import Workspace
from tests.app.apptest import app, no_errors
from tests.app.test_korean_everywhere import everything_shown, user_words
from tests.helpers import clone, train_once
from tests.helpers.english import ALLOWED, LIBRARIES, VERBATIM, WORD

USER = "hangul"


def passes(n: int = 140, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = rng.uniform(0, 20, n).round(1)
    frame = pd.DataFrame({"공부시간": hours, "반": rng.choice(["가반", "나반"], n),
                          "결석": rng.integers(0, 5, n).astype(float), "합격": hours + rng.normal(0, 3, n) > 10})
    frame.loc[[2, 5], "결석"] = np.nan
    return frame


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    """A yes/no target trained with a booster (it has a learning curve) and a linear model, and a prediction."""
    def build(ws):
        ds = ws.save_frame(passes(), "합격표")
        outcome = train_dataset(ws, ds.dataset_id, TrainSettings(
            target="합격", models=("linear", "lgbm"), folds=2, ensemble=False,
            params={"lgbm": {"n_estimators": 40}}))
        new = ws.save_frame(passes(8, seed=1).drop(columns="합격"), "새학기")
        predict_rows(ws, outcome.run_ids["lgbm"], dataset=new.dataset_id, lang="ko")
        return ds.dataset_id, outcome.run_ids

    return train_once(tmp_path_factory, build, user=USER)


def korean_app(journey, data_dir, page: str):
    root, (dataset_id, run_ids) = journey
    clone(root, data_dir, user=USER)
    at = app(USER, "ko")
    at.session_state["current_dataset"] = dataset_id
    at.switch_page(f"pages/{page}.py").run()
    no_errors(at)
    return at, Workspace(USER), run_ids


def open_details(at, run_id: str) -> None:
    at.segmented_control(key="runs.view").set_value("details").run()
    at.selectbox(key="runs.detail").set_value(run_id).run()
    no_errors(at)


def leaks(at, ws: Workspace, run_ids: dict) -> list[tuple[str, str]]:
    data = user_words(pd.concat([ws.load(d.dataset_id) for d in ws.datasets()], ignore_index=True))
    allowed = ALLOWED | LIBRARIES | data | {USER, USER.title()}
    return sorted({(kind, text[:140]) for kind, text in everything_shown(at)
                   for word in WORD.findall(VERBATIM.sub(" ", text)) if word not in allowed
                   and not any(word.lower() in r for r in run_ids.values())})


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_a_yes_no_runs_charts_and_settings_are_korean(journey, data_dir):
    at, ws, run_ids = korean_app(journey, data_dir, "runs")
    open_details(at, run_ids["lgbm"])
    assert leaks(at, ws, run_ids) == []
    specs = plotly_specs(at)
    confusion = next(s for s in specs if s["data"] and s["data"][0].get("type") == "heatmap")
    assert confusion["layout"]["xaxis"]["title"]["text"] == "예측"
    assert confusion["layout"]["yaxis"]["title"]["text"] == "실제"
    assert confusion["data"][0]["x"] == ["아니오", "예"]
    titles = [s["layout"].get("yaxis", {}).get("title", {}).get("text") for s in specs]
    assert "확률 오차 (로그 손실, 낮을수록 좋음)" in titles  # the booster's binary_logloss, in words
    settings = {row[0]: row[1] for table in at.dataframe for row in table.value.itertuples(index=False)
                if len(table.value.columns) == 2}
    assert settings["★ 트리 수"] == "40" and settings["학습률"] == "0.05" and settings["빈 숫자 채우기"] == "중앙값"
    assert settings["모델"] == "LightGBM" and settings["결측 표시 열 추가"] == "아니오"


def every_table_shows_missing_blank(at) -> None:
    for table in at.dataframe:
        assert table.proto.HasField("placeholder") and table.proto.placeholder == "", table.proto.id


def test_runs_tables_show_missing_values_blank(journey, data_dir):
    at, _, run_ids = korean_app(journey, data_dir, "runs")
    every_table_shows_missing_blank(at)
    board = next(t for t in at.dataframe if "model" in t.value.columns)
    assert board.value["test"].isna().all() if "test" in board.value else True
    open_details(at, run_ids["linear"])
    every_table_shows_missing_blank(at)


def test_predict_history_and_home_tables_show_missing_values_blank(journey, data_dir):
    at, _, _ = korean_app(journey, data_dir, "predict")
    history = next(t for t in at.dataframe if "예측한 데이터" in t.value.columns)
    assert history.value.iloc[0]["예측한 데이터"] == "새학기"
    every_table_shows_missing_blank(at)
    at.switch_page("pages/home.py").run()
    every_table_shows_missing_blank(at)
    at.switch_page("pages/data.py").run()
    every_table_shows_missing_blank(at)
    preview = next(t.value for t in at.dataframe if "결석" in t.value.columns)
    assert preview["결석"].isna().sum() == 2  # the blanks are kept as missing values, shown as empty cells


def test_hyperparameter_choices_on_the_train_page_are_words(journey, data_dir):
    at, _, _ = korean_app(journey, data_dir, "train")
    at.selectbox(key="train.target").set_value("합격").run()
    at.multiselect(key="train.models").set_value(["knn", "svm", "dt"]).run()
    no_errors(at)
    weights = at.selectbox(key="train.param.knn.weights")
    assert weights.label == "이웃 가중치" and weights.options == ["모든 이웃을 똑같이", "가까운 이웃일수록 크게"]
    assert weights.value == "distance"
    assert at.selectbox(key="train.param.svm.kernel").options == ["곡선 경계 (RBF)", "직선 경계"]
    assert at.number_input(key="train.param.dt.max_depth").label == "나무 최대 깊이"


def test_one_record_of_a_yes_no_model_is_answered_yes_or_no_in_korean(journey, data_dir):
    at, ws, run_ids = korean_app(journey, data_dir, "predict")
    at.selectbox(key="predict.run").set_value(run_ids["lgbm"]).run()
    at.button(key=f"predict.record.{run_ids['lgbm']}.go").click().run()
    no_errors(at)
    assert at.metric[0].value in ("예", "아니오")
    assert leaks(at, ws, run_ids) == []
    chances = at.session_state["predict.record_last"]["probabilities"]  # the bars of the chart
    assert sorted(chances["class"]) == ["아니오", "예"]


def test_explore_says_yes_no_values_and_date_parts_in_korean(journey, data_dir):
    at, ws, run_ids = korean_app(journey, data_dir, "explore")
    at.selectbox(key="explore.target_pick").set_value("합격").run()
    no_errors(at)
    assert leaks(at, ws, run_ids) == []
    categories = [value for spec in plotly_specs(at) for trace in spec["data"] for value in trace.get("x") or []
                  if isinstance(value, str)]
    assert "예" in categories and "true" not in categories
