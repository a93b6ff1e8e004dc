"""Editing: paging over a stable row id, a draft that survives paging, versions, views and the column tools."""
from __future__ import annotations

import codecs

import openpyxl
import pandas as pd
import pytest

from storage.errors import UserError
from storage.workspace import ADDED_ROW_BASE, DraftPending, EditConflict, Filter


@pytest.fixture
def scores(ws):
    """250 students: name, class (A/B/C), score 0..249, and a date; every 10th score missing."""
    frame = pd.DataFrame({"name": [f"학생{i:03d}" for i in range(250)],
                          "class": [("A", "B", "C")[i % 3] for i in range(250)],
                          "score": [None if i % 10 == 9 else float(i) for i in range(250)],
                          "day": pd.date_range("2025-03-01 08:30", periods=250, freq="D")})
    return ws.save_frame(frame, "scores")


def test_pages_are_fetched_in_stored_order_by_row_id(ws, scores):
    first = ws.page(scores.dataset_id, offset=0, limit=100)
    third = ws.page(scores.dataset_id, offset=200, limit=100)
    assert (first.total, len(first.frame), len(third.frame)) == (250, 100, 50)
    assert first.frame.index.tolist() == list(range(100))
    assert third.frame["name"].iloc[0] == "학생200" and third.frame.index[0] == 200


def test_sort_and_filters_run_in_duckdb_and_page_the_result(ws, scores):
    page = ws.page(scores.dataset_id, offset=0, limit=5, sort="score", descending=True,
                   filters=[Filter("class", "eq", "B"), Filter("score", "ge", "100")])
    assert page.frame["score"].tolist() == [247.0, 244.0, 241.0, 238.0, 235.0]
    assert page.total == len([i for i in range(100, 250) if i % 3 == 1 and i % 10 != 9])
    missing = ws.page(scores.dataset_id, limit=50, filters=[Filter("score", "missing")])
    assert missing.total == 25 and missing.frame["score"].isna().all()
    named = ws.page(scores.dataset_id, limit=50, filters=[Filter("name", "contains", "학생01")])
    assert named.total == 10
    with pytest.raises(UserError, match="'abc' does not fit column 'score'"):
        ws.page(scores.dataset_id, filters=[Filter("score", "gt", "abc")])


def test_filter_values_are_never_sql(ws, scores):
    page = ws.page(scores.dataset_id, filters=[Filter("name", "eq", "x' OR '1'='1")])
    assert page.total == 0
    with pytest.raises(UserError, match="no column"):
        ws.page(scores.dataset_id, filters=[Filter('score" FROM datasets --', "missing")])


def test_edits_are_a_draft_that_survives_paging_until_saved(ws, scores):
    ws.record_edits(scores.dataset_id, 1, cells={(0, "score"): 99, (201, "name"): "바뀐 이름"})
    # Moving to another page and back shows the edits; the saved data does not have them yet.
    assert ws.page(scores.dataset_id, offset=200, limit=10).frame.loc[201, "name"] == "바뀐 이름"
    assert ws.page(scores.dataset_id, offset=0, limit=10).frame.loc[0, "score"] == 99
    assert ws.load(scores.dataset_id)["score"].iloc[0] == 0
    draft = ws.draft(scores.dataset_id)
    assert (draft.base_version, draft.cells, draft.deleted, draft.added) == (1, 2, 0, 0)
    saved = ws.save_draft(scores.dataset_id)
    assert saved.version == 2 and ws.draft(scores.dataset_id) is None
    frame = ws.load(scores.dataset_id)
    assert frame["score"].iloc[0] == 99 and frame["name"].iloc[201] == "바뀐 이름"
    assert ws.load(scores.dataset_id, version=1)["score"].iloc[0] == 0  # nothing overwritten in place


