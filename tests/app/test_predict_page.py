"""AppTest tests of the Predict page: the one-record form, the active model, an uploaded file's input check."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from core.predict import default_run, run_sidecar, set_active_run
from core.train import TrainSettings, train_dataset
from storage import bundles
from storage.workspace import Workspace
from tests.helpers import clone, train_once
from tests.app.apptest import app, no_errors
from tests.helpers.markdown import rendered, shown_text, shows_literally
from core.predict.contract import fmt_value


def students(n: int = 240, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(1, 30, n), 1)
    subject = rng.choice(["국어", "수학", "영어"], n)
    return pd.DataFrame({
        "hours": hours,
        "subject": subject,
        "joined": pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
        "passed": np.where(hours + np.where(subject == "수학", 5, 0) + rng.normal(0, 4, n) > 16, "합격", "불합격"),
    })


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    def build(ws):
        ws.save_frame(students(), "students")
        return train_dataset(ws, "students", TrainSettings(target="passed", models=("linear", "dt"),
                                                           folds=2, importance=False)).run_ids

    return train_once(tmp_path_factory, build)


@pytest.fixture
def runs(trained, data_dir) -> dict[str, str]:
    root, run_ids = trained
    clone(root, data_dir)
    return run_ids


def test_the_one_record_form_predicts_and_flags_a_value_outside_the_training_range(runs):
    at = app()
    at.switch_page("pages/predict.py").run()
    no_errors(at)
    run_id = at.selectbox(key="predict.run").value
    field = f"predict.record.{run_id}.field"
    contract = run_sidecar(Workspace("alice"), run_id)["contract"]
    order = [c["name"] for c in contract["columns"]]
    hours = at.number_input(key=f"{field}.{order.index('hours')}")
    entry = contract["columns"][order.index("hours")]
    assert hours.value == pytest.approx(entry["median"])  # starts at a typical value...
    assert hours.help == (f"Training range {fmt_value(entry['min'])} to {fmt_value(entry['max'])}; most values "
                          f"between {fmt_value(entry['p01'])} and {fmt_value(entry['p99'])}.")  # ...range as hint
    hours.set_value(250.0)
    subject = at.selectbox(key=f"{field}.{order.index('subject')}")
    assert subject.options[:3] and set(subject.options) == {"국어", "수학", "영어"}
    subject.set_value("수학")
    at.date_input(key=f"{field}.{order.index('joined')}").set_value(date(2024, 5, 1))
    at.button(key=f"predict.record.{run_id}.go").click().run()
    no_errors(at)
    result = at.metric[0]
    assert result.label == "Prediction" and result.value in {"합격", "불합격"}
    assert any(shown_text(w.value).startswith("hours: 250 is outside the training range") for w in at.warning)
    chart = at.get("vega_lite_chart")
    assert chart, "the class probabilities are drawn as a bar chart"
    # A value inside the training range: no warning, and a plain confirmation.
    at.number_input(key=f"{field}.{order.index('hours')}").set_value(12.0)
    at.button(key=f"predict.record.{run_id}.go").click().run()
    assert not [w for w in at.warning if shown_text(w.value).startswith("hours:")]
    assert any("within what the model saw" in s.value for s in at.success)


def test_the_active_model_is_chosen_by_default_and_a_switch_shows_on_the_next_run(runs):
    ws = Workspace("alice")
    at = app()
    at.switch_page("pages/predict.py").run()
    no_errors(at)
    default = at.selectbox(key="predict.run").value
    assert default == default_run(ws, ws.runs()) and default != runs["dummy"]
    other = runs["linear"] if default == runs["dt"] else runs["dt"]
    set_active_run(ws, other)  # as the Runs page does, while this session is open
    at.run()
    assert at.selectbox(key="predict.run").value == other
    assert "★ active" in at.selectbox(key="predict.run").format_func(other)
    assert any("The active model of 'students'" in c.value for c in at.caption)
    # Picking a run and making it active from this page.
    at.selectbox(key="predict.run").set_value(runs["dummy"]).run()
    at.button(key="predict.make_active").click().run()
    no_errors(at)
    assert any("is now the active model of 'students'" in s.value for s in at.success)
    assert ws.active_run("students") == runs["dummy"]


def test_an_uploaded_file_is_checked_and_the_report_is_shown_in_korean(runs, tmp_path):
    rows = students(30, seed=5).drop(columns="passed")
    rows["hours"] = rows["hours"].clip(2, 29)
    rows.loc[0, "subject"] = "체육"
    rows.loc[1, "hours"] = 300.0
    at = app(lang="ko")
    at.switch_page("pages/predict.py").run()
    no_errors(at)
    at.file_uploader[0].upload("새학기.csv", rows.to_csv(index=False).encode("utf-8"), "text/csv")
    at.run()
    no_errors(at)
    assert not at.button(key="predict.go").disabled
    at.button(key="predict.go").click().run()
    no_errors(at)
    assert at.success[0].value == "30개 행을 예측했습니다."
    preview = at.dataframe[0].value
    assert len(preview) == 30 and {"passed 예측", "'합격'일 확률 (%)", "확인할 점"} <= set(preview.columns)
    assert set(preview["passed 예측"]) <= {"합격", "불합격"}
    chances = preview["'합격'일 확률 (%)"] + preview["'불합격'일 확률 (%)"]
    assert chances.between(99.8, 100.2).all() and (preview["'합격'일 확률 (%)"] == preview["'합격'일 확률 (%)"].round(1)).all()
    assert preview.loc[0, "확인할 점"] == "subject: '체육'은 학습 때 보지 못한 범주"
    assert preview.loc[1, "확인할 점"].startswith("hours: 300은 학습 범위(")
    warnings = [shown_text(w.value) for w in at.warning]
    assert any("'subject'" in w and "학습 때 보지 못한 범주" in w and "'체육'" in w for w in warnings)
    assert any("'hours'" in w and "학습 범위" in w and "2행: 300" in w for w in warnings)
    table = at.dataframe[1].value
    assert list(table.columns) == ["열", "문제", "개수", "예시", "처리"] and len(table) == 2
    # Kept in the Predict history, not added to the dataset list.
    assert [d.name for d in Workspace("alice").datasets()] == ["students"]
    history = next(d.value for d in at.dataframe if "예측한 데이터" in d.value.columns)
    assert len(history) == 1 and history.iloc[0]["예측한 데이터"] == "새학기.csv"


def shows_preview(at) -> bool:
    """The table of predicted rows is on the page (its "check" column is the prediction's own)."""
    return any("check" in d.value.columns for d in at.dataframe)


def downloads(at) -> list[str]:
    return [b.proto.id for b in at.get("download_button")]


def predict_page(lang: str = "en"):
    at = app(lang=lang)
    at.switch_page("pages/predict.py").run()
    return at


def predicted(at, rows: pd.DataFrame, name: str = "rows.csv"):
    at.file_uploader[0].upload(name, rows.to_csv(index=False).encode("utf-8"), "text/csv")
    at.run()
    at.button(key="predict.go").click().run()
    return at


def test_a_failed_prediction_or_a_new_upload_clears_the_previous_result(runs):
    good = students(8, seed=3).drop(columns="passed")
    at = predicted(predict_page(), good)
    no_errors(at)
    assert at.success and shows_preview(at)
    assert [b for b in downloads(at) if b.endswith("predict.download")]
    # The same file without a required column: the error stands alone, the old file is not offered.
    at = predicted(at, good.drop(columns="subject"), "broken.csv")
    assert at.error and not at.success
    assert not shows_preview(at)
    assert not [b for b in downloads(at) if b.endswith("predict.download") or b.endswith("predict.download_xlsx")]
    # A good prediction, then a new upload: the old result goes before anything is predicted.
    at = predicted(at, good, "again.csv")
    assert at.success
    at.file_uploader[0].upload("new.csv", good.head(3).to_csv(index=False).encode("utf-8"), "text/csv")
    at.run()
    no_errors(at)
    assert not at.success and not shows_preview(at)


def test_a_prediction_is_saved_as_a_dataset_only_when_asked(runs):
    ws = Workspace("alice")
    at = predicted(predict_page("ko"), students(6, seed=4).drop(columns="passed"), "신입.csv")
    no_errors(at)
    assert [d.name for d in ws.datasets()] == ["students"]
    at.button(key="predict.save_dataset").click().run()
    no_errors(at)
    saved = [d for d in ws.datasets() if d.name != "students"]
    assert len(saved) == 1 and saved[0].rows == 6 and saved[0].source.startswith("prediction:")
    assert "passed 예측" in ws.column_names(saved[0].dataset_id)
    assert at.session_state["current_dataset"] == saved[0].dataset_id
    assert at.button(key="predict.save_dataset").disabled  # once is enough


def test_a_file_without_a_required_column_is_refused_with_its_name(runs):
    at = app()
    at.switch_page("pages/predict.py").run()
    at.file_uploader[0].upload("rows.csv", students(5).drop(columns=["passed", "subject"]).to_csv(index=False)
                               .encode("utf-8"), "text/csv")
    at.run()
    at.button(key="predict.go").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The rows lack column(s) the model needs: 'subject'. Add them (with the same names as in training) and try "
        "again; nothing was predicted."]
    assert not at.success


