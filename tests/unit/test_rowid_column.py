"""A user column called ``rowid`` (numbers or text) never takes the place of the stored row order or the grid's row ids."""
from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest

from core.data import ingest
from storage import db
from storage.errors import UserError
from storage.handoff import read_snapshot
from storage.workspace import Workspace

#: File order; the rowid values sort differently (numbers descending, text shuffled), so sorting by them shows.
NAMES = ["first", "second", "third", "fourth", "fifth"]
VALUES = {"numeric": [50, 40, 30, 20, 10], "text": ["e", "a", "d", "b", "c"]}


@pytest.fixture(params=["numeric", "text"])
def rowid_file(request, tmp_path):
    frame = pd.DataFrame({"rowid": VALUES[request.param], "name": NAMES, "score": [1.5, 2.5, 3.5, 4.5, 5.5]})
    path = tmp_path / "rows.csv"
    frame.to_csv(path, index=False)
    return path, VALUES[request.param]


def test_load_export_and_snapshot_keep_the_file_order(ws, rowid_file, tmp_path):
    path, values = rowid_file
    done = ingest(ws, path, "rows")
    assert [n.code for n in done.report.notes if n.code == "reserved_column"] == ["reserved_column"]
    frame = ws.load("rows")
    assert list(frame.columns) == ["rowid_data", "name", "score"]
    assert list(frame["name"]) == NAMES
    assert [str(v) for v in frame["rowid_data"]] == [str(v) for v in values]  # the user's values are kept
    with ws.open_export("rows", "csv") as handle:
        exported = pd.read_csv(io.BytesIO(handle.read()), encoding="utf-8-sig")
    assert list(exported["name"]) == NAMES
    snapshot = read_snapshot(ws.export("rows", "parquet", target=tmp_path / "snapshot.parquet"))
    assert list(snapshot["name"]) == NAMES


def test_the_grid_saves_the_edit_on_the_row_that_was_edited(ws, rowid_file):
    path, _ = rowid_file
    ingest(ws, path, "rows")
    page = ws.page("rows", limit=10)
    assert list(page.frame["name"]) == NAMES
    second = page.frame.index[1]
    ws.record_edits("rows", page.base_version, cells={(second, "score"): 99})
    saved = ws.save_draft("rows")
    frame = ws.load(saved.dataset_id)
    assert list(frame["name"]) == NAMES
    assert list(frame["score"]) == [1.5, 99.0, 3.5, 4.5, 5.5]


@pytest.mark.parametrize("name", ["rowid", "ROWID", "RowId"])
def test_frames_stored_with_a_rowid_column_keep_their_order(ws, name):
    frame = pd.DataFrame({name: [3, 1, 2], "name": ["a", "b", "c"]})
    ds = ws.save_frame(frame, "frame")
    loaded = ws.load(ds.dataset_id)
    assert list(loaded.columns) == [f"{name}_data", "name"]
    assert list(loaded["name"]) == ["a", "b", "c"]


@pytest.mark.parametrize("name", ["rowid", "ROWID", " rowid "])
def test_a_column_cannot_be_renamed_or_added_as_rowid(ws, name):
    ws.save_frame(pd.DataFrame({"a": [3, 1, 2], "b": ["x", "y", "z"]}), "frame")
    with pytest.raises(UserError) as err:
        ws.rename_column("frame", "a", name)
    assert err.value.key == "data.error.column_name_reserved"
    with pytest.raises(UserError):
        ws.add_column("frame", name, 1, "integer")
    assert list(ws.load("frame")["b"]) == ["x", "y", "z"]


def test_a_workspace_stored_before_the_fix_is_repaired_when_opened(tmp_path):
    """A table stored earlier with a column called rowid is renamed on first use, and reads in its order."""
    old_root, new_root = tmp_path / "old", tmp_path / "new"
    old = Workspace("alice", old_root)
    ds = old.save_frame(pd.DataFrame({"x": [30, 10, 20], "name": ["a", "b", "c"]}), "legacy")
    old.set_column_types("legacy", {"x": "integer"})
    with old.connect() as con:  # what a store written before rowid was reserved could hold
        table = old.dataset("legacy").table_name
        con.execute(f'ALTER TABLE {table} RENAME COLUMN x TO "rowid"')
        con.execute("UPDATE column_types SET column_name = 'rowid' WHERE column_name = 'x'")
    db.release_under(old_root)
    shutil.copytree(old_root / "users", new_root / "users")
    repaired = Workspace("alice", new_root)
    frame = repaired.load(ds.dataset_id)
    assert list(frame.columns) == ["rowid_data", "name"]
    assert list(frame["name"]) == ["a", "b", "c"]
    assert repaired.column_type_overrides("legacy") == {"rowid_data": "integer"}
