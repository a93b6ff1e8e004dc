"""The CLI's ``predict`` (chunks, JSON report, exit 2 on missing columns) and ``export RUN_ID --out FILE.zip``."""
from __future__ import annotations

import json
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from core import cli
from core.train import TrainSettings, train_dataset
from tests.helpers import clone, train_once


@pytest.fixture(scope="module")
def iris_model(tmp_path_factory):
    frame = load_iris(as_frame=True).frame
    frame["species"] = np.asarray(load_iris().target_names)[frame.pop("target")]

    def build(ws):
        ws.save_frame(frame, "iris")
        return train_dataset(ws, "iris", TrainSettings(target="species", models=("dt",), folds=2,
                                                       importance=False)).run_ids["dt"]

    return train_once(tmp_path_factory, build)


@pytest.fixture
def run_id(iris_model, data_dir):
    root, run = iris_model
    clone(root, data_dir)
    return run


@pytest.fixture
def rows_csv(tmp_path, iris_frame):
    rows = iris_frame.drop(columns="species").head(25).copy()
    rows.insert(0, "학생", [f"학생{i}" for i in range(25)])
    rows.loc[4, "petal length (cm)"] = 40.0
    path = tmp_path / "rows.csv"
    rows.to_csv(path, index=False)
    return path


def run(capsys, data_dir, *args) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(data_dir), "--user", "alice", "--json", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_predict_in_chunks_prints_rows_out_warnings_and_the_report(capsys, data_dir, run_id, rows_csv, tmp_path):
    out = tmp_path / "p.csv"
    code, stdout, stderr = run(capsys, data_dir, "predict", run_id, rows_csv, "--out", out, "--chunk-size", "10")
    assert code == 0 and stderr == ""
    answer = json.loads(stdout)
    assert answer["rows"] == 25 and answer["out"] == str(out)
    assert answer["report"] == {"petal length (cm)": {"out_of_range": 1}}
    assert answer["extra_columns"] == ["학생"]
    assert any("'petal length (cm)'" in w and "row 5: 40" in w for w in answer["warnings"])
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert frame["학생"].tolist() == [f"학생{i}" for i in range(25)]
    assert frame.loc[4, "check"].startswith("petal length (cm): 40 is outside the training range")
    one_shot = tmp_path / "q.csv"
    assert run(capsys, data_dir, "predict", run_id, rows_csv, "--out", one_shot)[0] == 0
    assert one_shot.read_bytes() == out.read_bytes()


def test_predict_to_excel_keeping_an_id(capsys, data_dir, run_id, rows_csv, tmp_path):
    out = tmp_path / "p.xlsx"
    code, stdout, _ = run(capsys, data_dir, "predict", run_id, rows_csv, "--out", out, "--keep", "학생")
    assert code == 0 and json.loads(stdout)["out"] == str(out)
    values = list(openpyxl.load_workbook(out).active.values)
    assert values[0][:2] == ("학생", "species (predicted)") and values[1][0] == "학생0" and len(values) == 26


def test_missing_columns_exit_2_with_one_line_naming_them(capsys, data_dir, run_id, rows_csv, tmp_path):
    partial = tmp_path / "partial.csv"
    pd.read_csv(rows_csv).drop(columns=["sepal width (cm)"]).to_csv(partial, index=False)
    code, stdout, stderr = run(capsys, data_dir, "predict", run_id, partial, "--out", tmp_path / "p.csv")
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("error: ") and "'sepal width (cm)'" in stderr
    assert not (tmp_path / "p.csv").exists()


def test_export_writes_the_model_bundle_zip(capsys, data_dir, run_id, tmp_path):
    out = tmp_path / "model.zip"
    code, stdout, _ = run(capsys, data_dir, "export", run_id, "--out", out)
    assert code == 0 and json.loads(stdout)["out"] == str(out)
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["README.md", "bundle.json", "pipeline.joblib"]
    code, _, stderr = run(capsys, data_dir, "export", "nosuchrun", "--out", tmp_path / "x.zip")
    assert code == 2 and "no run 'nosuchrun'" in stderr
