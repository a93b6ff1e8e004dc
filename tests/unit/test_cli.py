"""The CLI round trip (ingest → train → runs → predict) and its one-line errors, run as a user would."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import frames

ROOT = Path(__file__).resolve().parents[2]


def cli(data_dir, *args, check=True):
    env = dict(os.environ, ANYML_DATA_DIR=str(data_dir))
    proc = subprocess.run([sys.executable, "-m", "core", "--json", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip() == ""
        return json.loads(proc.stdout)
    return proc


@pytest.fixture
def csv_files(tmp_path, iris_frame):
    train_csv = tmp_path / "iris.csv"
    iris_frame.to_csv(train_csv, index=False)
    new_csv = tmp_path / "new.csv"
    iris_frame.drop(columns="species").sample(30, random_state=0).to_csv(new_csv, index=False)
    return train_csv, new_csv


@pytest.fixture(scope="module")
def ingested_iris(tmp_path_factory):
    """A data directory where ``ingest`` (by the CLI) saved iris as 'iris', once for the module's error tests."""
    root = tmp_path_factory.mktemp("cli-iris")
    train_csv = root / "iris.csv"
    frames.iris_frame().to_csv(train_csv, index=False)
    cli(root / "data", "ingest", train_csv, "--name", "iris")
    return root / "data"


def test_round_trip(data_dir, tmp_path, csv_files):
    train_csv, new_csv = csv_files
    ingested = cli(data_dir, "ingest", train_csv, "--name", "iris")
    assert {k: ingested[k] for k in ("dataset", "dataset_id", "rows", "columns", "encoding", "delimiter")} == {
        "dataset": "iris", "dataset_id": cli(data_dir, "datasets")["datasets"][0]["dataset_id"],
        "rows": 150, "columns": 5, "encoding": "utf-8", "delimiter": ","}
    assert ingested["types"]["species"] == "category"
    listed = cli(data_dir, "datasets")["datasets"]
    assert [(d["name"], d["rows"], d["columns"]) for d in listed] == [("iris", 150, 5)]

    trained = cli(data_dir, "train", "iris", "--target", "species", "--models", "dummy,linear,dt,rf",
                  "--folds", "3", "--seed", "1", "--no-ensemble")
    assert trained["task"] == "multiclass" and trained["metric"] == "f1_macro"
    assert sorted(r["model"] for r in trained["runs"]) == ["dt", "dummy", "linear", "rf"]
    for run in trained["runs"]:
        assert set(run["metrics"]) == {"accuracy", "balanced_accuracy", "precision_macro", "recall_macro",
                                       "f1_macro", "f1_weighted", "roc_auc", "log_loss"}
        assert run["fit_seconds"] > 0
    best = trained["best_run_id"]
    assert best == trained["runs"][0]["run_id"] and trained["runs"][-1]["model"] == "dummy"

    runs = cli(data_dir, "runs")["runs"]
    assert {r["run_id"] for r in runs} == {r["run_id"] for r in trained["runs"]}
    assert all(r["status"] == "finished" and r["dataset"] == "iris" and r["target"] == "species" for r in runs)

    out = tmp_path / "out" / "pred.csv"
    predicted = cli(data_dir, "predict", best, new_csv, "--out", out)
    assert predicted["rows"] == 30 and predicted["out"] == str(out) and predicted["warnings"] == []
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(frame) == 30
    assert set(frame["species (predicted)"]) <= {"setosa", "versicolor", "virginica"}
    probas = frame[[f"probability of '{c}' (%)" for c in ("setosa", "versicolor", "virginica")]]
    assert (probas.sum(axis=1) - 100).abs().max() < 0.2


def test_regression_train_reports_regression_metrics(data_dir, tmp_path):
    from sklearn.datasets import load_diabetes

    path = tmp_path / "diabetes.tsv"
    load_diabetes(as_frame=True).frame.to_csv(path, index=False, sep="\t")
    cli(data_dir, "ingest", path)
    trained = cli(data_dir, "train", "diabetes", "--target", "target", "--models", "dummy,linear", "--folds", "1")
    assert trained["task"] == "regression" and trained["metric"] == "rmse"
    assert set(trained["runs"][0]["metrics"]) == {"rmse", "mae", "mape", "r2", "mse"}
    assert trained["runs"][0]["model"] == "linear"


@pytest.mark.parametrize("args, message", [
    (["predict", "nosuchrun", "{new}", "--out", "{tmp}/x.csv"], "no run 'nosuchrun'"),
    (["train", "iris", "--target", "nope"], "no column 'nope'"),
    (["train", "nosuch", "--target", "species"], "no dataset called 'nosuch'"),
    (["train", "iris", "--target", "species", "--models", "magic"], "Unknown model 'magic'"),
    (["ingest", "{tmp}/ragged.csv"], "Line 3"),
    (["ingest", "{tmp}/missing.csv"], "no file"),
    (["--user", "../root", "datasets"], "username"),
])
def test_errors_are_one_line_on_stderr_with_exit_code_2(data_dir, tmp_path, csv_files, ingested_iris, args,
                                                      message):
    _, new_csv = csv_files
    (tmp_path / "ragged.csv").write_text("a,b\n1,2\n3,4,5\n")
    shutil.copytree(ingested_iris, data_dir)  # iris as `ingest` saved it (one CLI run for every case)
    args = [a.format(new=new_csv, tmp=tmp_path) for a in args]
    proc = cli(data_dir, *args, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_predict_with_missing_columns_names_them(data_dir, tmp_path, csv_files):
    train_csv, new_csv = csv_files
    cli(data_dir, "ingest", train_csv, "--name", "iris")
    run = cli(data_dir, "train", "iris", "--target", "species", "--models", "dt", "--folds", "2")["best_run_id"]
    partial = tmp_path / "partial.csv"
    pd.read_csv(new_csv).drop(columns=["petal width (cm)"]).to_csv(partial, index=False)
    proc = cli(data_dir, "predict", run, partial, "--out", tmp_path / "p.csv", check=False)
    assert proc.returncode == 2 and "petal width (cm)" in proc.stderr
    assert not (tmp_path / "p.csv").exists()