def test_deleted_and_added_rows(ws, scores):
    draft = ws.record_edits(scores.dataset_id, 1, deleted=[0, 1],
                            added=[{"name": "새 학생", "score": "88"}, {"name": "또 한 명"}])
    assert (draft.deleted, draft.added) == (2, 2)
    last = ws.page(scores.dataset_id, offset=240, limit=20)
    assert last.total == 250 and last.frame["name"].tolist()[-2:] == ["새 학생", "또 한 명"]
    added_id = int(last.frame.index[-1])
    assert added_id > ADDED_ROW_BASE
    ws.record_edits(scores.dataset_id, 1, cells={(added_id, "class"): "C"})
    ws.record_edits(scores.dataset_id, 1, deleted=[int(last.frame.index[-2])])  # an added row can go again
    ws.save_draft(scores.dataset_id)
    frame = ws.load(scores.dataset_id)
    assert len(frame) == 249 and frame["name"].iloc[0] == "학생002"
    assert (frame["name"].iloc[-1], frame["class"].iloc[-1]) == ("또 한 명", "C") and pd.isna(frame["score"].iloc[-1])


def test_edited_values_must_fit_their_column(ws, scores):
    with pytest.raises(UserError, match="'lots' does not fit column 'score'") as caught:
        ws.record_edits(scores.dataset_id, 1, cells={(3, "score"): "lots"})
    assert caught.value.key == "data.error.bad_value_float"
    assert ws.draft(scores.dataset_id) is None
    ws.record_edits(scores.dataset_id, 1, cells={(3, "day"): "2025-12-24T10:00:00"})
    assert ws.page(scores.dataset_id, limit=5).frame.loc[3, "day"] == pd.Timestamp("2025-12-24 10:00")


def test_discarding_a_draft_and_stale_grids(ws, scores):
    ws.record_edits(scores.dataset_id, 1, cells={(0, "name"): "x"})
    with pytest.raises(UserError, match="changed since the grid was shown"):
        ws.record_edits(scores.dataset_id, 2, cells={(0, "name"): "y"})
    ws.discard_draft(scores.dataset_id)
    assert ws.draft(scores.dataset_id) is None
    assert ws.page(scores.dataset_id, limit=1).frame["name"].iloc[0] == "학생000"


def test_whole_table_tools_wait_for_the_draft(ws, scores):
    ws.record_edits(scores.dataset_id, 1, cells={(0, "name"): "x"})
    with pytest.raises(DraftPending):
        ws.drop_columns(scores.dataset_id, ["day"])


def test_history_restore_and_branch_never_overwrite(ws, scores):
    ws.rename_column(scores.dataset_id, "score", "점수")
    ws.drop_columns(scores.dataset_id, ["day"])
    restored = ws.restore_version(scores.dataset_id, 1)
    assert restored.version == 4
    assert ws.column_names(scores.dataset_id) == ["name", "class", "score", "day"]
    history = [(v.version, v.change["code"], v.current) for v in ws.versions(scores.dataset_id)]
    assert history == [(4, "restored", True), (3, "drop_columns", False), (2, "rename_column", False),
                       (1, "created", False)]
    copy = ws.branch_version(scores.dataset_id, 3, "scores without days")
    assert ws.column_names(copy.dataset_id) == ["name", "class", "점수"] and copy.version == 1
    ws.delete_dataset(scores.dataset_id)  # the copy is a dataset of its own
    assert len(ws.load(copy.dataset_id)) == 250


def test_save_as_view_keeps_chosen_columns_and_filtered_rows(ws, scores):
    view = ws.save_view(scores.dataset_id, "class A", columns=["name", "score"], filters=[Filter("class", "eq", "A")])
    frame = ws.load(view.dataset_id)
    assert list(frame.columns) == ["name", "score"] and len(frame) == 84
    assert frame["name"].iloc[1] == "학생003"
    with pytest.raises(UserError, match="No rows pass"):
        ws.save_view(scores.dataset_id, "none", filters=[Filter("class", "eq", "Z")])


def test_column_tools(ws, scores):
    key = scores.dataset_id
    ws.add_column(key, "school", "한빛고")
    assert set(ws.load(key)["school"]) == {"한빛고"}
    with pytest.raises(UserError, match="already a column called 'School'"):
        ws.add_column(key, "School")
    ws.rename_column(key, "school", "학교")
    ws.drop_columns(key, ["학교"])
    with pytest.raises(UserError, match="at least one column"):
        ws.drop_columns(key, ["name", "class", "score", "day"])
    assert ws.column_names(key) == ["name", "class", "score", "day"]


