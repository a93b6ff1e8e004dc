"""The CLI's ``predict --reasons`` (three reason columns) and the drift of every batch in its JSON, stored too."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core import cli
from core.train import TrainSettings, train_dataset
from storage.workspace import Workspace
from tests.helpers import clone, train_once


def students(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"출석률": np.round(rng.uniform(60, 100, n), 1), "hours": rng.uniform(0, 30, n),
                          "학년": rng.choice(["1", "2", "3"], n)})
    return frame.assign(score=frame["출석률"] * 0.5 + frame["hours"] + rng.normal(0, 2, n))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    def build(ws):
        ws.save_frame(students(300, seed=0), "scores")
        return train_dataset(ws, "scores", TrainSettings(target="score", models=("lgbm",), folds=2,
                                                         importance=False)).run_ids["lgbm"]

    return train_once(tmp_path_factory, build)


@pytest.fixture
def run_id(trained, data_dir):
    root, run = trained
    clone(root, data_dir)
    return run


def predict(capsys, data_dir, *args) -> dict:
    code = cli.main(["--data-dir", str(data_dir), "--user", "alice", "--json", "predict", *map(str, args)])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""
    return json.loads(captured.out)


def test_reasons_add_three_columns_and_a_shifted_batch_reports_its_drift(capsys, data_dir, run_id, tmp_path):
    rows = students(200, seed=1).drop(columns="score")
    rows["출석률"] = np.round(rows["출석률"] - 35, 1)  # attendance far lower than in training
    source, out = tmp_path / "new.csv", tmp_path / "out.csv"
    rows.to_csv(source, index=False)
    answer = predict(capsys, data_dir, run_id, source, "--out", out, "--reasons", "--chunk-size", "64")
    got = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(got.columns[-3:]) == ["reason 1", "reason 2", "reason 3"]
    assert got["reason 1"].str.startswith("출석률 is low (").mean() > 0.5
    assert "출석률 is much lower than in training: predictions may be off." in answer["drift_summary"]
    columns = {c["column"]: c for c in answer["drift"]["columns"]}
    assert columns["출석률"]["level"] == "large" and columns["출석률"]["direction"] == "lower"
    assert columns["hours"]["level"] == "none" and columns["학년"]["level"] == "none"
    assert answer["drift"]["rows"] == 200
    ws = Workspace("alice", data_dir)
    stored = ws.prediction_drift(ws.predictions()["prediction_id"].iloc[0])
    assert stored == answer["drift"]


def test_without_reasons_there_are_no_reason_columns(capsys, data_dir, run_id, tmp_path):
    source, out = tmp_path / "new.csv", tmp_path / "out.csv"
    students(30, seed=2).drop(columns="score").to_csv(source, index=False)
    answer = predict(capsys, data_dir, run_id, source, "--out", out)
    assert not [c for c in pd.read_csv(out, encoding="utf-8-sig").columns if c.startswith("reason")]
    assert answer["drift_summary"] == ["The new rows look like the training rows: no column has shifted."]
