"""Storage: paths, users, workspaces (ingest, datasets, runs) and model bundles."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from storage import bundles, paths
from storage.errors import UserError
from storage.users import UserStore
from storage.workspace import DatasetNotFound, RunNotFound, Workspace


@pytest.mark.parametrize("name", ["../etc", "Alice", "ab", "", "x" * 40, "1abc", "a b", "al..ice", "al\x00ce"])
def test_unsafe_usernames_are_refused(name, data_dir):
    with pytest.raises(paths.InvalidUsername):
        paths.user_dir(name, data_dir)


def test_user_paths_stay_inside_the_data_dir(data_dir):
    assert paths.workspace_db_path("alice", data_dir) == data_dir / "users" / "alice" / "workspace.duckdb"
    assert paths.models_dir("bob_2", data_dir).parent == data_dir / "users" / "bob_2"


def test_accounts_survive_a_new_store_over_the_same_file(data_dir):
    store = UserStore(data_dir)
    store.create("alice", "Alice", "alice@example.com", "hash")
    store.create("bob", "Bob", "bob@example.com", "hash")
    # A new store over the same file sees the same accounts: registrations survive restarts.
    assert [u.username for u in UserStore(data_dir).list()] == ["alice", "bob"]


def test_deleting_a_user_removes_their_directory(data_dir, tmp_path):
    store = UserStore(data_dir)
    store.create("alice", "Alice", "alice@example.com", "hash")
    ws = Workspace("alice", data_dir)
    ws.save_frame(pd.DataFrame({"a": [1, 2]}), "t")
    assert paths.user_dir("alice", data_dir).exists()
    store.delete("alice")
    assert not paths.user_dir("alice", data_dir).exists()
    assert store.get("alice") is None
    assert [a for _, u, a, _ in store.audit("alice")] == ["register", "deleted"]


def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_ingest_csv_keeps_rows_types_and_order(ws, tmp_path):
    rows = "\n".join(f"{i},{i * 0.5},name{i}" for i in range(1000))
    ds = ws.ingest_csv(_write(tmp_path / "t.csv", "id,score,label\n" + rows + "\n"), "numbers")
    assert (ds.rows, ds.columns, ds.version) == (1000, 3, 1)
    frame = ws.load("numbers")
    assert list(frame.columns) == ["id", "score", "label"]
    assert frame["id"].tolist() == list(range(1000))
    assert pd.api.types.is_float_dtype(frame["score"])
    assert ws.load(ds.dataset_id, limit=5)["label"].tolist() == [f"name{i}" for i in range(5)]


def test_ingest_sniffs_semicolons_and_reads_tsv(ws, tmp_path):
    ds = ws.ingest_csv(_write(tmp_path / "s.csv", "a;b\n1;x\n2;y\n"), "semi")
    assert ws.column_names(ds.dataset_id) == ["a", "b"]
    ds = ws.ingest_csv(_write(tmp_path / "t.tsv", "a\tb c\n1\tx\n"), "tabs", delimiter="\t")
    assert ws.column_names(ds.dataset_id) == ["a", "b c"]


@pytest.mark.parametrize("content, message", [
    ("a,b\n1,2\n3,4,5\n", "Line 3"),
    ("a,b\n", "no rows"),
    ("", "empty"),
    ("\x00\x01\x02garbage\x00", "not a text table"),
])
def test_bad_files_save_nothing_and_say_why(ws, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(UserError, match=message):
        ws.ingest_csv(path, "bad")
    assert ws.datasets() == []
    with ws.connect() as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    assert not [t for t in tables if t.startswith("ds_")]


def test_unknown_dataset_and_run_give_clear_errors(ws):
    with pytest.raises(DatasetNotFound, match="no dataset called 'nope'"):
        ws.dataset("nope")
    with pytest.raises(RunNotFound, match="no run 'r1'"):
        ws.run("r1")


def test_delete_dataset_drops_its_table(ws):
    ds = ws.save_frame(pd.DataFrame({"v": [1, 2]}), "gone")
    ws.delete_dataset("gone")
    assert ws.datasets() == []
    with ws.connect() as con:
        assert not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?",
                               [ds.table_name]).fetchone()


def test_runs_and_fold_metrics_round_trip(ws):
    ds = ws.save_frame(pd.DataFrame({"v": [1, 2]}), "d")
    ws.add_run(run_id="abc123", dataset=ds, target="v", task="binary", model="rf", status="finished",
               metric="roc_auc", metrics={"roc_auc": 0.9}, settings={"seed": 1}, fit_seconds=1.5,
               fold_metrics=[(0, "valid", "roc_auc", 0.8), (1, "valid", "roc_auc", float("nan"))])
    run = ws.run("abc123")
    assert (run.model, run.metrics, run.settings, run.dataset_name) == ("rf", {"roc_auc": 0.9}, {"seed": 1}, "d")
    folds = ws.fold_metrics("abc123")
    assert folds["value"].iloc[0] == 0.8 and pd.isna(folds["value"].iloc[1])
    assert [r.run_id for r in ws.runs("d")] == ["abc123"]


def test_bundle_round_trip_checksum_and_versions(data_dir):
    bundles.save_bundle("alice", "run1", {"weights": [1, 2, 3]}, {"task": "binary",
                        "library_versions": {"scikit-learn": "1.0"}}, data_dir)
    directory = bundles.bundle_dir("alice", "run1", data_dir)
    assert sorted(p.name for p in directory.iterdir()) == ["bundle.json", "pipeline.joblib"]
    sidecar = json.loads((directory / "bundle.json").read_text())
    assert sidecar["sha256"] == bundles.sha256_of(directory / "pipeline.joblib")
    obj, loaded = bundles.load_bundle("alice", "run1", data_dir)
    assert obj == {"weights": [1, 2, 3]} and loaded["task"] == "binary"
    with pytest.raises(bundles.BundleError, match="other library versions"):
        bundles.load_bundle("alice", "run1", data_dir, current_versions={"scikit-learn": "9.9"})
    with open(directory / "pipeline.joblib", "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(bundles.BundleError, match="damaged"):
        bundles.load_bundle("alice", "run1", data_dir)