@pytest.mark.parametrize("method, value, expected", [("constant", "-1", -1.0), ("mean", None, None),
                                                     ("median", None, None), ("mode", None, None)])
def test_fill_missing(ws, scores, method, value, expected):
    before = ws.load(scores.dataset_id)["score"]
    ws.fill_missing(scores.dataset_id, "score", method, value)
    after = ws.load(scores.dataset_id)["score"]
    assert after.notna().all() and (after[before.notna()] == before[before.notna()]).all()
    filled = after[before.isna()].unique()
    want = {"constant": expected, "mean": before.mean(), "median": before.median(),
            "mode": before.mode().min()}[method]
    assert len(filled) == 1 and filled[0] == pytest.approx(want)


def test_fill_missing_refuses_a_mean_of_text(ws, scores):
    ws.record_edits(scores.dataset_id, 1, cells={(0, "name"): None})
    ws.save_draft(scores.dataset_id)
    with pytest.raises(UserError, match="needs numbers"):
        ws.fill_missing(scores.dataset_id, "name", "mean")


def test_find_and_replace(ws, scores):
    new, count = ws.find_replace(scores.dataset_id, "학생", "student ")
    assert count == 250 and ws.load(scores.dataset_id)["name"].iloc[7] == "student 007"
    _, count = ws.find_replace(scores.dataset_id, "A", "", columns=["class"], whole_cell=True)
    assert count == 84 and ws.load(scores.dataset_id)["class"].isna().sum() == 84
    with pytest.raises(UserError, match="'zzz' was not found"):
        ws.find_replace(scores.dataset_id, "zzz", "y")


def test_date_parts(ws, scores):
    ws.derive_date_parts(scores.dataset_id, "day", ["year", "month", "day", "weekday", "hour"])
    frame = ws.load(scores.dataset_id)
    assert frame.loc[0, ["day_year", "day_month", "day_day", "day_weekday", "day_hour"]].tolist() == [2025, 3, 1, 6, 8]
    with pytest.raises(UserError, match="does not hold dates"):
        ws.derive_date_parts(scores.dataset_id, "name", ["year"])


def test_drop_duplicates_keeps_the_first(ws):
    ds = ws.save_frame(pd.DataFrame({"a": [1, 1, 2, 1], "b": ["x", "x", "y", "z"]}), "dups")
    _, removed = ws.drop_duplicates(ds.dataset_id)
    assert removed == 1 and ws.load(ds.dataset_id)["b"].tolist() == ["x", "y", "z"]
    _, removed = ws.drop_duplicates(ds.dataset_id, ["a"])
    assert removed == 1 and ws.load(ds.dataset_id)["b"].tolist() == ["x", "y"]
    with pytest.raises(UserError, match="no duplicate rows"):
        ws.drop_duplicates(ds.dataset_id)


