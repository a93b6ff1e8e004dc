"""AppTest tests of the result in words: the card on Train and on a run's page, its button to Predict, metric
names in words with their direction, the ★ column, the guided path on Home, and signing in on registering."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.train import TrainSettings, train_dataset
from storage.users import UserStore
from storage.workspace import Workspace
from tests.app.apptest import app, browser_session, no_errors, wait_for_training
from tests.helpers.markdown import unescaped


def scores_frame(n: int = 150) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    hours = rng.uniform(0, 10, n)
    return pd.DataFrame({"학년": rng.integers(1, 4, n), "출석률": rng.uniform(70, 100, n).round(1), "hours": hours,
                         "최종성적": (40 + 5 * hours + rng.normal(0, 4, n)).round(0)})


@pytest.fixture
def regression_runs(data_dir):
    ws = Workspace("alice")
    ds = ws.save_frame(scores_frame(), "성적")
    ids = train_dataset(ws, ds.dataset_id, TrainSettings(target="최종성적", models=("linear",), folds=2)).run_ids
    return ws, ds, ids


def test_training_ends_with_one_sentence_and_a_button_to_predict_with_the_best_model(data_dir):
    Workspace("alice").save_frame(scores_frame(), "성적")
    at = app(lang="ko")
    at.switch_page("pages/train.py").run()
    at.selectbox(key="train.target").set_value("최종성적").run()
    at.multiselect(key="train.models").set_value(["linear"])
    at.number_input(key="train.folds").set_value(2)
    at.button(key="train.start").click().run()
    wait_for_training(at)
    no_errors(at)
    sentence = next(unescaped(m.value) for m in at.markdown if m.value.startswith("가장 좋은 모델은"))
    assert "가장 좋은 모델은 선형 모델 (로지스틱 / 릿지 회귀)입니다." in sentence
    assert "최종성적 예측값은 실제와 평균 " in sentence and "만큼 차이 납니다." in sentence
    assert "아무것도 배우지 않은 기준(항상 평균값)보다 오차가" in sentence and "가장 중요한 열: hours" in sentence
    numbers = next(e for e in at.expander if e.label == "모든 점수 숫자로 보기")  # the numbers one click away
    assert list(numbers.dataframe[0].value.columns[:2]) == ["모델", "평균 오차 (RMSE)"]
    best = next(r for r in Workspace("alice").runs() if r.model == "linear")
    at.button(key="train.card").click().run()
    no_errors(at)
    assert at.title[0].value != "학습"
    assert at.selectbox(key="predict.run").value == best.run_id


def test_the_runs_page_says_which_way_is_better_and_stars_the_best_run(regression_runs):
    ws, ds, ids = regression_runs
    at = app(lang="ko")
    at.switch_page("pages/runs.py").run()
    no_errors(at)
    board = at.dataframe[0].value
    assert list(board.columns[:3]) == ["active", "valid", "model"]  # the ranking metric first after ★
    assert board.set_index("run_id")["active"].to_dict() == {ids["linear"]: "★", ids["dummy"]: ""}
    assert "기준 모델 (항상 평균값)" in board["model"].tolist()  # not "the most common answer" for numbers
    sort = at.selectbox(key="runs.sort")
    assert sort.options[0] == "좋은 순 (낮을수록 좋음)"
    captions = " ".join(c.value for c in at.caption)
    assert "평균 오차 (RMSE) 기준 순위: 낮을수록 좋음." in captions
    assert "높을수록" not in captions and "점수 높은 순" not in sort.options


def test_a_classification_run_says_higher_is_better(data_dir):
    ws = Workspace("alice")
    frame = scores_frame()
    frame["합격"] = np.where(frame["최종성적"] > 65, "예", "아니오")
    ds = ws.save_frame(frame.drop(columns=["최종성적"]), "합격")
    train_dataset(ws, ds.dataset_id, TrainSettings(target="합격", models=("linear",), folds=2))
    at = app(lang="ko")
    at.switch_page("pages/runs.py").run()
    assert at.selectbox(key="runs.sort").options[0] == "좋은 순 (높을수록 좋음)"
    assert "기준 모델 (항상 가장 흔한 답)" in at.dataframe[0].value["model"].tolist()


def test_a_runs_page_opens_with_its_result_card(regression_runs):
    ws, ds, ids = regression_runs
    at = app()
    at.session_state["runs.open"] = ids["linear"]
    at.switch_page("pages/runs.py").run()
    no_errors(at)
    sentence = next(unescaped(m.value) for m in at.markdown if m.value.startswith("The best model is"))
    assert "Its predictions of 최종성적 are off by " in sentence and "less error than the baseline" in sentence
    assert at.button(key="runs.card").label == "Predict with this model"


def test_home_shows_the_three_steps_with_the_done_and_the_next(regression_runs):
    at = app(lang="ko")
    at.run()
    no_errors(at)
    links = [link.label for link in at.get("page_link")]
    assert links == ["1. 표 올리기 · ✓ 완료", "2. 모델 학습하기 · ✓ 완료", "**3. 새 행 예측하기** · 다음 단계"]


def test_home_for_a_new_user_points_to_the_data_step(data_dir):
    at = app(lang="ko")
    at.run()
    links = [link.label for link in at.get("page_link")]
    assert links == ["**1. 표 올리기** · 다음 단계", "2. 모델 학습하기", "3. 새 행 예측하기"]


def test_registering_signs_the_new_user_in(data_dir, fast_bcrypt):
    at = browser_session("ko")
    at.run()
    values = {"first": "민수", "last": "김", "email": "minsu@example.com", "username": "minsu",
              "password": "Maple#Kite42", "repeat": "Maple#Kite42"}
    for field, value in values.items():
        at.text_input(key=f"auth.register.{field}").input(value)
    at.button(key="auth.register.submit").click().run()
    no_errors(at)
    assert at.session_state["authentication_status"] and at.session_state["username"] == "minsu"
    assert at.title[0].value == "김민수 님, 환영합니다"
    assert [a for _, _, a, _ in UserStore().audit("minsu")] == ["register"]
