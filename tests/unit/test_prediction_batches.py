"""Batch prediction: any file format or a stored dataset, in chunks, streamed to CSV and saved as a dataset."""
from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.predict import (default_run, forget_prediction, predict, predict_rows, prediction_history,
                          predictions_csv_file, predictions_xlsx, save_prediction, set_active_run)
from core.train import TrainSettings, train_dataset
from core.predict import service as predict_service
from core.errors import ColumnError, UserError
from storage import batches
from tests.helpers import clone, train_once


def students(n: int, seed: int, margin: int = 0) -> pd.DataFrame:
    """Students; with a ``margin``, hours and dates stay that far inside the range other seeds cover."""
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(margin, 20 - margin, n), 2)
    subject = rng.choice(["국어", "수학", "영어"], n)
    passed = (hours + np.where(subject == "수학", 3, 0) + rng.normal(0, 3, n)) > 11
    return pd.DataFrame({
        "student": [f"학생{seed}_{i:04d}" for i in range(n)],
        "hours": hours,
        "subject": subject,
        "joined": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(10 * margin, 300 - 10 * margin, n),
                                                               unit="D"),
        "passed": np.where(passed, "합격", "불합격"),
    })


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    def build(ws):
        ds = ws.save_frame(students(300, seed=1), "students")
        return train_dataset(ws, ds.dataset_id, TrainSettings(
            target="passed", models=("linear", "dt"), folds=2, importance=False, ensemble=False,
            features=("hours", "subject", "joined"))).run_ids

    return train_once(tmp_path_factory, build)


@pytest.fixture
def model(trained, data_dir):
    root, run_ids = trained
    clone(root, data_dir)
    return run_ids["linear"], run_ids["dt"]


@pytest.fixture
def new_rows() -> pd.DataFrame:
    frame = students(500, seed=2, margin=1).drop(columns="passed")
    frame["hours"] = frame["hours"].astype(object)
    frame.loc[3, "subject"] = "체육"  # unseen
    frame.loc[7, "hours"] = 250.0  # out of range
    frame.loc[11, "hours"] = "많이"  # unreadable
    frame.loc[420, "subject"] = "체육"  # in a later chunk
    return frame


def test_chunked_prediction_equals_one_shot_prediction(ws, model, new_rows, tmp_path):
    run_id = model[0]
    path = tmp_path / "rows.csv"
    new_rows.to_csv(path, index=False)
    fractions = []
    chunked = predict_rows(ws, run_id, path=path, chunk_rows=128, progress=lambda f, _: fractions.append(f))
    whole = predict_rows(ws, run_id, path=path, chunk_rows=10_000)
    assert fractions == pytest.approx([128 / 500, 256 / 500, 384 / 500, 1.0])
    # The streamed CSV files are byte for byte the same, and so are the saved datasets.
    assert chunked.out.read_bytes() == whole.out.read_bytes()
    assert chunked.out.read_bytes().startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(batches.read_prediction(ws, chunked.prediction_id), batches.read_prediction(ws, whole.prediction_id))
    assert chunked.check.report == whole.check.report == {
        "hours": {"unreadable": 1, "out_of_range": 1}, "subject": {"unseen": 2}}
    assert chunked.check.examples == whole.check.examples
    assert chunked.check.examples["subject"]["unseen"] == [(4, "체육")]
    # ...and the same as predicting the whole frame in memory.
    in_memory = predict(ws, run_id, batches.read_prediction(ws, whole.prediction_id)[list(new_rows.columns)]).frame
    saved = batches.read_prediction(ws, chunked.prediction_id)
    assert (saved["passed (predicted)"] == in_memory["passed (predicted)"]).all()
    chances = ["probability of '불합격' (%)", "probability of '합격' (%)"]
    np.testing.assert_allclose(saved[chances], in_memory[chances])
    assert saved.loc[7, "check"].startswith("hours: 250 is outside the training range")
    assert saved.loc[420, "check"] == "subject: '체육' is a category the model never saw"


def test_a_file_in_any_format_the_data_step_reads_is_predicted(ws, model, new_rows, tmp_path):
    frame = new_rows.head(40).copy()
    frame.loc[[7, 11], "hours"] = [5.5, 6.0]
    frame["hours"] = frame["hours"].astype(float)
    paths = {"xlsx": tmp_path / "rows.xlsx", "parquet": tmp_path / "rows.parquet", "json": tmp_path / "rows.json",
             "cp949": tmp_path / "rows_cp949.csv"}
    frame.to_excel(paths["xlsx"], index=False)
    frame.to_parquet(paths["parquet"], index=False)
    frame.assign(joined=frame["joined"].dt.strftime("%Y-%m-%d")).to_json(paths["json"], orient="records",
                                                                        force_ascii=False)
    frame.to_csv(paths["cp949"], index=False, encoding="cp949")
    results = {kind: predict_rows(ws, model[1], path=path) for kind, path in paths.items()}
    predictions = {kind: batches.read_prediction(ws, r.prediction_id) for kind, r in results.items()}
    for kind, result in results.items():
        assert result.rows == 40, kind
        assert result.check.report == {"subject": {"unseen": 1}}, kind
        assert predictions[kind]["student"].tolist() == frame["student"].tolist(), kind  # Korean text intact
        assert predictions[kind]["passed (predicted)"].tolist() == \
            predictions["parquet"]["passed (predicted)"].tolist(), kind