def test_exports_open_in_excel_with_korean_text(ws, scores):
    csv = ws.export(scores.dataset_id, "csv")
    assert csv.read_bytes().startswith(codecs.BOM_UTF8)
    assert pd.read_csv(csv, encoding="utf-8-sig")["name"].iloc[5] == "학생005"
    book = openpyxl.load_workbook(ws.export(scores.dataset_id, "xlsx"), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("name", "class", "score", "day") and rows[1][0] == "학생000" and len(rows) == 251
    assert pd.read_parquet(ws.export(scores.dataset_id, "parquet"))["score"].iloc[3] == 3.0
    with ws.open_export(scores.dataset_id, "csv") as handle:
        assert handle.read(3) == codecs.BOM_UTF8
    assert not [p for p in (ws.path.parent / "exports").iterdir() if p.name.startswith("export_") and
                p.suffix == ".body"]


def test_rename_dataset_and_unique_names(ws, scores):
    other = ws.save_frame(pd.DataFrame({"v": [1]}), "other")
    with pytest.raises(UserError, match="already have a dataset called 'SCORES'"):
        ws.rename_dataset(other.dataset_id, "SCORES")
    assert ws.rename_dataset(scores.dataset_id, "성적 2025").name == "성적 2025"


def test_deleting_a_dataset_removes_its_versions_drafts_and_types(ws, scores):
    ws.set_column_types(scores.dataset_id, {"class": "category"})
    ws.record_edits(scores.dataset_id, 2, cells={(0, "name"): "x"})
    ws.delete_dataset(scores.dataset_id)
    with ws.connect() as con:
        for table in ("dataset_versions", "version_details", "column_types", "dataset_drafts"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name LIKE 'ds_%'").fetchone()


def test_blank_table_from_typed_names_and_rows(ws):
    from core.data import create_blank

    rows = pd.DataFrame({"이름": ["가", "나", None], "점수": ["90", "1,200", None], "메모": [None, None, None]})
    ds = create_blank(ws, "새 표", ["이름", "점수", "메모", "이름"], rows)
    frame = ws.load(ds.dataset_id)
    assert list(frame.columns) == ["이름", "점수", "메모", "이름_2"] and len(frame) == 2
    assert frame["점수"].tolist() == [90, 1200]


def _two_tabs_edit(ws, scores):
    """Two tabs show version 1; tab A saves an edit (version 2), then tab B, still on version 1, edits."""
    ws.record_edits(scores.dataset_id, 1, cells={(0, "name"): "from tab A"})
    assert ws.save_draft(scores.dataset_id).version == 2
    ws.record_edits(scores.dataset_id, 1, cells={(1, "name"): "from tab B"})


def test_saving_edits_made_on_an_older_version_asks_instead_of_overwriting(ws, scores):
    _two_tabs_edit(ws, scores)
    with pytest.raises(EditConflict) as caught:
        ws.save_draft(scores.dataset_id)
    err = caught.value
    assert err.key == "data.error.edit_conflict" and (err.params["base"], err.params["latest"]) == (1, 2)
    assert "another tab" in str(err)
    # Nothing was saved or lost: tab A's version is the latest, tab B's edit is still pending.
    assert ws.dataset(scores.dataset_id).version == 2 and ws.draft(scores.dataset_id).base_version == 1
    assert ws.load(scores.dataset_id)["name"].tolist()[:2] == ["from tab A", "학생001"]


def test_a_conflicting_edit_can_be_saved_over_the_latest_saying_what_it_replaces(ws, scores):
    _two_tabs_edit(ws, scores)
    saved = ws.save_draft(scores.dataset_id, replace_latest=True)
    assert saved.version == 3 and ws.draft(scores.dataset_id) is None
    assert ws.load(scores.dataset_id)["name"].tolist()[:2] == ["학생000", "from tab B"]
    latest = ws.versions(scores.dataset_id)[0]
    assert (latest.change["code"], latest.change["base_version"], latest.change["replaces"]) == ("edited_over", 1, 2)
    assert ws.load(scores.dataset_id, version=2)["name"].iloc[0] == "from tab A"  # still in the history


def test_a_conflicting_edit_can_become_a_dataset_of_its_own_or_be_discarded(ws, scores):
    _two_tabs_edit(ws, scores)
    branch = ws.branch_draft(scores.dataset_id, "scores (tab B)")
    assert branch.name == "scores (tab B)" and branch.version == 1 and ws.draft(scores.dataset_id) is None
    assert ws.load(branch.dataset_id)["name"].tolist()[:2] == ["학생000", "from tab B"]
    assert ws.versions(branch.dataset_id)[0].change["code"] == "edited_branch"
    assert ws.dataset(scores.dataset_id).version == 2

    ws.record_edits(scores.dataset_id, 1, cells={(2, "name"): "from tab C"})
    ws.discard_draft(scores.dataset_id)
    assert ws.dataset(scores.dataset_id).version == 2 and ws.load(scores.dataset_id)["name"].iloc[2] == "학생002"
