"""Prediction with the input contract: missing, extra, unreadable, unseen and out-of-range values."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from core.predict import predict, predictions_csv, run_sidecar
from core.train import TrainSettings, train_dataset
from core.errors import ColumnError, UserError
from tests.helpers import clone, imbalanced_frame, train_once


@pytest.fixture(scope="module")
def students_models(tmp_path_factory):
    frame = imbalanced_frame(n=300, positive_rate=0.3)

    def build(ws):
        ws.save_frame(frame, "students")
        return train_dataset(ws, "students", TrainSettings(target="label", models=("linear", "dt"),
                                                           folds=2, importance=False)).run_ids

    root, run_ids = train_once(tmp_path_factory, build)
    return root, run_ids, frame.drop(columns="label")


@pytest.fixture
def trained(students_models, data_dir):
    root, run_ids, rows = students_models
    clone(root, data_dir)
    return SimpleNamespace(run_ids=run_ids), rows


def test_prediction_has_labels_probabilities_and_keeps_input(ws, trained):
    outcome, rows = trained
    run_id = outcome.run_ids["dt"]
    prediction = predict(ws, run_id, rows.head(20), source="test")
    out = prediction.frame
    assert list(out.columns[:3]) == list(rows.columns)
    assert set(out["label (predicted)"]) <= {"no", "yes"}
    no, yes = "probability of 'no' (%)", "probability of 'yes' (%)"
    assert np.allclose(out[[no, yes]].sum(axis=1), 100.0, atol=0.11)  # percentages, one decimal
    assert (out[yes] == out[yes].round(1)).all()
    threshold = (run_sidecar(ws, run_id).get("decision") or {}).get("threshold", 0.5)  # chosen in training
    # the label follows the threshold (the shown percentages are rounded, so rows within 0.05 of it are left out)
    clear = (out[yes] - 100 * threshold).abs() > 0.05
    assert (out["label (predicted)"][clear] == np.where(out[yes][clear] >= 100 * threshold, "yes", "no")).all()
    assert out["check"].eq("").all() and prediction.check.messages() == []
    assert len(ws.predictions()) == 1


def test_missing_columns_stop_prediction_and_are_named(ws, trained):
    outcome, rows = trained
    with pytest.raises(ColumnError, match="signal"):
        predict(ws, outcome.run_ids["dt"], rows.drop(columns=["signal"]))


def test_unseen_category_out_of_range_unreadable_and_extra_are_reported(ws, trained):
    outcome, rows = trained
    new = rows.head(5).copy()
    new["group"] = new["group"].astype(object)
    new.loc[new.index[0], "group"] = "zzz"
    new["signal"] = new["signal"].astype(object)
    new.loc[new.index[1], "signal"] = 1e6
    new.loc[new.index[2], "signal"] = "not a number"
    new["extra"] = 1
    for run_id in outcome.run_ids.values():
        prediction = predict(ws, run_id, new)
        out, check = prediction.frame, prediction.check
        assert out["label (predicted)"].notna().all() and len(out) == 5
        assert check.report == {"signal": {"unreadable": 1, "out_of_range": 1}, "group": {"unseen": 1}}
        assert check.extra_columns == ["extra"]
        assert "'zzz' is a category the model never saw" in out["check"].iloc[0]
        assert "outside the training range" in out["check"].iloc[1]
        assert "'not a number' could not be read" in out["check"].iloc[2]
        assert out["check"].iloc[3] == ""
        assert any("'group'" in m and "'zzz'" in m for m in check.messages())  # counted, with examples


def test_the_output_keeps_an_id_column_and_never_overwrites_an_input_column(ws, trained):
    outcome, rows = trained
    new = rows.head(4).assign(student=["s1", "s2", "s3", "s4"], **{"label (predicted)": ["old"] * 4})
    prediction = predict(ws, outcome.run_ids["dt"], new, keep=["student", "label (predicted)"])
    assert list(prediction.frame.columns) == ["student", "label (predicted)", "label (predicted) (2)", "probability of 'no' (%)", "probability of 'yes' (%)", "check"]
    assert prediction.frame["label (predicted)"].eq("old").all()
    assert set(prediction.frame["label (predicted) (2)"]) <= {"no", "yes"}
    with pytest.raises(ColumnError, match="'nope'"):
        predict(ws, outcome.run_ids["dt"], new, keep=["nope"])


def test_integer_classes_come_back_as_integers(ws):
    frame = imbalanced_frame(n=200, positive_rate=0.4)
    frame["label"] = (frame["label"] == "yes").astype(int) + 1
    ws.save_frame(frame, "coded")
    outcome = train_dataset(ws, "coded", TrainSettings(target="label", models=("dt",), folds=2))
    out = predict(ws, outcome.run_ids["dt"], frame.drop(columns="label").head(30)).frame
    assert out["label (predicted)"].dtype == "int64" and set(out["label (predicted)"]) <= {1, 2}
    assert {"probability of '1' (%)", "probability of '2' (%)"} <= set(out.columns)


def test_empty_input_is_refused(ws, trained):
    outcome, rows = trained
    with pytest.raises(UserError, match="no rows"):
        predict(ws, outcome.run_ids["dt"], rows.head(0))


def test_regression_prediction_and_csv_has_a_bom(ws):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"시간": rng.normal(size=120), "과목": rng.choice(["국어", "수학"], 120)})
    frame["점수"] = 10 * frame["시간"] + rng.normal(size=120)
    ws.save_frame(frame, "성적")
    outcome = train_dataset(ws, "성적", TrainSettings(target="점수", models=("linear",), folds=3))
    assert outcome.result.task == "regression"
    prediction = predict(ws, outcome.run_ids["linear"], frame.drop(columns="점수").head(10))
    data = predictions_csv(prediction)
    assert data.startswith(b"\xef\xbb\xbf")
    assert "과목" in data.decode("utf-8-sig").splitlines()[0]
    assert np.corrcoef(prediction.frame["점수 (predicted)"], frame["점수"].head(10))[0, 1] > 0.9