def test_missing_columns_stop_before_anything_is_written(ws, model, new_rows, tmp_path):
    path = tmp_path / "partial.csv"
    new_rows.drop(columns=["subject", "joined"]).to_csv(path, index=False)
    before = [d.name for d in ws.datasets()]
    out = tmp_path / "out.csv"
    with pytest.raises(ColumnError, match="'subject', 'joined'"):
        predict_rows(ws, model[0], path=path, out=out)
    assert not out.exists()
    assert [d.name for d in ws.datasets()] == before and ws.predictions().empty
    assert not list(ws.staging_dir().glob("predict_*"))  # the scratch database is gone


def test_a_failure_half_way_leaves_no_partial_dataset_or_file(ws, model, new_rows, tmp_path, monkeypatch):
    path = tmp_path / "rows.csv"
    new_rows.to_csv(path, index=False)
    real = predict_service.predict_chunks

    def failing(*args, **kwargs):
        for i, chunk in enumerate(real(*args, **kwargs)):
            if i == 2:
                raise RuntimeError("disk full")
            yield chunk

    monkeypatch.setattr(predict_service, "predict_chunks", failing)
    before = [d.name for d in ws.datasets()]
    with pytest.raises(RuntimeError):
        predict_rows(ws, model[0], path=path, out=tmp_path / "out.csv", chunk_rows=100)
    assert [d.name for d in ws.datasets()] == before and not (tmp_path / "out.csv").exists()
    with ws.connect() as con:
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    registered = {d.table_name for d in ws.datasets()}
    assert {t for t in tables if t.startswith("ds_")} == registered
    assert not [t for t in tables if t.startswith("prediction_")] and ws.predictions().empty


def test_a_stored_dataset_is_predicted_kept_in_the_history_and_saved_as_a_dataset_on_request(ws, model):
    ds = ws.save_frame(students(60, seed=3, margin=1).drop(columns="passed"), "new term")
    result = predict_rows(ws, model[1], dataset=ds.dataset_id, keep=["student"], lang="ko")
    assert sorted(d.name for d in ws.datasets()) == ["new term", "students"]  # no new dataset in the list
    saved = batches.read_prediction(ws, result.prediction_id)
    assert list(saved.columns) == ["student", "passed 예측", "'불합격'일 확률 (%)", "'합격'일 확률 (%)", "확인할 점"]
    assert set(saved["passed 예측"]) <= {"합격", "불합격"}
    recorded = ws.predictions().iloc[0]
    assert (recorded["run_id"], recorded["rows"], recorded["output_dataset_id"]) == (model[1], 60, None)
    assert result.preview.equals(saved.head(60))
    assert list(prediction_history(ws)["prediction_id"]) == [result.prediction_id]
    dataset = save_prediction(ws, result.prediction_id, "new term predicted")
    assert dataset.name == "new term predicted" and dataset.rows == 60 and dataset.source == f"prediction:{model[1]}"
    assert ws.load(dataset.dataset_id).equals(saved)
    assert ws.predictions().iloc[0]["output_dataset_id"] == dataset.dataset_id
    forget_prediction(ws, result.prediction_id)
    assert prediction_history(ws).empty and ws.dataset(dataset.dataset_id).rows == 60  # the saved copy stays
    with pytest.raises(UserError, match="at least 1"):
        predict_rows(ws, model[1], dataset=ds.dataset_id, chunk_rows=0)


def test_excel_download_is_cut_at_the_row_limit_and_says_how_many(ws, tmp_path):
    with batches.BatchWriter(ws, tmp_path / "p.csv") as writer:
        writer.append(pd.DataFrame({"이름": [f"학생{i}" for i in range(30)], "score": range(30)}))
        writer.finish()
    target = tmp_path / "p.xlsx"
    assert batches.write_xlsx(ws, writer.prediction_id, target, max_rows=10) == (10, 30)
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.values)
    assert values[0] == ("이름", "score") and len(values) == 11 and values[10] == ("학생9", 9)
    assert predictions_xlsx(ws, writer.prediction_id, tmp_path / "all.xlsx") == (30, 30)
    csv = predictions_csv_file(ws, writer.prediction_id, tmp_path / "all.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and csv.decode("utf-8-sig").splitlines()[:2] == ["이름,score", "학생0,0"]


def test_the_active_model_is_the_default_and_switching_takes_effect_at_once(ws, model):
    linear, dt = model
    runs = ws.runs()
    best = default_run(ws, runs)
    assert best in {linear, dt}  # no active model yet: the best of the latest training (never the baseline)
    other = dt if best == linear else linear
    set_active_run(ws, other)
    assert ws.active_run("students") == other and default_run(ws, ws.runs()) == other
    set_active_run(ws, best)
    assert default_run(ws, ws.runs()) == best
    second = ws.save_frame(students(50, seed=4), "other")
    outcome = train_dataset(ws, second.dataset_id, TrainSettings(target="passed", models=("dt",), folds=2,
                                                                 importance=False))
    with pytest.raises(UserError, match="not a finished run of dataset"):
        ws.set_active_run(second.dataset_id, best)
    # The dataset chosen on another page decides whose active model comes first.
    assert default_run(ws, ws.runs(), dataset=ws.dataset("students").dataset_id) == best
    assert default_run(ws, ws.runs()) == outcome.run_ids["dt"]
    ws.delete_run(best)
    assert ws.active_run("students") is None
