"""AppTest tests of why a prediction is what it is (one record, CSV columns, the Runs page) and of drift."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.train import TrainSettings, train_dataset
from storage.workspace import Workspace
from tests.app.apptest import app, no_errors
from tests.helpers import clone, train_once
from tests.helpers.markdown import shown_text


def students(n: int = 240, seed: int = 0) -> pd.DataFrame:
    """``hours`` decides whether a student passes; ``subject`` helps a little."""
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(1, 30, n), 1)
    subject = rng.choice(["국어", "수학", "영어"], n)
    return pd.DataFrame({
        "hours": hours,
        "subject": subject,
        "passed": np.where(hours + np.where(subject == "수학", 3, 0) + rng.normal(0, 2, n) > 16, "합격", "불합격"),
    })


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    def build(ws):
        ws.save_frame(students(), "students")
        return train_dataset(ws, "students", TrainSettings(target="passed", models=("linear",), folds=2,
                                                           importance=False)).run_ids

    return train_once(tmp_path_factory, build)


@pytest.fixture
def runs(trained, data_dir) -> dict[str, str]:
    root, run_ids = trained
    clone(root, data_dir)
    return run_ids


def upload_and_predict(at, rows: pd.DataFrame, reasons: bool = False):
    at.file_uploader[0].upload("new.csv", rows.to_csv(index=False).encode("utf-8"), "text/csv")
    at.run()
    if reasons:
        at.checkbox(key="predict.add_reasons").check()
    at.button(key="predict.go").click().run()
    no_errors(at)
    return at


def test_the_one_record_form_says_why_in_sentences_and_a_table(runs):
    at = app(lang="ko")
    at.switch_page("pages/predict.py").run()
    run_id = at.selectbox(key="predict.run").value
    field = f"predict.record.{run_id}.field"
    at.number_input(key=f"{field}.0").set_value(29.0)
    at.button(key=f"predict.record.{run_id}.go").click().run()
    no_errors(at)
    assert at.metric[0].value == "합격"
    texts = [shown_text(m.value) for m in at.markdown]
    assert "**이 예측의 이유**" in [m.value for m in at.markdown]
    sentences = texts[texts.index("이 예측의 이유") + 1:]
    assert sentences[0].startswith("hours가 29로 높아서 +") and sentences[0].endswith("%p")
    assert sentences[1].startswith("subject가 '")
    table = next(d.value for d in at.dataframe if "이유" in d.value.columns)
    assert list(table.columns) == ["열", "값", "영향", "이유"]
    assert table.loc[0, "열"] == "hours" and table.loc[0, "값"] == "29" and table.loc[0, "영향"].endswith("%p")
    assert table.loc[0, "이유"].startswith("hours가 29로 높아서 +")
    assert any("'합격'일 확률" in shown_text(c.value) for c in at.caption)


def test_reason_columns_are_added_to_the_predictions_only_when_asked(runs):
    rows = students(40, seed=3).drop(columns="passed")
    at = app(lang="ko")
    at.switch_page("pages/predict.py").run()
    assert at.checkbox(key="predict.add_reasons").value is False
    assert at.checkbox(key="predict.add_reasons").label == "이유 열 추가"
    upload_and_predict(at, rows)
    assert not {"이유 1", "이유 2", "이유 3"} & set(at.dataframe[0].value.columns)
    upload_and_predict(at, rows, reasons=True)
    preview = at.dataframe[0].value
    assert list(preview.columns[-3:]) == ["이유 1", "이유 2", "이유 3"]
    hours = preview["이유 1"].str.startswith("hours가 ")
    assert hours.mean() > 0.7
    assert preview.loc[hours, "이유 1"].str.contains("로 높아서 |로 낮아서 |라서 ").all()
    assert preview["이유 1"].str.endswith("%p").all()


def test_a_shifted_file_gets_a_drift_summary_a_table_and_is_stored_with_the_batch(runs):
    rows = students(60, seed=4).drop(columns="passed")
    rows["hours"] = np.round(rows["hours"] / 6, 1)  # far fewer hours than in training
    at = app()
    at.switch_page("pages/predict.py").run()
    upload_and_predict(at, rows)
    warnings = [shown_text(w.value) for w in at.warning]
    assert "hours is much lower than in training: predictions may be off." in warnings
    table = next(d.value for d in at.dataframe if "Stability index (PSI)" in d.value.columns).set_index("Column")
    assert table.loc["hours", "Change"] == "large" and table.loc["subject", "Change"] == "none"
    stored = Workspace("alice").predictions()
    drift = Workspace("alice").prediction_drift(stored["prediction_id"].iloc[0])
    assert drift["level"] == "large" and {c["column"]: c["direction"] for c in drift["columns"]
                                          if "direction" in c} == {"hours": "lower"}


def test_rows_like_the_training_rows_are_said_to_be_alike(runs):
    at = app(lang="ko")
    at.switch_page("pages/predict.py").run()
    upload_and_predict(at, students(240).drop(columns="passed"))
    assert "새 행들이 학습 때의 데이터와 비슷합니다. 달라진 열이 없습니다." in [shown_text(s.value) for s in at.success]


def test_the_runs_page_shows_what_moves_the_model_as_a_chart_and_a_table(runs):
    at = app()
    at.switch_page("pages/runs.py").run()
    at.segmented_control(key="runs.view").set_value("details").run()
    no_errors(at)
    table = next(d.value for d in at.dataframe if "Average effect" in d.value.columns)
    assert table["Column"].tolist()[0] == "hours" and set(table["Column"]) == {"hours", "subject"}
    assert (table["Average effect"] > 0).all()
    assert any("over 50 training rows" in c.value for c in at.caption)