def test_a_damaged_model_is_refused_with_a_message_not_a_traceback(runs):
    ws = Workspace("alice")
    run_id = default_run(ws, ws.runs())
    with open(bundles.bundle_dir("alice", run_id, ws.root) / "pipeline.joblib", "ab") as fh:
        fh.write(b"tampered")
    at = app()
    at.switch_page("pages/predict.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"The saved model of run '{run_id}' is damaged (checksum mismatch). "
                                           "Train it again."]
    assert not at.file_uploader


def test_cell_values_and_column_names_in_the_check_are_shown_literally_not_as_markdown(runs):
    image, bold = "![x](http://127.0.0.1:9/a.png)", "**bold**"
    rows = students(10, seed=7).drop(columns="passed")
    rows["hours"] = rows["hours"].clip(2, 29)
    rows.loc[0, "subject"] = image
    rows.loc[1, "subject"] = bold
    rows[bold] = 1
    at = app()
    at.switch_page("pages/predict.py").run()
    at.file_uploader[0].upload("rows.csv", rows.to_csv(index=False).encode("utf-8"), "text/csv")
    at.run()
    at.button(key="predict.go").click().run()
    no_errors(at)
    warnings = [w.value for w in at.warning]
    unseen = [w for w in warnings if "subject" in w and "never saw" in w]
    extra = [w for w in warnings if "Ignored columns" in w]
    assert unseen and extra, warnings
    # No image for the browser to fetch, no bold: the cell values and the column name read as typed.
    assert shows_literally(unseen[0], image) and shows_literally(unseen[0], bold), rendered(unseen[0])
    assert shows_literally(extra[0], bold), rendered(extra[0])
