"""AppTest tests of the Train form: the target asked for (likely first), choices kept per dataset and across
pages, unpredictable targets refused before training, short dismissible job errors, no Streamlit warning."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.elements.lib import policies

from core.train import TrainSettings
from core.train.jobs import Job, JobRunner
from storage.workspace import Workspace
from tests.app.apptest import app, no_errors, wait_for_training
from texts import STRINGS
from ui.jobs import runner


def school(rows: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "student_no": [f"S{i:04d}" for i in range(rows)],
        "class_no": rng.integers(1, 4, rows),
        "hours": rng.uniform(0, 10, rows).round(1),
        "same": ["x"] * rows,
        "passed": rng.choice(["예", "아니오"], rows),
        "score": rng.normal(70, 10, rows).round(0),
    })


def open_train(at, check: bool = True):
    at.switch_page("pages/train.py").run()
    if check:
        no_errors(at)
    return at


def choose_target(at, column: str, check: bool = True):
    at.selectbox(key="train.target").set_value(column).run()
    if check:
        no_errors(at)
    assert not at.exception
    return at


def features(at) -> list[str]:
    return list(at.multiselect(key="train.features").value)


def test_the_target_is_asked_for_with_the_likely_columns_first():
    Workspace("alice").save_frame(school(), "school")
    at = open_train(app(lang="ko"))
    target = at.selectbox(key="train.target")
    assert target.value is None
    assert target.proto.placeholder == "예측할 열을 고르세요"
    assert target.options[:3] == ["passed", "score", "hours"]  # an outcome name, then from the last column
    assert set(target.options[-2:]) == {"student_no", "same"}  # identifier and constant last
    assert not at.multiselect  # the rest of the form waits for the target
    assert any("먼저 예측하려는 열을 고르세요" in i.value for i in at.info)


def test_a_new_target_gets_every_other_column_and_the_previous_target_back():
    Workspace("alice").save_frame(school(), "school")
    at = choose_target(open_train(app()), "score")
    assert features(at) == ["student_no", "class_no", "hours", "same", "passed"]
    at.multiselect(key="train.features").unselect("hours").run()
    choose_target(at, "passed")
    assert features(at) == ["student_no", "class_no", "same", "score"]  # score is back, hours stays out
    assert at.selectbox(key="train.target").value == "passed"
    # No "Choose an option" anywhere: every other select box shows an option (train.metric's value None is
    # its first option, "the usual metric", put in through session state).
    for box in [b for b in at.selectbox if b.key not in ("train.target", "train.metric")]:
        assert box.proto.HasField("default") and box.proto.placeholder != "Choose an option", box.key
    assert at.selectbox(key="train.metric").value is None


def test_switching_dataset_resets_features_and_task():
    ws = Workspace("alice")
    first = ws.save_frame(school(), "school")
    second = ws.save_frame(pd.DataFrame({"p": range(30), "q": [1.5, 2.5, 3.5] * 10, "z": [0, 1] * 15}), "other")
    at = open_train(app())
    at.selectbox(key="train.dataset").set_value(first.dataset_id).run()
    choose_target(at, "score")
    at.selectbox(key="train.task").set_value("multiclass").run()
    at.multiselect(key="train.features").unselect("hours").run()
    at.selectbox(key="train.dataset").set_value(second.dataset_id).run()
    no_errors(at)
    assert at.selectbox(key="train.target").value is None
    choose_target(at, "z")
    assert features(at) == ["p", "q"]
    assert at.selectbox(key="train.task").value is None  # automatic again, for the new target's values
    assert "Two classes" in at.selectbox(key="train.task").options[0]


@pytest.mark.parametrize("values", [[0, 1], [True, False], ["예", "아니오"], ["합격", "불합격"]])
def test_a_yes_no_target_is_guessed_as_two_classes(values):
    frame = school()
    frame["answer"] = [values[i % 2] for i in range(len(frame))]
    Workspace("alice").save_frame(frame, "school")
    at = choose_target(open_train(app()), "class_no")
    assert "Several classes" in at.selectbox(key="train.task").options[0]
    choose_target(at, "answer")
    assert at.selectbox(key="train.task").options[0] == "Detect automatically (Two classes (yes/no))"


def test_leaving_the_page_and_coming_back_keeps_the_target_and_features():
    Workspace("alice").save_frame(school(), "school")
    at = choose_target(open_train(app()), "passed")
    at.multiselect(key="train.features").unselect("hours").run()
    at.switch_page("pages/home.py").run()
    open_train(at)
    assert at.selectbox(key="train.target").value == "passed"
    assert features(at) == ["student_no", "class_no", "same", "score"]


@pytest.mark.parametrize("column, sentence", [
    ("student_no", "has a different value in every row"),
    ("same", "has the same value in every row"),
])
def test_an_unpredictable_target_is_refused_before_any_job_is_queued(column, sentence):
    ds = Workspace("alice").save_frame(school(), "school")
    at = choose_target(open_train(app()), column, check=False)
    assert len(at.error) == 1 and sentence in at.error[0].value
    assert at.button(key="train.start").disabled
    assert [j for j in runner().jobs("alice") if j.dataset_id == ds.dataset_id] == []  # one runner per process
    assert Workspace("alice").runs() == []


def test_free_text_is_refused_in_korean_too():
    frame = school(80)
    frame["memo"] = [f"학생 {i}번은 이번 학기에 수업 태도가 매우 좋았고 과제를 빠짐없이 냈습니다" for i in range(len(frame))]
    Workspace("alice").save_frame(frame, "school")
    at = choose_target(open_train(app(lang="ko")), "memo", check=False)
    assert at.error[0].value == STRINGS["train.target_bad.text"]["ko"].format(column="memo")


def test_prefilled_settings_raise_no_streamlit_warning(monkeypatch):
    """Widgets get their value from session state or a default, never both."""
    warned = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda msg, *args, **kw: warned.append(msg % args))
    ds = Workspace("alice").save_frame(school(), "school")
    at = app()
    settings = TrainSettings(target="score", models=("linear", "rf"), features=("class_no", "hours"), folds=3,
                             seed=7, params={"rf": {"n_estimators": 50}}).to_dict()
    at.session_state["train.prefill"] = {**settings, "dataset_id": ds.dataset_id, "run_id": "abc123"}
    open_train(at)
    assert at.selectbox(key="train.target").value == "score"
    assert features(at) == ["class_no", "hours"]
    assert at.multiselect(key="train.models").value == ["linear", "rf"]
    assert at.number_input(key="train.folds").value == 3
    choose_target(at, "passed")
    assert features(at) == ["class_no", "hours", "score"]
    assert warned == []


def failed_job(error: str) -> Job:
    return Job(job_id="job1", username="alice", dataset_id="d", dataset_name="titanic", target="name",
               models=("linear",), run_ids={}, state="failed", error=error)


def test_a_long_job_error_is_cut_to_200_characters_with_details_and_a_dismiss_button(monkeypatch):
    error = "Could not train: " + ", ".join(f"Passenger number {i}" for i in range(2000))
    assert len(error) > 35_000
    monkeypatch.setattr(JobRunner, "jobs", lambda self, username: [failed_job(error)])
    Workspace("alice").save_frame(school(), "school")
    at = open_train(app(), check=False)
    assert not at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and len(shown[0]) <= 200 and shown[0].endswith("…")
    assert any(x.label == "Full message" for x in at.expander)
    at.button(key="train.dismiss.job1").click().run()
    no_errors(at)
    assert not at.error


def test_categories_read_as_codes_when_the_user_turns_native_categories_off():
    Workspace("alice").save_frame(school(60), "school")
    at = open_train(app(lang="ko"))
    choose_target(at, "passed")
    box = at.checkbox(key="train.native_categories")
    assert box.value is True and box.label == "부스팅 나무 모델이 범주를 그대로 읽게 하기"
    box.uncheck().run()
    at.multiselect(key="train.models").set_value(["lgbm"]).run()
    at.button(key="train.start").click().run()
    no_errors(at)
    wait_for_training(at)
    lgbm = next(r for r in Workspace("alice").runs() if r.model == "lgbm")
    assert lgbm.status == "finished" and lgbm.settings["preprocessing"]["native_categories"] is False
